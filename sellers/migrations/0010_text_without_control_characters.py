"""Text stored before the rules for text (config.text) made to keep them: no control
character in any seller record or its history (see markets 0026)."""

from django.db import migrations

from config.text import normalise_stored_text

#: The passages quoted from archived texts: their selectors count offsets in the text.
OFFSET_FIELDS = ("quote_exact", "quote_prefix", "quote_suffix")


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
