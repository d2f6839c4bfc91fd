"""Where a quote stands in a source's archived text, as a W3C selector.

A quote must stand verbatim in the text. Copying from a page or a PDF changes nothing
of substance but whitespace and the width of punctuation (a Chinese article's ，
becomes a , in a spreadsheet), so exactly those are folded before comparing, and
nothing else: a different letter, digit or case is a different quote.

The selector is that of the W3C Web Annotation model: the exact text as the archive
has it (TextQuoteSelector ``exact``, ``prefix``, ``suffix``) and its offsets in the
archived text (TextPositionSelector ``start``, ``end``, counted in characters).
"""

import dataclasses
import hashlib
import unicodedata

from config.text import normalised as text_normalised

#: How much of the text before and after a quote its selector keeps.
CONTEXT_CHARS = 32

#: Punctuation compared as one: each full-width (or typographic) mark, and its
#: half-width counterpart. Written out, so that no letter or digit is ever folded.
PUNCTUATION = {
    "，": ",",
    "。": ".",
    "｡": ".",
    "．": ".",
    "；": ";",
    "：": ":",
    "！": "!",
    "？": "?",
    "（": "(",
    "）": ")",
    "【": "[",
    "】": "]",
    "［": "[",
    "］": "]",
    "｛": "{",
    "｝": "}",
    "＜": "<",
    "＞": ">",
    "“": '"',
    "”": '"',
    "＂": '"',
    "‘": "'",
    "’": "'",
    "＇": "'",
    "－": "-",
    "～": "~",
    "％": "%",
    "＋": "+",
    "＝": "=",
    "／": "/",
    "＼": "\\",
    "＆": "&",
    "＃": "#",
    "＠": "@",
    "＊": "*",
    "｜": "|",
}


@dataclasses.dataclass(frozen=True)
class Selector:
    """Where a quote stands in a text: its exact words there, their context, offsets."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def folded(text: str) -> tuple[str, list[int]]:
    """The text as quotes are compared, and for each of its characters the offset in
    ``text`` it comes from: whitespace dropped, punctuation made half-width."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        if char.isspace() or unicodedata.category(char) == "Cf":
            continue
        for piece in PUNCTUATION.get(char, char):
            out.append(piece)
            origin.append(index)
    return "".join(out), origin


def locate(quote: str, text: str) -> Selector | None:
    """Where ``quote`` stands in ``text`` (the first place), or None where it does not.

    Offsets point into ``text`` itself: ``text[start:end]`` is the exact passage.
    """
    needle, _ = folded(quote)
    if not needle:
        return None
    haystack, origin = folded(text)
    found = haystack.find(needle)
    if found < 0:
        return None
    start = origin[found]
    end = origin[found + len(needle) - 1] + 1
    return Selector(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


def normalised(text: str) -> str:
    """The text as it is archived and hashed: held to the rules for text with what
    they refuse taken out (config.text: Unicode NFC, Unix line ends, a PDF's page
    breaks made line breaks, no control character), no trailing whitespace on a line,
    no blank lines at either end.

    Taken out, not refused: the text is its source's, as published or as a PDF
    reader extracted it, not words an analyst wrote."""
    text = text_normalised(text, multiline=True)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def text_hash(text: str) -> str:
    """SHA-256 of the normalised text, in hex."""
    return hashlib.sha256(normalised(text).encode("utf-8")).hexdigest()
