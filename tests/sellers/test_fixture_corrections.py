"""A database loaded before Zhang Ting's figures were placed against the closure gets
their periods and sides by migrating, as a saved change; an analyst's own edit stands."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from sellers.models import SellerFigure
from tests.factories import SellerFigureFactory

BEFORE = ("sellers", "0011_figure_period_against_the_event")
PLACED = ("sellers", "0012_zhang_ting_figures_placed")
MONTHLY_ORDERS = "0be59b6b-7f81-54ab-b2d2-ddf09350e8fa"
ORDERS_HALVED = "7e7c9a13-353e-5f88-98b6-faccf64c168d"


def migrate_to_latest() -> None:
    """Every migration applied, as the models now read the tables: one added after
    the step under test leaves the current models reading a column not yet there."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(target: tuple[str, str]) -> None:
    MigrationExecutor(connection).migrate([target])


@pytest.mark.django_db(transaction=True)
def test_figures_loaded_before_they_were_placed_are_placed_by_migrating():
    orders = SellerFigureFactory(uuid=MONTHLY_ORDERS)
    halved = SellerFigureFactory(uuid=ORDERS_HALVED, value_before=None)
    edited = SellerFigureFactory(
        uuid="e34dfcb6-35d5-5e3e-911e-7fbe478f4405", event_side="before"
    )
    migrate(BEFORE)
    migrate(PLACED)
    migrate_to_latest()

    orders_now = SellerFigure.objects.get(pk=orders.pk)
    assert (orders_now.period_date, orders_now.period_precision) == (
        datetime.date(2023, 1, 1),
        "half",
    )
    assert orders_now.version == orders.version + 1
    assert "article data audit" in orders_now.history.first().history_change_reason
    assert SellerFigure.objects.get(pk=halved.pk).event_side == "after"
    kept = SellerFigure.objects.get(pk=edited.pk)
    assert (kept.event_side, kept.version) == ("before", edited.version)
