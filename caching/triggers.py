"""Database triggers that raise the record's version on a change typed in SQL.

Writes through Python raise RecordVersion themselves (markets.signals); a fix typed in
SQL by an administrator does not. These triggers raise the version of the table's part
of the record on every UPDATE and DELETE of a record table, so no cached answer
outlives such a fix. Inserts are left out: a row added in
SQL hides nothing from anyone, and SQLite, which fires triggers row by row, would pay
for each row of every bulk load.

A status cell is drawn once per span (ModeStatus.drawing_key), since a save of anything
it shows writes its spans again. A change typed in SQL writes none, so a second set of
triggers marks ``unsure`` the spans that show the changed event, quote, source or
dispute, and the read path works their answer out afresh instead of drawing from them.
An event's update marks them only where it changed a column other than the save's
bookkeeping (``event_shown_changed``).

A list keeps each row's JSON under the row's ShownRevision. A third set of triggers,
on every table a listed row shows, raises the revisions of the rows that show the
changed row (``ROWS_SHOWING``), for saves and SQL alike: Python raises none itself.

What is read from a table (the keys of a page of a list, a count, the choices of a
filter, the spans of a day) is kept under the table's TableRevision. A fourth set of
triggers raises it on every insert, update and delete, once a statement on PostgreSQL
and once a row on SQLite, which has no statement triggers. A fifth
(caching.listings) raises the revision of a table's listing only on the writes that
can move a count or a filter's choices.

No migration installs them: ``migrate`` does, after it applies migrations, from the
current code (``install_after_migrate``, at the end of this module), and the system
check ``caching.E001`` reports a database holding other ones.
"""

from collections.abc import Iterable
from typing import Any

from markets.models.events import ModeEvent
from markets.models.records import DERIVED, RecordPart

FUNCTION = "loopwatch_record_changed"
#: The apps whose tables hold the triggers: every trigger on one of their tables is
#: the site's own (Django makes none there).
TRIGGERED_APPS = ("markets", "sellers")


def record_tables(apps: Any) -> list[tuple[str, str]]:
    """The tables of the record the public reads, with their many-to-many links, each
    with the part of the record it belongs to."""
    tables = set()
    for label in TRIGGERED_APPS:
        try:
            models = apps.get_app_config(label).get_models()
        except LookupError:
            # A migration state before the app's first table (or past its last).
            continue
        for model in models:
            name = model._meta.model_name
            if name in DERIVED or name.startswith("historical"):
                continue
            part = RecordPart.of(model)
            tables.add((model._meta.db_table, part.value))
            tables.update(
                (field.remote_field.through._meta.db_table, part.value)
                for field in model._meta.local_many_to_many
            )
    return sorted(tables)


SPANS = "markets_statusspan"
EVENTS = "markets_modeevent"
EVIDENCE = "markets_eventevidence"
#: For each table a status cell shows: which spans show the row that changed (OLD).
#: A span shows the event deciding it and, when disputed, its dispute's claims.
SPANS_SHOWING = {
    EVENTS: "event_id = OLD.id OR dispute_id = OLD.dispute_id",
    EVIDENCE: (
        "event_id = OLD.fact_id OR dispute_id = "  # noqa: S608
        f"(SELECT dispute_id FROM {EVENTS} WHERE id = OLD.fact_id)"
    ),
    "markets_source": (
        f"evidence_source_id = OLD.id OR event_id IN (SELECT fact_id FROM {EVIDENCE} "  # noqa: S608
        f"WHERE source_id = OLD.id) OR dispute_id IN (SELECT dispute_id FROM {EVENTS} "
        f"WHERE id IN (SELECT fact_id FROM {EVIDENCE} WHERE source_id = OLD.id))"
    ),
    "markets_dispute": "dispute_id = OLD.id",
}


def event_shown_changed(apps: Any, vendor: str) -> str | None:
    """SQL true where an UPDATE changed a column of an event that a status cell shows
    or the rule reads: every one but the save's bookkeeping, which each save changes
    by itself (ModeEvent.bookkeeping_fields). Else a save's first statement, the one
    claiming its version (Content.save), would mark the spans before the save says
    what it changes (status.receivers). None where the state has no event model."""
    try:
        events = apps.get_model("markets", "ModeEvent")
    except LookupError:
        return None
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    # Sorted: a migration state lists the columns in the order they were added.
    columns = sorted(
        field.column
        for field in events._meta.concrete_fields
        if field.name not in ModeEvent.bookkeeping_fields
    )
    return " OR ".join(f"OLD.{column} {differs} NEW.{column}" for column in columns)


