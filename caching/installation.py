"""What the database holds of the record's triggers, beside what the code wants
(caching.triggers, caching.listings), and putting it right.

Migrations install no trigger: after every ``migrate`` (post_migrate) the triggers
the code wants replace whatever stands on the record's tables, in one transaction;
the system check ``caching.E001`` says when a database holds other ones. On SQLite,
where altering a table rebuilds it (which drops its triggers, and fails while a
trigger elsewhere names it), the triggers are dropped before migrations run.
"""

import re
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from django.apps import apps as global_apps
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from caching.listings import install_listing_revisions
from caching.triggers import TRIGGERED_APPS
from caching.triggers import install as install_record_triggers

_SQLITE_TRIGGER = re.compile(
    r'CREATE TRIGGER "(?P<name>[^"]+)" AFTER .+? ON "(?P<table>[^"]+)"'
)
_POSTGRESQL_TRIGGER = re.compile(
    r'CREATE TRIGGER "?(?P<name>[^" ]+)"? AFTER (?P<events>.+?) ON "?(?:\w+\.)?'
    r'(?P<table>[^" ]+)"? FOR EACH (?P<level>ROW|STATEMENT) EXECUTE FUNCTION '
    r"(?P<function>\w+)\((?P<arguments>.*)\)"
)
_POSTGRESQL_FUNCTION = re.compile(
    r"CREATE OR REPLACE FUNCTION (?P<name>\w+)\(\) RETURNS trigger AS "
    r"\$\$(?P<body>.*)\$\$ LANGUAGE plpgsql",
    re.DOTALL,
)


def install(apps: Any, schema_editor: Any) -> None:
    """Every trigger the code wants: the record's (caching.triggers) and the listings'
    (caching.listings), which count writes to the same tables."""
    install_record_triggers(apps, schema_editor)
    install_listing_revisions(apps, schema_editor)


@dataclass(frozen=True)
class Trigger:
    """One trigger as the database holds it: its table and, in a form that compares
    the same however the database prints it, what it does."""

    name: str
    table: str
    definition: tuple


class _Collector:
    """Stands in for a schema editor to collect the statements ``install`` runs."""

    def __init__(self, vendor: str) -> None:
        self.connection = SimpleNamespace(vendor=vendor)
        self.statements: list[str] = []

    def execute(self, sql: str) -> None:
        self.statements.append(sql)


class _Runner:
    """Stands in for a schema editor to run statements on a cursor, unformatted, inside
    whatever transaction the caller holds (a schema editor on SQLite refuses to)."""

    def __init__(self, connection: BaseDatabaseWrapper, cursor: Any) -> None:
        self.connection = connection
        self.cursor = cursor

    def execute(self, sql: str) -> None:
        self.cursor.execute(sql)


def _postgresql_definition(match: re.Match, bodies: dict[str, str]) -> tuple:
    """What a PostgreSQL trigger does, from its CREATE TRIGGER statement (the code's,
    or pg_get_triggerdef's, which orders the events and qualifies the table)."""
    return (
        frozenset(match["events"].split(" OR ")),
        match["level"],
        match["function"],
        match["arguments"],
        bodies.get(match["function"]),
    )


def wanted_triggers(apps: Any, vendor: str) -> dict[str, Trigger]:
    """The triggers ``install`` makes on a database of ``vendor`` whose schema is
    ``apps`` (the models, or a migration state), by name."""
    collected = _Collector(vendor)
    install(apps, collected)
    if vendor == "sqlite":
        return {
            match["name"]: Trigger(match["name"], match["table"], (statement,))
            for statement in collected.statements
            if (match := _SQLITE_TRIGGER.match(statement))
        }
    bodies = {
        match["name"]: match["body"]
        for statement in collected.statements
        if (match := _POSTGRESQL_FUNCTION.fullmatch(statement))
    }
    return {
        match["name"]: Trigger(
            match["name"], match["table"], _postgresql_definition(match, bodies)
        )
        for statement in collected.statements
        if (match := _POSTGRESQL_TRIGGER.fullmatch(statement))
    }


def _owned(table: str) -> bool:
    return table.startswith(tuple(f"{label}_" for label in TRIGGERED_APPS))


def installed_triggers(connection: BaseDatabaseWrapper) -> dict[str, Trigger]:
    """The triggers on the record's tables in the database, by name."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'"
            )
            return {
                name: Trigger(name, table, (sql,))
                for name, table, sql in cursor.fetchall()
                if _owned(table)
            }
        if connection.vendor != "postgresql":
            return {}
        cursor.execute(
            "SELECT t.tgname, c.relname, pg_get_triggerdef(t.oid), p.proname, p.prosrc "
            "FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace"
        )
        installed = {}
        for name, table, statement, function, body in cursor.fetchall():
            match = _POSTGRESQL_TRIGGER.fullmatch(statement)
            definition = (
                _postgresql_definition(match, {function: body})
                if match
                else (statement,)
            )
            if _owned(table):
                installed[name] = Trigger(name, table, definition)
        return installed


def trigger_differences(connection: BaseDatabaseWrapper, apps: Any) -> list[str]:
    """Each trigger the database holds otherwise than the code wants: missing,
    different, or on a record table without the code wanting it; empty when it
    holds exactly the code's."""
    wanted = wanted_triggers(apps, connection.vendor)
    installed = installed_triggers(connection)
    differences = [
        f"{name} is missing" if name not in installed else f"{name} differs"
        for name, trigger in sorted(wanted.items())
        if installed.get(name) != trigger
    ]
    differences += [
        f"{name} is not the code's" for name in sorted(installed.keys() - wanted.keys())
    ]
    return differences


def drop_installed(connection: BaseDatabaseWrapper) -> None:
    """Drop every trigger on the record's tables (their functions stay, replaced by
    the next ``install``)."""
    installed = installed_triggers(connection)
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        for trigger in installed.values():
            if connection.vendor == "postgresql":
                cursor.execute(
                    f'DROP TRIGGER IF EXISTS "{trigger.name}" ON "{trigger.table}"'
                )
            else:
                cursor.execute(f'DROP TRIGGER IF EXISTS "{trigger.name}"')


def install_wanted(connection: BaseDatabaseWrapper, apps: Any) -> bool:
    """Make the database hold exactly the triggers the code wants, in one transaction:
    those it holds otherwise dropped, every wanted one created afresh. Does nothing
    (and returns False) when it holds them already, as after most ``migrate`` runs
    and every flush of a test database."""
    if not trigger_differences(connection, apps):
        return False
    with transaction.atomic(using=connection.alias):
        drop_installed(connection)
        with connection.cursor() as cursor:
            install(apps, _Runner(connection, cursor))
    return True


def drop_before_migrate(
    *, using: str, plan: list | None = None, **kwargs: object
) -> None:
    """pre_migrate: on SQLite, no trigger while migrations run. An ordinary AddField
    with a default rebuilds its table there, which drops the table's own triggers and
    fails while a trigger on another table names it; ``install_after_migrate`` puts
    them all back. PostgreSQL alters tables in place: its triggers keep counting the
    site's writes meanwhile."""
    connection = connections[using]
    if plan and connection.vendor == "sqlite":
        drop_installed(connection)


def install_after_migrate(
    *, using: str, apps: Any = global_apps, **kwargs: object
) -> None:
    """post_migrate: the triggers of the current code, on the schema just migrated
    (``apps``, its state), or on the models' when a flush sends it, without one."""
    install_wanted(connections[using], apps)
