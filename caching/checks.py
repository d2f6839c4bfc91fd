"""The system check that a database holds the triggers the code wants (caching.triggers).

Run with ``manage.py check --database default`` (and by ``migrate`` before it
migrates). A database with migrations still to apply is left alone: ``migrate``
installs the triggers once it has applied them.
"""

from typing import Any

from django.apps import apps
from django.core.checks import CheckMessage, Error, Tags, register
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from caching.installation import trigger_differences

#: How many of the differing triggers a message names.
NAMED = 10


@register(Tags.database)
def triggers_installed(
    app_configs: Any = None, databases: list[str] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    messages = []
    for alias in databases or ():
        connection = connections[alias]
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            continue
        differences = trigger_differences(connection, apps)
        if not differences:
            continue
        named = "; ".join(differences[:NAMED])
        more = len(differences) - NAMED
        messages.append(
            Error(
                f"Database '{alias}' does not hold the record's triggers as the code "
                f"makes them ({len(differences)}): {named}"
                + (f"; and {more} more." if more > 0 else "."),
                hint=(
                    "Run manage.py install_triggers (migrate installs them too, "
                    "after it applies migrations). Without them, a change typed in "
                    "SQL retires no cached answer."
                ),
                id="caching.E001",
            )
        )
    return messages
