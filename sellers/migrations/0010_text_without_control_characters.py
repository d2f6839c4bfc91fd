"""Text stored before the rules for text (config.text) made to keep them: no control
character in any seller record or its history (see markets 0026).

The rules are written out below as they were when this ran (config.text held them
then): a migration never changes with the code around it.
"""

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

#: The passages quoted from archived texts: their selectors count offsets in the text.
OFFSET_FIELDS = ("quote_exact", "quote_prefix", "quote_suffix")


def normalised(text: str, *, multiline: bool) -> str:
    """``text`` with what the rules refuse taken out: a line end of any kind a line
    feed (a space on one line, as are tabs there), the rest dropped; composed (NFC)."""
    text = LINE_END.sub("\n", text)
    if not multiline:
        text = BREAKS_A_LINE.sub(" ", text)
    return unicodedata.normalize("NFC", NEVER_IN_TEXT.sub("", text))


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
    for model in apps.get_app_config("sellers").get_models():
        normalise_stored_text(model, keep_offsets=OFFSET_FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("sellers", "0009_archived_texts"),
    ]

    operations = [
        migrations.RunPython(clean_stored_text, migrations.RunPython.noop),
    ]