def sqlite_triggers(
    schema_editor: Any, name: str, table: str, statements: dict[str, str]
) -> None:
    """Run each action's statements after it (UPDATE, DELETE, INSERT) on ``table``:
    SQLite has no trigger for several, so one each, ``<name>_update`` and so on."""
    for action, statement in statements.items():
        trigger = f"{name}_{action.lower()}"
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')
        schema_editor.execute(
            f'CREATE TRIGGER "{trigger}" AFTER {action} ON "{table}" '
            f"BEGIN {statement}; END"
        )


def has_model(apps: Any, name: str) -> bool:
    """Whether the migration state ``apps`` holds the markets model ``name``."""
    try:
        apps.get_model("markets", name)
    except LookupError:
        return False
    return True


def drop_triggers(
    schema_editor: Any, name: str, table: str, actions: Iterable[str]
) -> None:
    """Drop the trigger ``name`` on ``table``: on SQLite, the one of each action."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
    elif vendor == "sqlite":
        for action in actions:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}_{action.lower()}"')


def install_span_marks(apps: Any, schema_editor: Any) -> None:
    """Triggers marking ``unsure`` the spans whose cells show a row changed in SQL."""
    # The index lived in markets until status took it over (status 0001_initial).
    for app_label in ("status", "markets"):
        try:
            spans = apps.get_model(app_label, "StatusSpan")
            break
        except LookupError:
            continue
    else:
        return
    fields = {field.name for field in spans._meta.fields}
    if "unsure" not in fields:
        # A migration older than the column: nothing to mark yet.
        return
    vendor = schema_editor.connection.vendor
    shown_changed = event_shown_changed(apps, vendor)
    for table, showing in SPANS_SHOWING.items():
        name = f"{table}_marks_spans"
        mark_where = f"UPDATE {SPANS} SET unsure = TRUE WHERE "  # noqa: S608
        mark = f"{mark_where}{showing}"
        changed = shown_changed if table == EVENTS else None
        if vendor == "postgresql":
            # NEW is none of a DELETE's: asked of an UPDATE only.
            unchanged = (
                f"IF TG_OP = 'UPDATE' THEN IF NOT ({changed}) THEN RETURN NULL; "
                "END IF; END IF; "
                if changed
                else ""
            )
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
                f"BEGIN {unchanged}{mark}; RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            schema_editor.execute(
                f'CREATE TRIGGER "{name}" AFTER UPDATE OR DELETE ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        elif vendor == "sqlite":
            on_update = f"{mark_where}({showing}) AND ({changed})" if changed else mark
            sqlite_triggers(
                schema_editor, name, table, {"UPDATE": on_update, "DELETE": mark}
            )


def uninstall_span_marks(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in SPANS_SHOWING:
        name = f"{table}_marks_spans"
        drop_triggers(schema_editor, name, table, ("UPDATE", "DELETE"))
        if vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


def install(apps: Any, schema_editor: Any) -> None:
    """Create (or replace) the triggers of every record table."""
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            # The names are the module's own constants, never input.
            f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger AS $$ "  # noqa: S608
            "BEGIN UPDATE markets_recordversion SET number = number + 1, "
            "changed_at = now() WHERE part = TG_ARGV[0]; RETURN NULL; END $$ "
            "LANGUAGE plpgsql"
        )
    for table, part in record_tables(apps):
        name = f"{table}_changed"
        if vendor == "postgresql":
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            schema_editor.execute(
                f'CREATE TRIGGER "{name}" AFTER UPDATE OR DELETE ON '
                f"\"{table}\" FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}('{part}')"
            )
        elif vendor == "sqlite":
            bump = (
                "UPDATE markets_recordversion SET number = number + 1, "  # noqa: S608
                f"changed_at = strftime('%Y-%m-%d %H:%M:%f', 'now') WHERE part = '{part}'"
            )
            sqlite_triggers(
                schema_editor, name, table, {"UPDATE": bump, "DELETE": bump}
            )
    install_span_marks(apps, schema_editor)
    install_revisions(apps, schema_editor)
    install_table_revisions(apps, schema_editor)


def uninstall(apps: Any, schema_editor: Any) -> None:
    uninstall_table_revisions(apps, schema_editor)
    uninstall_revisions(apps, schema_editor)
    uninstall_span_marks(apps, schema_editor)
    vendor = schema_editor.connection.vendor
    for table, _part in record_tables(apps):
        drop_triggers(schema_editor, f"{table}_changed", table, ("UPDATE", "DELETE"))
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {FUNCTION}()")


REVISIONS = "markets_shownrevision"
#: For each list whose rows are kept drawn (by model label): for each table its JSON
#: shows, a query of the listed rows (as ``row_id``) that show ROW, the changed row
#: (OLD, NEW or both), and whether inserting a row there can change them. A listed
#: row's own table and the tables it points at need no insert: nothing shows a row
#: that did not exist.
ROWS_SHOWING: dict[str, dict[str, tuple[str, bool]]] = {
    "markets.modeevent": {
        EVENTS: ("SELECT ROW.id AS row_id", False),
        "markets_modeevent_markets": ("SELECT ROW.modeevent_id AS row_id", True),
        "markets_market": (
            "SELECT modeevent_id AS row_id FROM markets_modeevent_markets "
            "WHERE market_id = ROW.id",
            False,
        ),
        EVIDENCE: ("SELECT ROW.fact_id AS row_id", True),
        "markets_source": (
            f"SELECT fact_id AS row_id FROM {EVIDENCE} WHERE source_id = ROW.id",  # noqa: S608
            False,
        ),
        "markets_dispute": (
            f"SELECT id AS row_id FROM {EVENTS} WHERE dispute_id = ROW.id",  # noqa: S608
            False,
        ),
    },
    "sellers.sellercase": {
        "sellers_sellercase": ("SELECT ROW.id AS row_id", False),
        **{
            f"sellers_sellercase_{links}": ("SELECT ROW.sellercase_id AS row_id", True)
            for links in ("target_markets", "target_regions", "strategies")
        },
        **{
            table: (
                f"SELECT sellercase_id AS row_id FROM sellers_sellercase_{links} "  # noqa: S608
                f"WHERE {column} = ROW.id",
                False,
            )
            for table, links, column in (
                ("markets_market", "target_markets", "market_id"),
                ("markets_region", "target_regions", "region_id"),
                ("sellers_strategy", "strategies", "strategy_id"),
            )
        },
        EVENTS: (
            "SELECT id AS row_id FROM sellers_sellercase WHERE reacts_to_id = ROW.id",
            False,
        ),
        "sellers_sellercaseevidence": ("SELECT ROW.fact_id AS row_id", True),
        "sellers_sellerfigure": ("SELECT ROW.seller_case_id AS row_id", True),
        "sellers_sellerfigureevidence": (
            "SELECT seller_case_id AS row_id FROM sellers_sellerfigure "
            "WHERE id = ROW.fact_id",
            True,
        ),
        "markets_source": (
            "SELECT fact_id AS row_id FROM sellers_sellercaseevidence "
            "WHERE source_id = ROW.id UNION SELECT figure.seller_case_id "
            "FROM sellers_sellerfigure AS figure JOIN sellers_sellerfigureevidence "
            "AS quote ON quote.fact_id = figure.id WHERE quote.source_id = ROW.id",
            False,
        ),
        "markets_dispute": (
            "SELECT id AS row_id FROM sellers_sellercase WHERE dispute_id = ROW.id "
            "UNION SELECT seller_case_id FROM sellers_sellerfigure "
            "WHERE dispute_id = ROW.id",
            False,
        ),
    },
}


def raise_revisions(listed: str, showing: str, row: str) -> str:
    """The statement raising the revisions of the ``listed`` rows that ``showing``
    finds for ``row`` (OLD or NEW), creating those not counted yet."""
    rows = showing.replace("ROW.", f"{row}.")
    return (
        f"INSERT INTO {REVISIONS} (listed, row_id, number) "  # noqa: S608
        f"SELECT DISTINCT '{listed}', row_id, 1 FROM ({rows}) AS shown "
        "WHERE row_id IS NOT NULL "
        f"ON CONFLICT (listed, row_id) DO UPDATE SET number = {REVISIONS}.number + 1"
    )


def revision_triggers() -> list[tuple[str, str, dict[str, list[str]]]]:
    """(name, table, statements per action) of every trigger raising revisions: on
    UPDATE the rows that showed the old row and those that show the new one."""
    made = []
    for listed, tables in ROWS_SHOWING.items():
        for table, (showing, on_insert) in tables.items():
            actions = {
                "UPDATE": [
                    raise_revisions(listed, showing, "OLD"),
                    raise_revisions(listed, showing, "NEW"),
                ],
                "DELETE": [raise_revisions(listed, showing, "OLD")],
            }
            if on_insert:
                actions["INSERT"] = [raise_revisions(listed, showing, "NEW")]
            name = f"{table}_revises_{listed.replace('.', '_')}"
            made.append((name, table, actions))
    return made


def install_revisions(apps: Any, schema_editor: Any) -> None:
    """Triggers raising the revisions of the listed rows that show a changed row."""
    if not has_model(apps, "ShownRevision"):
        # A migration older than the table: nothing to count yet.
        return
    vendor = schema_editor.connection.vendor
    for name, table, actions in revision_triggers():
        if vendor == "postgresql":
            steps = " ".join(
                f"IF TG_OP = '{action}' THEN {'; '.join(statements)}; END IF;"
                for action, statements in actions.items()
            )
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ "
                f"BEGIN {steps} RETURN NULL; END $$ LANGUAGE plpgsql"
            )
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            schema_editor.execute(
                f'CREATE TRIGGER "{name}" AFTER {" OR ".join(actions)} ON "{table}" '
                f"FOR EACH ROW EXECUTE FUNCTION {name}()"
            )
        elif vendor == "sqlite":
            joined = {action: "; ".join(steps) for action, steps in actions.items()}
            sqlite_triggers(schema_editor, name, table, joined)


def uninstall_revisions(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for name, table, actions in revision_triggers():
        drop_triggers(schema_editor, name, table, actions)
        if vendor == "postgresql":
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}()")


TABLE_REVISIONS = "markets_tablerevision"
TABLE_WRITTEN = "loopwatch_table_written"
WRITES = ("INSERT", "UPDATE", "DELETE")


def revised_tables(apps: Any) -> list[str]:
    """The tables whose writes raise a TableRevision: the record's, with the status
    spans and the rows' revisions, which are read with it."""
    return sorted({table for table, _part in record_tables(apps)} | {SPANS, REVISIONS})


