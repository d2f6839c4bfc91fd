"""Zhang Ting's figures placed against the closure, where a database already holds
them as the article data first had them.

- "2023年上半年...月订单量从500单干到1500单,转化率35%,利润比平台高20%": the first
  half of 2023, a period that ends before the closure at the end of August.
- "现在外链没了订单直接腰斩,她连夜改了10个视频,把链接全删了后来啊播放量掉了60%":
  after the external links were gone, in the source's words.

Only rows still undated and unplaced change: an analyst's own edit stands. Each change
is saved as the record saves a change: its version raised by one and a history row
written, with the reason. The code of this migration is its own (it imports nothing
of the project), as every migration's is.
"""

import datetime

from django.db import migrations
from django.db.models import F
from django.utils import timezone

REASON = "Placed against the event as the article states (article data audit)."

FIRST_HALF_OF_2023 = {
    "period_date": datetime.date(2023, 1, 1),
    "period_precision": "half",
}
AFTER_THE_EVENT = {"event_side": "after"}

CORRECTIONS = {
    "0be59b6b-7f81-54ab-b2d2-ddf09350e8fa": FIRST_HALF_OF_2023,
    "8f96259e-bd02-5648-b8ce-9bb206a20e6f": FIRST_HALF_OF_2023,
    "d9ba95c3-f217-5cde-bc90-73ec03f0b6ad": FIRST_HALF_OF_2023,
    "7e7c9a13-353e-5f88-98b6-faccf64c168d": AFTER_THE_EVENT,
    "e34dfcb6-35d5-5e3e-911e-7fbe478f4405": AFTER_THE_EVENT,
    "bd65fe4e-67da-5647-a3ae-605da4ba1f51": AFTER_THE_EVENT,
}


def place(apps, schema_editor):
    figures = apps.get_model("sellers", "SellerFigure")
    historical = apps.get_model("sellers", "HistoricalSellerFigure")
    rows = figures.objects.filter(
        uuid__in=CORRECTIONS, period_date=None, period_precision="", event_side=""
    )
    for row in rows:
        figures.objects.filter(pk=row.pk).update(
            **CORRECTIONS[str(row.uuid)],
            version=F("version") + 1,
            updated_at=timezone.now(),
        )
        row = figures.objects.get(pk=row.pk)
        historical.objects.create(
            **{
                field.attname: getattr(row, field.attname)
                for field in row._meta.concrete_fields
            },
            history_date=timezone.now(),
            history_type="~",
            history_change_reason=REASON,
            history_user_id=None,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sellers", "0011_figure_period_against_the_event"),
    ]

    operations = [migrations.RunPython(place, migrations.RunPython.noop)]
