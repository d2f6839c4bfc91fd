"""The table of the database cache that holds throttle counts (CACHES["shared"]).

Made here rather than by a separate ``createcachetable`` step, so that every deployment
that migrates has it; with a cache server configured instead it makes nothing.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor) -> None:
    call_command("createcachetable", database=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [("markets", "0016_tombstones")]

    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
