"""A list keeps each row's JSON under the row's revision, which triggers on every table
the row shows raise for every writer (caching.triggers.ROWS_SHOWING)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0019_unsure_status_spans"),
        # The triggers watch the seller tables too.
        ("sellers", "0007_publish_permission"),
    ]

    operations = [
        migrations.CreateModel(
            name="ShownRevision",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "listed",
                    models.CharField(
                        help_text="app.model", max_length=40, verbose_name="listed model"
                    ),
                ),
                ("row_id", models.BigIntegerField(verbose_name="row")),
                ("number", models.PositiveBigIntegerField(default=1)),
            ],
            options={
                "verbose_name": "shown revision",
                "verbose_name_plural": "shown revisions",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("listed", "row_id"), name="shown_revision_once_per_row"
                    )
                ],
            },
        ),
    ]
