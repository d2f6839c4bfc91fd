"""Which of the record's tables a piece of work read, as far as their revisions tell.

Every table the public reads has a revision (TableRevision), which triggers raise on
every insert, update and delete, in the writing transaction, whoever writes
(caching.triggers). What is kept is kept under the revisions of the tables it read
(caching.kept): these are found from the SQL run, on every database. A query reading
only a table's listed columns (a count, a filter's choices) counts as reading its
listing instead, whose revision only the writes that move them raise (caching.listings).
"""

import contextlib
import dataclasses
import functools
import re
from collections.abc import Iterator
from contextvars import ContextVar

from django.apps import apps
from django.db import connections

from caching.listings import LISTED_COLUMNS, listing_revision
from caching.triggers import revised_tables
from markets.models import RecordVersion, TableRevision


@functools.cache
def _table_names() -> tuple[re.Pattern[str], frozenset[str], frozenset[str]]:
    """A pattern finding the project's tables a query names; those of them a
    TableRevision counts; and those that hold the counts themselves."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
    }
    names = "|".join(sorted(map(re.escape, tables)))
    counts = frozenset(model._meta.db_table for model in (RecordVersion, TableRevision))
    return re.compile(rf"\b({names})\b"), frozenset(revised_tables(apps)), counts


@functools.cache
def _unlisted_columns() -> dict[str, re.Pattern[str]]:
    """For each table with a listing, a pattern finding a column of it that is not
    listed, or a ``*`` other than COUNT(*)'s, which reads them all."""
    patterns = {}
    for model in apps.get_models():
        if (listed := LISTED_COLUMNS.get(model._meta.db_table)) is None:
            continue
        unlisted = sorted(
            re.escape(field.column)
            for field in model._meta.concrete_fields
            if field.column not in listed
        )
        patterns[model._meta.db_table] = re.compile(
            rf"\b({'|'.join(unlisted)})\b|(?<!COUNT\()\*", re.IGNORECASE
        )
    return patterns


def tables_named(sql: str) -> frozenset[str] | None:
    """The tables ``sql`` reads, or None where a revision counts the writes of only
    some of them. The tables of the counts themselves are what reads are kept under,
    not what they show: they are left out. A table whose columns ``sql`` names
    none but the listed ones is read as its listing. Any word spelt as another
    column of it, quoted or not, counts as reading that column: a mistake costs a read
    again, never a stale answer."""
    pattern, revised, counts = _table_names()
    named = frozenset(pattern.findall(sql)) - counts
    if not named <= revised:
        return None
    unlisted = _unlisted_columns()
    return frozenset(
        listing_revision(table)
        if table in unlisted and not unlisted[table].search(sql)
        else table
        for table in named
    )


@dataclasses.dataclass
class TablesRead:
    """The tables a piece of work read, as far as their revisions tell (``tables_read``)."""

    names: set[str] = dataclasses.field(default_factory=set)
    #: False once it read a table no revision counts: nothing it made may be kept.
    counted: bool = True

    def add(self, tables: frozenset[str] | None) -> None:
        if tables is None:
            self.counted = False
        else:
            self.names |= tables

    def add_sql(self, sql: str) -> None:
        self.add(tables_named(sql))

    @property
    def tables(self) -> frozenset[str] | None:
        return frozenset(self.names) if self.counted else None


_reading: ContextVar[TablesRead | None] = ContextVar("tables_read", default=None)


@contextlib.contextmanager
def tables_read() -> Iterator[TablesRead]:
    """The tables named by every query run inside, on any database, and by every kept
    read inside, which may run none. Reading the record's versions does not count:
    they are what a kept read is keyed by, not what it shows."""
    reads = TablesRead()
    outer = _reading.get()
    token = _reading.set(reads)

    def note(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        reads.add_sql(sql)
        return execute(sql, params, many, context)

    try:
        with contextlib.ExitStack() as wrappers:
            for connection in connections.all():
                wrappers.enter_context(connection.execute_wrapper(note))
            yield reads
    finally:
        _reading.reset(token)
        if outer is not None:
            outer.add(reads.tables)


def count_as_read(tables: frozenset[str] | None) -> None:
    """The work inside ``tables_read`` counts ``tables`` as read: a kept read asks the
    database nothing, but what it gives was read from them."""
    if (reading := _reading.get()) is not None:
        reading.add(tables)
