"""StatusChange, the status index, always says what the events and their markets say."""

import datetime

import pytest

from markets.models import Market, Mode, ModeEvent, Publication, Status, StatusChange
from tests.factories import MarketFactory, ModeEventFactory

pytestmark = pytest.mark.django_db


def index_rows() -> set[tuple]:
    return set(
        StatusChange.objects.values_list("event", "market", "mode", "date", "status")
    )


def rows_the_events_say() -> set[tuple]:
    """Every market of every published event that sets a status, worked out again."""
    return {
        (event.pk, market.pk, event.mode, event.date, event.status_set)
        for event in ModeEvent.objects.setting_status().prefetch_related("markets")
        for market in event.markets.all()
    }


@pytest.fixture
def germany() -> Market:
    return MarketFactory(code="DE")


@pytest.fixture
def france() -> Market:
    return MarketFactory(code="FR")


@pytest.fixture
def beta(germany, france) -> ModeEvent:
    return ModeEventFactory(markets=[germany, france])


def test_a_new_event_is_indexed_in_each_of_its_markets(beta, germany, france):
    assert {(market, status) for _e, market, _m, _d, status in index_rows()} == {
        (germany.pk, Status.BETA),
        (france.pk, Status.BETA),
    }
    assert index_rows() == rows_the_events_say()


@pytest.mark.parametrize(
    "change",
    [
        {"date": datetime.date(2023, 5, 1)},
        {"mode": Mode.CLOSED_LOOP},
        {"status_set": Status.CLOSED},
        {"status_set": Status.NONE},
        {"publication": Publication.DRAFT},
    ],
    ids=["date", "mode", "status", "no status", "draft"],
)
def test_an_edited_event_is_indexed_again(beta, change):
    for field, value in change.items():
        setattr(beta, field, value)
    beta.save()
    assert index_rows() == rows_the_events_say()


def test_a_draft_published_later_is_indexed_then(germany):
    draft = ModeEventFactory(markets=[germany], publication=Publication.DRAFT)
    assert index_rows() == set()
    draft.publication = Publication.PUBLISHED
    draft.save()
    assert index_rows() == rows_the_events_say() != set()


def test_markets_added_removed_or_cleared_on_either_side_are_followed(
    beta, germany, france
):
    japan = MarketFactory(code="JP")
    beta.markets.add(japan)
    assert index_rows() == rows_the_events_say()
    beta.markets.remove(france)
    assert index_rows() == rows_the_events_say()
    japan.events.remove(beta)
    assert index_rows() == rows_the_events_say()
    france.events.add(beta)
    assert index_rows() == rows_the_events_say()
    germany.events.clear()
    assert index_rows() == rows_the_events_say()
    beta.markets.clear()
    assert index_rows() == rows_the_events_say() == set()


def test_a_deleted_event_leaves_no_rows(beta):
    beta.delete()
    assert index_rows() == set()


def test_rebuild_writes_what_the_signals_wrote(beta, germany):
    ModeEventFactory(markets=[germany], date=datetime.date(2025, 1, 1))
    before = index_rows()
    StatusChange.objects.all().delete()
    StatusChange.objects.rebuild()
    assert index_rows() == before == rows_the_events_say()


def test_the_article_data_are_indexed_when_loaded(article_data):
    assert index_rows() == rows_the_events_say() != set()
