"""Text stored before the rules for text (config.text) made to keep them: no control
character in any record, its history or its archived texts, so that no stored row can
break the feed, a CSV or a page, and every record can be edited again.

The rules are written out below as they were when this ran (config.text and
markets.quotes held them then): a migration never changes with the code around it.
"""

import hashlib
import re
import unicodedata

from django.db import migrations, models

#: U+FDD0-U+FDEF, and the last two code points of each of the 17 planes.
NONCHARACTERS = r"\ufdd0-\ufdef" + "".join(
    f"\\U{plane:04X}FFFE\\U{plane:04X}FFFF" for plane in range(17)
)
#: What no text holds, wherever it stands.
NEVER_IN_TEXT = re.compile(
    rf"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{NONCHARACTERS}]"
)
#: What a one-line field holds neither: a line break or a tab.
BREAKS_A_LINE = re.compile(r"[\t\n\r\u2028\u2029]")
#: Each way a line may end as text comes in, read as a line feed.
LINE_END = re.compile(r"\r\n?|[\x0b\x0c\x85]")

#: Archived texts and the passages quoted from them: the quotes' selectors count
#: offsets in them, which each refused character made a space keeps.
OFFSET_FIELDS = ("text", "quote_exact", "quote_prefix", "quote_suffix")


def normalised(text: str, *, multiline: bool) -> str:
    """``text`` with what the rules refuse taken out: a line end of any kind a line
    feed (a space on one line, as are tabs there), the rest dropped; composed (NFC)."""
    text = LINE_END.sub("\n", text)
    if not multiline:
        text = BREAKS_A_LINE.sub(" ", text)
    return unicodedata.normalize("NFC", NEVER_IN_TEXT.sub("", text))


def text_hash(text: str) -> str:
    """SHA-256 of an archived text as it is archived: normalised, no trailing
    whitespace on a line, no blank lines at either end."""
    text = normalised(text, multiline=True)
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise_stored_text(
    model: type[models.Model], *, keep_offsets: tuple[str, ...] = ()
) -> list[models.Model]:
    """Make the rows of ``model`` keep the rules, as a save through any writer would
    now store them; returns the rows changed. A field in ``keep_offsets`` has each
    refused character made a space instead, so that the offsets a quote's selector
    counts in it still point at the quote."""
    fields = [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]
    if not fields:
        return []
    changed = []
    rows = model._base_manager.only(
        model._meta.pk.attname, *(field.attname for field in fields)
    )
    for row in rows.iterator(chunk_size=1000):
        before = [getattr(row, field.attname) for field in fields]
        for field, value in zip(fields, before, strict=True):
            if not isinstance(value, str):
                continue
            if field.name in keep_offsets:
                value = NEVER_IN_TEXT.sub(" ", value)
            else:
                value = normalised(value, multiline=isinstance(field, models.TextField))
            setattr(row, field.attname, value)
        if before != [getattr(row, field.attname) for field in fields]:
            changed.append(row)
    model._base_manager.bulk_update(
        changed, [field.attname for field in fields], batch_size=500
    )
    return changed


def clean_stored_text(apps, schema_editor) -> None:
    for model in apps.get_app_config("markets").get_models():
        changed = normalise_stored_text(model, keep_offsets=OFFSET_FIELDS)
        if model._meta.model_name == "sourcetext" and changed:
            # The hash is of the normalised text: a changed text, a new hash.
            for copy in changed:
                copy.sha256 = text_hash(copy.text)
            model._base_manager.bulk_update(changed, ["sha256"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0025_archived_texts"),
    ]

    operations = [
        migrations.RunPython(clean_stored_text, migrations.RunPython.noop),
    ]
