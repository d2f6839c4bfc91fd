"""SQLite as the default database: writers wait their turn instead of failing with
"database is locked" (config/settings/base.py)."""

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import OperationalError, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.db.migrations.recorder import MigrationRecorder

from markets.models import Market

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3",
    reason="SQLite's own locking",
)


@pytest.fixture(autouse=True)
def _databases_of_their_own(django_db_blocker) -> Iterator[None]:
    """These tests open files of their own, not the test database."""
    with django_db_blocker.unblock():
        yield


@contextmanager
def file_database(path) -> Iterator[str]:
    """An alias, in the calling thread, for a file database at ``path`` configured as
    the default one is."""
    alias = f"file-{threading.get_ident()}"
    connections[alias] = DatabaseWrapper(
        {**settings.DATABASES["default"], "NAME": str(path)}, alias
    )
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


def test_the_default_sqlite_database_waits_in_wal_with_immediate_writes(tmp_path):
    with file_database(tmp_path / "db.sqlite3") as alias:
        connection = connections[alias]
        with connection.cursor() as cursor:
            journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            busy = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
            synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
        assert journal == "wal"
        assert busy == settings.SQLITE_BUSY_SECONDS * 1000 >= 10_000
        assert synchronous == 1  # NORMAL
        assert connection.transaction_mode == "IMMEDIATE"


def test_the_task_runner_waits_for_its_queue_as_long_as_the_database():
    # The test settings run tasks in memory: the deployed queue is base's.
    from config.settings import base

    if base.HUEY["huey_class"] == "huey.SqliteHuey":
        assert base.HUEY["timeout"] == base.SQLITE_BUSY_SECONDS


def test_concurrent_writers_wait_for_a_long_write_instead_of_database_is_locked(
    tmp_path,
):
    """A writer holding the lock for a second (a bulk publish) while four others read
    then write, as a service does inside its transaction: every write lands."""
    path = tmp_path / "db.sqlite3"
    with file_database(path) as alias, connections[alias].cursor() as cursor:
        cursor.execute("CREATE TABLE counted (id INTEGER PRIMARY KEY, n INTEGER)")
    failures: list[BaseException] = []
    holding = threading.Event()

    def long_writer() -> None:
        with file_database(path) as alias, transaction.atomic(using=alias):
            connections[alias].cursor().execute("INSERT INTO counted (n) VALUES (-1)")
            holding.set()
            time.sleep(1)

    def writer(number: int) -> None:
        holding.wait(5)
        try:
            with file_database(path) as alias:
                for _ in range(5):
                    with transaction.atomic(using=alias):
                        cursor = connections[alias].cursor()
                        cursor.execute("SELECT count(*) FROM counted")
                        cursor.execute("INSERT INTO counted (n) VALUES (%s)", [number])
        except OperationalError as error:
            failures.append(error)

    threads = [threading.Thread(target=long_writer)] + [
        threading.Thread(target=writer, args=(number,)) for number in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    with file_database(path) as alias, connections[alias].cursor() as cursor:
        assert cursor.execute("SELECT count(*) FROM counted").fetchone()[0] == 21


@pytest.fixture
def file_default_database(tmp_path) -> Iterator[str]:
    """The default database swapped, in this thread, for a file holding the tables
    /health/ reads and writes; its path."""
    path = tmp_path / "db.sqlite3"
    before = connections["default"]
    connections["default"] = DatabaseWrapper(
        {**settings.DATABASES["default"], "NAME": str(path)}, "default"
    )
    try:
        with connections["default"].schema_editor() as editor:
            editor.create_model(Market)
            editor.create_model(MigrationRecorder.Migration)
        yield str(path)
    finally:
        connections["default"].close()
        connections["default"] = before


def test_health_is_503_within_two_seconds_while_the_database_is_locked(
    client, file_default_database
):
    assert client.get("/health/").status_code == 200
    holder = sqlite3.connect(file_default_database, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        response = client.get("/health/")
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "locked"}
    # One second of waiting for the lock, and the rest of the request, on a busy machine.
    assert waited < 3
    assert client.get("/health/").status_code == 200


def test_health_is_503_when_the_project_tables_cannot_be_read(
    client, file_default_database
):
    with connections["default"].schema_editor() as editor:
        editor.delete_model(Market)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_health_leaves_the_connections_busy_wait_as_it_was(
    client, file_default_database
):
    connection = connections["default"]
    connection.close()
    connection.settings_dict["CONN_MAX_AGE"] = None  # kept between requests
    client.get("/health/")
    assert connection.connection is not None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == settings.SQLITE_BUSY_SECONDS * 1000
