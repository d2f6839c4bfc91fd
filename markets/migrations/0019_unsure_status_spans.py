"""A status cell is drawn once per span: spans whose cells show a row changed in SQL
are marked unsure by triggers, and worked out afresh. The days a status changed get
an index of their own."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("markets", "0018_record_parts")]

    operations = [
        migrations.AddField(
            model_name="statusspan",
            name="unsure",
            field=models.BooleanField(
                default=False,
                help_text=(
                    "Something the span shows changed in SQL, without a save "
                    "(caching.triggers): its answer is worked out afresh until the "
                    "span is written again."
                ),
            ),
        ),
        migrations.AddIndex(
            model_name="modeevent",
            index=models.Index(
                condition=models.Q(
                    ("publication", "published"),
                    models.Q(("status_set", "none"), _negated=True),
                ),
                fields=["-date", "-date_precision"],
                name="modeevent_status_days",
            ),
        ),
    ]
