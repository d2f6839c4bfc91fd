"""What text may hold: the one definition, for every record field, form, serializer,
import and address of the site.

No text holds a character that a feed, a CSV or a database cannot carry: the C0
controls but tab, line feed and carriage return (XML 1.0 refuses them, PostgreSQL
refuses NUL, one BEL in a quote used to take the feed down for every reader), DEL and
the C1 controls (U+0080-U+009F: invisible, and NEL breaks a line where a field has
none), the lone surrogates (not encodable as UTF-8: the database write fails) and the
Unicode noncharacters (U+FDD0-U+FDEF and U+xFFFE, U+xFFFF of every plane, which XML
and most readers refuse). A one-line field (a CharField: a name, a title, a claim)
holds no line break or tab either; a field with lines (a TextField) keeps tabs and
line feeds, each line ending in a line feed whatever the writer's system sent.

Words someone writes into the record (an analyst's summary, a quote they copy) are
refused with a field error naming the character, so nobody's quote is changed behind
their back. Words that are not the writer's (a source's archived text, read from a PDF
with its page breaks; rows stored before this rule; what an output shows) are
``normalised()``: the same rule, applied by taking the characters out.

Both also compose the text (Unicode NFC): canonically equivalent spellings (an é as one
character or as e and a combining accent) are one text, as archived texts already are
(markets.quotes.normalised), so that a quote typed either way stands in its source's
text, and search and the checks for a quote given twice see one text. NFC, unlike
NFKC, never changes what a reader sees (full-width punctuation stays full-width).
"""

import re
import unicodedata
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: U+FDD0-U+FDEF, and the last two code points of each of the 17 planes.
_NONCHARACTERS = r"\ufdd0-\ufdef" + "".join(
    f"\\U{plane:04X}FFFE\\U{plane:04X}FFFF" for plane in range(17)
)
#: What no text holds, wherever it stands.
NEVER_IN_TEXT = re.compile(
    rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]"
)
#: What a one-line field holds neither: a line break or a tab.
BREAKS_A_LINE = re.compile(r"[\t\n\r\u2028\u2029]")
#: Each way a line may end as text comes in, read as a line feed.
LINE_END = re.compile(r"\r\n?|[\x0b\x0c\x85]")


def refused_characters(text: str, *, multiline: bool) -> list[str]:
    """The characters of ``text`` the rule refuses, each once, in order."""
    found = [match.group() for match in NEVER_IN_TEXT.finditer(text)]
    if not multiline:
        found += BREAKS_A_LINE.findall(text)
    return list(dict.fromkeys(found))


def canonical(text: str, *, multiline: bool) -> str:
    """``text`` as it is stored, changed in nothing a reader sees: composed (NFC), and
    where it may have lines, each ending in a line feed (a browser sends CR LF)."""
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def validate_text(text: str, *, multiline: bool) -> None:
    """Refuse ``text`` if it holds what the rule refuses, naming the characters."""
    refused = refused_characters(text, multiline=multiline)
    if not refused:
        return
    characters = ", ".join(f"U+{ord(character):04X}" for character in refused[:5])
    if any(NEVER_IN_TEXT.match(character) for character in refused):
        raise ValidationError(
            _(
                "Holds a control or invalid character (%(characters)s) that no page, "
                "feed or spreadsheet can show: take it out."
            ),
            code="control_character",
            params={"characters": characters},
        )
    raise ValidationError(
        _("Holds a line break or a tab (%(characters)s): this field is a single line."),
        code="line_break",
        params={"characters": characters},
    )


def normalised(text: str, *, multiline: bool) -> str:
    """``text`` made to keep the rule by taking out what it refuses: a line end of any
    kind (CR LF, CR, vertical tab, form feed, NEL) becomes a line feed, or a space on
    one line, as do tabs there; the rest is dropped. Idempotent."""
    text = LINE_END.sub("\n", text)
    if not multiline:
        text = BREAKS_A_LINE.sub(" ", text)
    # Composed last: taking a character out can bring an accent beside its letter.
    return unicodedata.normalize("NFC", NEVER_IN_TEXT.sub("", text))


@deconstructible
class TextValidator:
    """The rule as a validator, for a form or serializer field."""

    def __init__(self, *, multiline: bool = False) -> None:
        self.multiline = multiline

    def __call__(self, value: Any) -> None:
        if isinstance(value, str):
            validate_text(value, multiline=self.multiline)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TextValidator) and other.multiline == self.multiline


one_line_text = TextValidator(multiline=False)
text_with_lines = TextValidator(multiline=True)


class PlainTextField(forms.CharField):
    """A form's text field (not a model's) held to the same rule as the record's: made
    canonical, then refused with a field error if it holds what no text may."""

    def __init__(self, *, multiline: bool = False, **kwargs: Any) -> None:
        self.multiline = multiline
        super().__init__(**kwargs)
        self.validators.append(TextValidator(multiline=multiline))

    def to_python(self, value: Any) -> str:
        value = super().to_python(value)
        return canonical(value, multiline=self.multiline) if value else value
