"""Data sets built once per run and copied back in for each test that asks for them.

Loading the article data costs about 1,400 queries and a status rebuild; copying its rows
back from a snapshot table costs two statements a table. A snapshot is a plain table
beside each of the record's tables (``snapshot_<name>_<table>``), made with
``CREATE TABLE … AS SELECT``, so every column keeps its type on SQLite and PostgreSQL
alike, and restoring is ``INSERT … SELECT``: the test's own transaction rolls it back.
Every name in the SQL below comes from the models' own table and column names.
"""

from collections.abc import Callable

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

#: The apps whose tables a data set fills: the record, its history, its derived state
#: and the notices found of it.
APPS = ("markets", "status", "sellers", "alerts")


def snapshot_models() -> list[type[models.Model]]:
    found: list[type[models.Model]] = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if not model._meta.proxy and model._meta.managed:
                found.append(model)
    return found


class Snapshot:
    """The rows of the record's tables, as ``build`` left them."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.models = snapshot_models()

    def table(self, model: type[models.Model]) -> str:
        return connection.ops.quote_name(f"snapshot_{self.name}_{model._meta.db_table}")

    @classmethod
    def of(cls, name: str, build: Callable[[], object]) -> tuple["Snapshot", object]:
        """Run ``build``, keep the tables it leaves, and put back what was there before.

        Call it outside any test's transaction (a session fixture, with the database
        unblocked): the snapshot tables outlive it, for the whole run.
        """
        before, after = cls(f"{name}_before"), cls(name)
        with transaction.atomic():
            others = cls.other_tables_rows()
            before.take()
            built = build()
            after.take()
            if cls.other_tables_rows() != others:
                raise RuntimeError(
                    f"Building {name} wrote outside the apps {APPS}: a snapshot of "
                    "those would not hold it."
                )
        before.restore(replacing_every_row=True)
        before.drop()
        return after, built

    @staticmethod
    def other_tables_rows() -> dict[str, int]:
        ours = {model._meta.db_table for model in snapshot_models()}
        counts = {}
        with connection.cursor() as cursor:
            for table in connection.introspection.django_table_names(
                only_existing=True
            ):
                if table not in ours:
                    quoted = connection.ops.quote_name(table)
                    cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608
                    counts[table] = cursor.fetchone()[0]
        return counts

    def take(self) -> None:
        with connection.cursor() as cursor:
            for model in self.models:
                source = connection.ops.quote_name(model._meta.db_table)
                cursor.execute(f"DROP TABLE IF EXISTS {self.table(model)}")
                cursor.execute(
                    f"CREATE TABLE {self.table(model)} AS SELECT * FROM {source}"  # noqa: S608
                )

    def restore(self, *, replacing_every_row: bool = False) -> None:
        """Put the snapshot's rows back, in place of any row of the same id (the rows
        migrations made, which the snapshot holds too), or of every row."""
        quote = connection.ops.quote_name
        # One transaction, so that foreign keys are checked once every row is back,
        # in a transactional test (autocommit) too.
        with transaction.atomic(), connection.cursor() as cursor:
            for model in self.models:
                pk, table = quote(model._meta.pk.column), quote(model._meta.db_table)
                kept = f"SELECT {pk} FROM {self.table(model)}"  # noqa: S608
                if replacing_every_row:
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608
                else:
                    cursor.execute(f"DELETE FROM {table} WHERE {pk} IN ({kept})")  # noqa: S608
            # The rows put back fire the triggers that count revisions: what those
            # wrote gives way to the snapshot's own counts, restored last.
            counts = [
                apps.get_model("markets", name)
                for name in ("ShownRevision", "TableRevision")
            ]
            for model in [*(m for m in self.models if m not in counts), *counts]:
                columns = ", ".join(
                    quote(field.column) for field in model._meta.local_concrete_fields
                )
                table = quote(model._meta.db_table)
                if model in counts:
                    cursor.execute(f"DELETE FROM {table}")  # noqa: S608
                rows = f"SELECT {columns} FROM {self.table(model)}"  # noqa: S608
                cursor.execute(f"INSERT INTO {table} ({columns}) {rows}")
            # PostgreSQL's sequences do not follow explicit ids; SQLite's do.
            for statement in connection.ops.sequence_reset_sql(no_style(), self.models):
                cursor.execute(statement)

    def drop(self) -> None:
        with connection.cursor() as cursor:
            for model in self.models:
                cursor.execute(f"DROP TABLE IF EXISTS {self.table(model)}")
