"""The status index (StatusSpan), taken over from markets in the migration state only:
the table ``markets_statusspan`` and its rows stay as they are; no SQL runs. Markets
0027 then drops the model from its own state."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("markets", "0026_text_without_control_characters"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="StatusSpan",
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
                            "mode",
                            models.CharField(
                                choices=[
                                    ("semi_closed_loop", "Semi-closed loop"),
                                    ("closed_loop", "Closed loop (in-app shop)"),
                                    ("fully_managed", "Fully managed"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "start",
                            models.DateField(
                                help_text="The first day; 0001-01-01 for unknown."
                            ),
                        ),
                        (
                            "end",
                            models.DateField(
                                blank=True,
                                help_text="The last day; null while it lasts.",
                                null=True,
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("live", "Live"),
                                    ("beta", "Beta"),
                                    ("closed", "Closed"),
                                    ("considering", "Under consideration"),
                                    ("no_evidence", "No evidence"),
                                ],
                                max_length=12,
                            ),
                        ),
                        ("previous_status", models.CharField(blank=True, max_length=12)),
                        ("uncertain", models.BooleanField(default=False)),
                        ("implied", models.BooleanField(default=False)),
                        ("scheduled", models.BooleanField(default=False)),
                        ("claim_ids", models.JSONField(blank=True, default=list)),
                        ("evidence_on", models.DateField(blank=True, null=True)),
                        (
                            "unsure",
                            models.BooleanField(
                                default=False,
                                help_text=(
                                    "Something the span shows changed in SQL, without "
                                    "a save (caching.triggers): its answer is worked "
                                    "out afresh until the span is written again."
                                ),
                            ),
                        ),
                        (
                            "dispute",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="markets.dispute",
                            ),
                        ),
                        (
                            "event",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="status_spans",
                                to="markets.modeevent",
                            ),
                        ),
                        (
                            "evidence_source",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="markets.source",
                            ),
                        ),
                        (
                            "market",
                            models.ForeignKey(
                                db_index=False,
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="status_spans",
                                to="markets.market",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "status span",
                        "verbose_name_plural": "status spans",
                        "db_table": "markets_statusspan",
                        "indexes": [
                            models.Index(
                                fields=["market", "mode", "-start"],
                                name="statusspan_latest",
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
