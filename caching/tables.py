"""Which of the record's tables a piece of work read, as far as their revisions tell.

Every table the public reads has a revision (TableRevision), which triggers raise on
every insert, update and delete, in the writing transaction, whoever writes
(caching.triggers). What is kept is kept under the revisions of the tables it read
(caching.kept): these are found from the SQL run, on every database.
"""

import contextlib
import dataclasses
import functools
import re
from collections.abc import Iterator
from contextvars import ContextVar

from django.apps import apps
from django.db import connections

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


def tables_named(sql: str) -> frozenset[str] | None:
    """The tables ``sql`` reads, or None where a revision counts the writes of only
    some of them. The tables of the counts themselves are what reads are kept under,
    not what they show: they are left out."""
    pattern, revised, counts = _table_names()
    named = frozenset(pattern.findall(sql)) - counts
    return named if named <= revised else None


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