def count_write(table: str, vendor: str) -> str:
    """The statement raising ``table``'s revision (on PostgreSQL, the table written)."""
    name = "TG_TABLE_NAME" if vendor == "postgresql" else f"'{table}'"
    now = "now()" if vendor == "postgresql" else "strftime('%Y-%m-%d %H:%M:%f', 'now')"
    return (
        f"INSERT INTO {TABLE_REVISIONS} (table_name, number, since) "  # noqa: S608
        f"VALUES ({name}, 1, {now}) ON CONFLICT (table_name) "
        f"DO UPDATE SET number = {TABLE_REVISIONS}.number + 1"
    )


def install_table_revisions(apps: Any, schema_editor: Any) -> None:
    """Triggers raising each revised table's TableRevision on every write to it."""
    if not has_model(apps, "TableRevision"):
        # A migration older than the table: nothing to count yet.
        return
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"CREATE OR REPLACE FUNCTION {TABLE_WRITTEN}() RETURNS trigger AS $$ "
            f"BEGIN {count_write('', vendor)}; RETURN NULL; END $$ LANGUAGE plpgsql"
        )
    for table in revised_tables(apps):
        name = f"{table}_written"
        if vendor == "postgresql":
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{name}" ON "{table}"')
            schema_editor.execute(
                f'CREATE TRIGGER "{name}" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE '
                f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION {TABLE_WRITTEN}()'
            )
        elif vendor == "sqlite":
            counted = count_write(table, vendor)
            sqlite_triggers(
                schema_editor,
                name,
                table,
                dict.fromkeys(WRITES, counted),
            )


def uninstall_table_revisions(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for table in revised_tables(apps):
        drop_triggers(schema_editor, f"{table}_written", table, WRITES)
    if vendor == "postgresql":
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {TABLE_WRITTEN}()")
