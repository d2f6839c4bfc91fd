"""What is read from a table is kept under the table's revision, which triggers raise on
every write to it (caching.triggers.install_table_revisions)."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0020_shown_revisions"),
    ]

    operations = [
        migrations.CreateModel(
            name="TableRevision",
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
                    "table_name",
                    models.CharField(max_length=63, unique=True, verbose_name="table"),
                ),
                ("number", models.PositiveBigIntegerField(default=1)),
                (
                    "since",
                    models.DateTimeField(
                        default=django.utils.timezone.now, verbose_name="counted since"
                    ),
                ),
            ],
            options={
                "verbose_name": "table revision",
                "verbose_name_plural": "table revisions",
            },
        ),
    ]
