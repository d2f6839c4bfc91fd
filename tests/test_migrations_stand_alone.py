"""Migrations stand alone: none imports the project's code (but the references Django
writes itself), and none installs a trigger. The triggers are the current code's,
installed after every migrate (caching.installation.install_after_migrate) and checked
(caching.E001), so that an ordinary AddField with a default, which rebuilds its table
on SQLite, needs nothing written by hand."""

import ast
import sqlite3
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.core.management.sql import (
    emit_post_migrate_signal,
    emit_pre_migrate_signal,
)
from django.db import connection, connections, migrations, models
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.migrations.executor import MigrationExecutor

from caching.checks import triggers_installed
from caching.installation import install_wanted, trigger_differences, wanted_triggers
from markets.models import RecordPart, RecordVersion, TableRevision
from tests.factories import EventEvidenceFactory

ROOT = Path(settings.BASE_DIR)
#: The project's own packages, which a migration never imports...
PROJECT_PACKAGES = {path.parent.name for path in ROOT.glob("*/__init__.py")}
#: ...but for the modules of what Django writes into a migration by reference and
#: needs the object itself to rebuild the state: a field's validator or callable
#: default, a model's mixin base (docs/contributing.md, "Migrations").
REFERENCED_BY_DJANGO = {"markets.models", "markets.dates", "alerts.models"}
REFERENCE_ARGUMENTS = {"validators", "default", "bases"}
MIGRATIONS = sorted(ROOT.glob("*/migrations/[0-9]*.py"))


def uses_outside_references(tree: ast.Module, package: str) -> list[int]:
    """The lines where ``package`` is named other than in a validator, a default or
    a model's bases."""
    allowed = {
        id(node)
        for keyword in ast.walk(tree)
        if isinstance(keyword, ast.keyword) and keyword.arg in REFERENCE_ARGUMENTS
        for node in ast.walk(keyword.value)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and node.id == package and id(node) not in allowed
    ]


def test_every_app_has_migrations_to_read():
    assert len(MIGRATIONS) >= 36
    assert {path.parent.parent.name for path in MIGRATIONS} >= {"markets", "sellers"}


@pytest.mark.parametrize(
    "path", MIGRATIONS, ids=lambda path: str(path.relative_to(ROOT))
)
def test_a_migration_imports_none_of_the_projects_code(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            assert node.module.split(".")[0] not in PROJECT_PACKAGES, (
                f"line {node.lineno}: from {node.module} import ..."
            )
        if isinstance(node, ast.Import):
            for name in node.names:
                package = name.name.split(".")[0]
                if package not in PROJECT_PACKAGES:
                    continue
                assert name.name in REFERENCED_BY_DJANGO, (
                    f"line {node.lineno}: import {name.name}"
                )
                assert uses_outside_references(tree, package) == [], (
                    f"{name.name} used beyond a validator, a default or a base"
                )


# --- The check ------------------------------------------------------------------------


def drop_trigger(name: str) -> None:
    (trigger,) = (
        trigger
        for trigger in wanted_triggers(apps, connection.vendor).values()
        if trigger.name == name
    )
    on = f' ON "{trigger.table}"' if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TRIGGER "{name}"{on}')


def any_trigger_name() -> str:
    """A trigger on the sources, under the name the database gives it."""
    return min(
        name
        for name in wanted_triggers(apps, connection.vendor)
        if name.startswith("markets_source_changed")
    )


@pytest.mark.django_db
def test_the_test_database_holds_the_triggers_the_code_makes():
    assert trigger_differences(connection, apps) == []
    assert triggers_installed(databases=["default"]) == []


@pytest.mark.django_db
def test_a_dropped_trigger_is_named_by_the_check_until_installed_again():
    name = any_trigger_name()
    drop_trigger(name)

    (error,) = triggers_installed(databases=["default"])
    assert error.id == "caching.E001"
    assert f"{name} is missing" in error.msg
    assert "install_triggers" in error.hint
    with pytest.raises(SystemCheckError, match=name):
        call_command("check", databases=["default"], stdout=StringIO())

    output = StringIO()
    call_command("install_triggers", stdout=output)
    assert "Installed" in output.getvalue()
    assert triggers_installed(databases=["default"]) == []


@pytest.mark.django_db
def test_a_trigger_the_code_does_not_make_is_reported_and_removed():
    body = "UPDATE markets_recordversion SET number = number"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION stray() RETURNS trigger AS $$ "
                f"BEGIN {body}; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            cursor.execute(
                'CREATE TRIGGER "stray" AFTER UPDATE ON "markets_market" '
                "FOR EACH STATEMENT EXECUTE FUNCTION stray()"
            )
        else:
            cursor.execute(
                f'CREATE TRIGGER "stray" AFTER UPDATE ON "markets_market" BEGIN {body}; END'
            )

    assert trigger_differences(connection, apps) == ["stray is not the code's"]
    assert install_wanted(connection, apps)
    assert trigger_differences(connection, apps) == []


