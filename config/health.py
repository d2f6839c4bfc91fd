"""Whether the database can serve the site: a real read and a write lock, in bounded time.

A ``SELECT 1`` answers while every real request fails (SQLite locked by a long writer,
PostgreSQL read-only or its tables locked): the load balancer must see what readers
and writers would.
"""

import contextlib
from collections.abc import Iterator

from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

from markets.models import Market

#: How long each of the read and the write lock may wait: the answer comes within ~2 s.
WAIT_SECONDS = 1.0
#: A table every database has and no request writes: its lock is the database's own.
MIGRATIONS = MigrationRecorder.Migration._meta.db_table


def database_problem(alias: str = "default") -> str | None:
    """None when a project table answers a read and a write lock is taken within
    ``WAIT_SECONDS``; otherwise what went wrong. Nothing is written: the write is
    rolled back."""
    connection = connections[alias]
    try:
        with (
            waiting_at_most(connection, WAIT_SECONDS),
            transaction.atomic(using=alias),
        ):
            _timeouts_of_this_transaction(connection, WAIT_SECONDS)
            Market.objects.using(alias).exists()
            with connection.cursor() as cursor:
                # Matches no row, but takes the write lock (SQLite) or the table's
                # row-exclusive lock (PostgreSQL), and fails on a read-only server.
                cursor.execute(f"DELETE FROM {MIGRATIONS} WHERE 1 = 0")  # noqa: S608
            transaction.set_rollback(True, using=alias)
    except DatabaseError as error:
        return "locked" if "lock" in str(error).lower() else "unavailable"
    return None


@contextlib.contextmanager
def waiting_at_most(connection: BaseDatabaseWrapper, seconds: float) -> Iterator[None]:
    """SQLite's busy wait shortened for this connection, which may outlive the request,
    and given back afterwards; it must be set before the transaction begins, since an
    immediate transaction takes the lock as it begins."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA busy_timeout = {int(seconds * 1000)}")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute(f"PRAGMA busy_timeout = {int(before)}")


def _timeouts_of_this_transaction(
    connection: BaseDatabaseWrapper, seconds: float
) -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true),"
                " set_config('statement_timeout', %s, true)",
                [f"{int(seconds * 1000)}ms", f"{int(seconds * 1500)}ms"],
            )
