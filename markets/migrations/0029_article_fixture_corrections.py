"""Two facts of the article data corrected where a database already holds them.

- The US fully managed launch "预计2023年9月上线" is announced ahead (is_scheduled).
- "全闭环小店搞了一年,GMV占比不到10%": the sentence does not say whose share of GMV
  the figure is, so its metric is the neutral "GMV占比" / "Share of GMV".

Only rows still as the fixtures first had them change: an analyst's own edit stands.
Each change is saved as the record saves a change: its version raised by one and a
history row written, with the reason. The code of this migration is its own (it
imports nothing of the project), as every migration's is.
"""

from django.db import migrations
from django.db.models import F
from django.utils import timezone

REASON = "Corrected to what the article states (article data audit)."

CORRECTIONS = [
    (
        "ModeEvent",
        {"slug": "fully-managed-us-launch-planned-2023-09", "is_scheduled": False},
        {"is_scheduled": True},
    ),
    (
        "MarketFigure",
        {
            "uuid": "a35ce4b4-a81b-5d07-9266-81fea13a9c54",
            "metric_zh": "全闭环小店GMV占比",
            "metric_en": "Closed-loop shop's share of GMV",
        },
        {"metric_zh": "GMV占比", "metric_en": "Share of GMV"},
    ),
]


def write_history(apps, model_name, row):
    """A history row for ``row`` as it now stands, as django-simple-history writes one."""
    historical = apps.get_model("markets", f"Historical{model_name}")
    values = {
        field.attname: getattr(row, field.attname)
        for field in row._meta.concrete_fields
        if not field.many_to_many
    }
    historical.objects.create(
        **values,
        history_date=timezone.now(),
        history_type="~",
        history_change_reason=REASON,
        history_user_id=None,
    )


def correct(apps, schema_editor):
    for model_name, as_first_loaded, corrected in CORRECTIONS:
        model = apps.get_model("markets", model_name)
        rows = model.objects.filter(**as_first_loaded)
        for row in rows:
            model.objects.filter(pk=row.pk).update(
                **corrected, version=F("version") + 1, updated_at=timezone.now()
            )
            write_history(apps, model_name, model.objects.get(pk=row.pk))


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0028_date_precisions_of_seasons_quarters_and_thirds"),
    ]

    operations = [migrations.RunPython(correct, migrations.RunPython.noop)]
