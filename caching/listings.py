"""Revisions of what a list's count and a filter's choices read of a table: raised by
triggers only on the writes that can move them.

A table's TableRevision rises on every write to it (caching.triggers), so an
analyst's edit of one case's narrative would retire the count of 100,000 cases and the
cities they name, read again at 13 and 24 ms. What is read from a table's listed
columns alone (``LISTED_COLUMNS``) is kept instead under the table's listing revision
(caching.tables.tables_named), which triggers raise on an insert, a delete, and an
update changing one of those columns, whoever writes. ``UPDATE OF`` alone would not
do: a save writes every column, changed or not, so the update's trigger asks which
changed. Installed with the rest, after ``migrate`` (caching.installation).
"""

from typing import Any

from caching.triggers import (
    TABLE_REVISIONS,
    TRIGGERED_APPS,
    WRITES,
    drop_triggers,
    has_model,
    sqlite_triggers,
)

#: The columns of a table that its lists' counts and its filters' choices read, by
#: table: what is read from them alone is kept under the table's listing revision
#: (``listing_revision``), which a write to any other column leaves alone.
LISTED_COLUMNS = {
    "sellers_sellercase": ("city_en", "city_zh", "publication"),
    "markets_market": ("code", "name_en", "name_zh", "publication"),
    "markets_source": ("publication", "publisher", "slug", "title"),
}
LISTING_WRITTEN = "loopwatch_listing_written"


def listing_revision(table: str) -> str:
    """The name a TableRevision counts the writes to ``table``'s listed columns by."""
    return f"{table}:listing"


def raise_listing(table: str, vendor: str, moved: str = "TRUE") -> str:
    """The statement raising ``table``'s listing revision where ``moved`` holds (on
    PostgreSQL, without ``moved``, the revision its trigger names)."""
    name = "TG_ARGV[0]" if moved == "TRUE" and vendor == "postgresql" else None
    name = name or f"'{listing_revision(table)}'"
    now = "now()" if vendor == "postgresql" else "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    return (
        f"INSERT INTO {TABLE_REVISIONS} (table_name, number, since) "  # noqa: S608
        f"SELECT {name}, 1, {now} WHERE {moved} ON CONFLICT (table_name) "
        f"DO UPDATE SET number = {TABLE_REVISIONS}.number + 1"
    )


def listed_tables(apps: Any) -> dict[str, tuple[str, ...]]:
    """The tables of ``LISTED_COLUMNS`` that the schema ``apps`` (the models, or a
    migration state) holds with all their listed columns."""
    if not has_model(apps, "TableRevision"):
        # A migration older than the revisions: nothing to count yet.
        return {}
    columns_of = {
        model._meta.db_table: {field.column for field in model._meta.concrete_fields}
        for label in TRIGGERED_APPS
        if label in apps.app_configs
        for model in apps.get_app_config(label).get_models()
    }
    return {
        table: columns
        for table, columns in LISTED_COLUMNS.items()
        if set(columns) <= columns_of.get(table, set())
    }


def install_listing_revisions(apps: Any, schema_editor: Any) -> None:
    """Triggers raising a listing revision on an insert, a delete, and an update that
    changes a listed column: once a statement on PostgreSQL, but for the update,
    which compares each row's columns."""
    tables = listed_tables(apps)
    vendor = schema_editor.connection.vendor
    if tables and vendor == "postgresql":
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {LISTING_WRITTEN}() RETURNS trigger AS $$ "
            f"BEGIN {raise_listing('', vendor)}; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    for table, columns in tables.items():
        moved = " OR ".join(
            f"OLD.{column} {differs} NEW.{column}" for column in columns
        )
        update_of = f"UPDATE OF {', '.join(columns)}"
        raised = raise_listing(table, vendor, f"({moved})")
        if vendor == "postgresql":
            _postgresql_triggers(schema_editor, table, update_of, raised)
        elif vendor == "sqlite":
            written = raise_listing(table, vendor)
            sqlite_triggers(
                schema_editor,
                f"{table}_listing",
                table,
                {"INSERT": written, "DELETE": written},
            )
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_listing_update"')
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_listing_update" AFTER {update_of} ON '
                f'"{table}" BEGIN {raised}; END'
            )


def _postgresql_triggers(
    schema_editor: Any, table: str, update_of: str, raised: str
) -> None:
    """``<table>_listing_written``, once a statement that adds or removes rows, and
    ``<table>_listing_moved``, once a row updated, which runs ``raised``."""
    moved = f"{table}_listing_moved"
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {moved}() RETURNS trigger "
        f"AS $$ BEGIN {raised}; RETURN NULL; END $$ LANGUAGE plpgsql"
    )
    for name, events, level, function in (
        (
            f"{table}_listing_written",
            "INSERT OR DELETE OR TRUNCATE",
            "STATEMENT",
            f"{LISTING_WRITTEN}('{listing_revision(table)}')",
        ),
        (moved, update_of, "ROW", f"{moved}()"),
    ):
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
        schema_editor.execute(
            f'CREATE TRIGGER "{name}" AFTER {events} ON "{table}" '
            f"FOR EACH {level} EXECUTE FUNCTION {function}"
        )


def uninstall_listing_revisions(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in LISTED_COLUMNS:
        if vendor == "postgresql":
            for name in ("written", "moved"):
                drop_triggers(schema_editor, f"{table}_listing_{name}", table, ())
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {table}_listing_moved()")
        else:
            drop_triggers(schema_editor, f"{table}_listing", table, WRITES)
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {LISTING_WRITTEN}()")
