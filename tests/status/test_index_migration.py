"""The status index changed app (markets to status) in the migration state alone: a
database migrated from before the move keeps its spans, and gives the same answers."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from markets.models import Market, Mode
from status.models import StatusSpan
from status.selectors import status_on
from tests.factories import EventEvidenceFactory, MarketFactory, ModeEventFactory

LAST_BEFORE_THE_MOVE = ("markets", "0026_text_without_control_characters")


def spans() -> list[tuple]:
    return list(StatusSpan.objects.order_by("pk").values_list())


def answers() -> list[tuple]:
    day = datetime.date(2024, 6, 1)
    return [
        (
            cell.market.code,
            cell.mode,
            cell.status,
            cell.uncertain,
            cell.span and cell.span.pk,
        )
        for cell in status_on(Market.objects.all(), day)
    ]


@pytest.mark.django_db(transaction=True)
def test_a_database_migrated_across_the_move_keeps_its_spans_and_answers():
    market = MarketFactory(code="DE")
    event = ModeEventFactory(
        mode=Mode.SEMI_CLOSED_LOOP, date=datetime.date(2024, 2, 1), markets=[market]
    )
    EventEvidenceFactory(fact=event)
    spans_before, answers_before = spans(), answers()
    assert spans_before

    executor = MigrationExecutor(connection)
    executor.migrate([LAST_BEFORE_THE_MOVE, ("status", None)])
    state = executor.loader.project_state(LAST_BEFORE_THE_MOVE)
    assert ("markets", "statusspan") in state.models
    assert ("status", "statusspan") not in state.models

    executor = MigrationExecutor(connection)
    assert StatusSpan._meta.db_table in connection.introspection.table_names()
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    executor = MigrationExecutor(connection)
    assert not executor.migration_plan(executor.loader.graph.leaf_nodes())
    assert spans() == spans_before
    assert answers() == answers_before