@pytest.mark.django_db
def test_a_flush_puts_back_a_dropped_trigger():
    """A flush (between transactional tests) sends post_migrate too, with no state."""
    name = any_trigger_name()
    drop_trigger(name)
    emit_post_migrate_signal(0, False, "default")
    assert trigger_differences(connection, apps) == []


@pytest.mark.django_db
def test_installing_what_is_in_place_writes_nothing(django_assert_max_num_queries):
    """What every migrate and every flush of a test database pays: reading the
    triggers, in one query."""
    with django_assert_max_num_queries(1):
        assert not install_wanted(connection, apps)


# --- A migration that rebuilds a table on SQLite ---------------------------------------


@pytest.fixture
def migrated_copy(tmp_path, django_db_setup, django_db_blocker) -> Iterator[None]:
    """The default database swapped, in this test, for a file copy of the migrated
    test database: a throwaway migration is applied to the copy, never to it."""
    path = tmp_path / "migrated.sqlite3"
    with django_db_blocker.unblock():
        before = connections["default"]
        before.ensure_connection()
        with sqlite3.connect(path) as copy:
            before.connection.backup(copy)
        connections["default"] = DatabaseWrapper(
            {**settings.DATABASES["default"], "NAME": str(path)}, "default"
        )
        try:
            yield
        finally:
            connections["default"].close()
            connections["default"] = before


def migrate_with(*operations: migrations.operations.base.Operation) -> None:
    """Apply a migration of ``operations`` as ``migrate`` does: the signals before
    and after, the schema editor between, and nothing else."""
    executor = MigrationExecutor(connections["default"])
    migration = migrations.Migration("9999_throwaway", "markets")
    migration.operations = list(operations)
    plan = [(migration, False)]
    state = executor.loader.project_state()
    emit_pre_migrate_signal(0, False, "default", apps=state.apps, plan=plan)
    state = executor.apply_migration(state.clone(), migration)
    emit_post_migrate_signal(0, False, "default", apps=state.apps, plan=plan)


def revisions() -> dict[str, int]:
    versions = dict(RecordVersion.objects.values_list("part", "number"))
    return versions | dict(TableRevision.objects.values_list("table_name", "number"))


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite rebuilds a table to add a column with a default",
)
def test_an_added_column_with_a_default_needs_nothing_written_by_hand(migrated_copy):
    connection = connections["default"]
    EventEvidenceFactory()
    assert trigger_differences(connection, apps) == []
    # The quotes' table, which the triggers on the sources name: rebuilding it under
    # them used to fail ("error in trigger ...: no such table").
    migrate_with(
        migrations.AddField(
            model_name="eventevidence",
            name="checked_twice",
            field=models.BooleanField(default=False),
        )
    )

    assert trigger_differences(connection, apps) == []
    before = revisions()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE markets_eventevidence SET checked_twice = TRUE")
        cursor.execute("UPDATE markets_source SET title = title || ''")
    after = revisions()
    assert after["markets_eventevidence"] == before["markets_eventevidence"] + 1
    assert after["markets_source"] == before["markets_source"] + 1
    assert after[RecordPart.STATUS] > before[RecordPart.STATUS]
