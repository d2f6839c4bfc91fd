"""The status index (StatusSpan) moves to the status app, which derives it: in the
migration state only. Its table keeps its name and its rows; no SQL runs.

Status 0001_initial takes the model over first, and only then does markets let it go:
so no migration ever runs in a state without the model (the triggers' installers,
caching.triggers, read its fields in whichever app holds it).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("markets", "0026_text_without_control_characters"),
        ("status", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="StatusSpan")],
            database_operations=[],
        ),
    ]
