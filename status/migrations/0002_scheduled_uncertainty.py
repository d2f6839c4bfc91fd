"""The rule now marks the uncertain days of a change announced ahead as scheduled too
(status.answers.resolve), so such a span never says when it becomes certain. Spans
written by the earlier rule are marked unsure: each is worked out afresh until it is
written again, by the next save it concerns or by ``manage.py rebuild_status``."""

from django.db import migrations


def mark_unsure(apps, schema_editor):
    StatusSpan = apps.get_model("status", "StatusSpan")
    # Only the uncertain days of a claim announced ahead are read differently now.
    StatusSpan.objects.filter(uncertain=True, event__is_scheduled=True).update(
        unsure=True
    )


class Migration(migrations.Migration):
    dependencies = [("status", "0001_initial")]

    operations = [migrations.RunPython(mark_unsure, migrations.RunPython.noop)]
