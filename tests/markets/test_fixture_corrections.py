"""A database loaded before the article data were corrected gets the corrections by
migrating, as a saved change (its version raised, a history row with the reason); an
analyst's own edit of the same fact stands."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from markets.models import MarketFigure, ModeEvent
from tests.factories import MarketFigureFactory, ModeEventFactory

BEFORE = ("markets", "0028_date_precisions_of_seasons_quarters_and_thirds")
CORRECTIONS = ("markets", "0029_article_fixture_corrections")
LAUNCH = "fully-managed-us-launch-planned-2023-09"
SHARE = "a35ce4b4-a81b-5d07-9266-81fea13a9c54"


def migrate_to_latest() -> None:
    """Every migration applied, as the models now read the tables: one added after
    the step under test leaves the current models reading a column not yet there."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def migrate(target: tuple[str, str]) -> None:
    executor = MigrationExecutor(connection)
    executor.migrate([target])


@pytest.mark.django_db(transaction=True)
def test_facts_loaded_before_the_corrections_are_corrected_by_migrating():
    launch = ModeEventFactory(slug=LAUNCH, is_scheduled=False)
    share = MarketFigureFactory(
        uuid=SHARE,
        metric_zh="全闭环小店GMV占比",
        metric_en="Closed-loop shop's share of GMV",
    )
    migrate(BEFORE)
    migrate(CORRECTIONS)
    migrate_to_latest()

    launch_now = ModeEvent.objects.get(pk=launch.pk)
    share_now = MarketFigure.objects.get(pk=share.pk)
    assert launch_now.is_scheduled
    assert (share_now.metric_zh, share_now.metric_en) == ("GMV占比", "Share of GMV")
    assert launch_now.version == launch.version + 1
    assert share_now.version == share.version + 1
    newest = launch_now.history.first()
    assert newest.is_scheduled and "article data audit" in newest.history_change_reason
    assert share_now.history.first().metric_en == "Share of GMV"


@pytest.mark.django_db(transaction=True)
def test_an_analysts_own_edit_of_a_corrected_fact_stands():
    share = MarketFigureFactory(uuid=SHARE, metric_en="GMV share, UK and US")
    migrate(BEFORE)
    migrate(CORRECTIONS)
    migrate_to_latest()
    kept = MarketFigure.objects.get(pk=share.pk)
    assert (kept.metric_en, kept.version) == ("GMV share, UK and US", share.version)
