"""Text stored before the rules for text (config.text) made to keep them: no control
character in any record, its history or its archived texts, so that no stored row can
break the feed, a CSV or a page, and every record can be edited again."""

from django.db import migrations

from config.text import normalise_stored_text
from markets.quotes import text_hash

#: Archived texts and the passages quoted from them: the quotes' selectors count
#: offsets in them, which each refused character made a space keeps.
OFFSET_FIELDS = ("text", "quote_exact", "quote_prefix", "quote_suffix")


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
