"""Which events a changed cell lists as what changed it: those deciding its answer
before or after, and those dated in between that name its market, on the page's
comparison and in the API (status.changes.cells_changed_by)."""

import datetime

import pytest
from django.test import Client

from markets.dates import DatePrecision
from markets.models import EventKind, EventScope, Market, Mode, ModeEvent, Status
from status.changes import CellChange, Comparison, Question, changes_between
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

day = datetime.date.fromisoformat
FIRST, LAST = day("2023-06-01"), day("2024-06-01")


def event(markets: list[Market], on: str, **kwargs) -> ModeEvent:
    """A published semi-closed-loop event of one day, quoted from a source published
    ``published`` (much later by default)."""
    published = kwargs.pop("published", "2030-01-01")
    found = ModeEventFactory(
        markets=markets,
        date=day(on),
        date_precision=kwargs.pop("date_precision", DatePrecision.DAY),
        **kwargs,
    )
    source = SourceFactory(
        published_on=day(published), published_precision=DatePrecision.DAY
    )
    EventEvidenceFactory(fact=found, source=source)
    return found


def launch(markets: list[Market], on: str, **kwargs) -> ModeEvent:
    return event(markets, on, kind=EventKind.LAUNCH, status_set=Status.LIVE, **kwargs)


def beta(markets: list[Market], on: str, **kwargs) -> ModeEvent:
    return event(
        markets, on, kind=EventKind.BETA_LAUNCH, status_set=Status.BETA, **kwargs
    )


def worldwide_closure(on: str, **kwargs) -> ModeEvent:
    return event(
        [],
        on,
        kind=EventKind.CLOSURE_EFFECTIVE,
        status_set=Status.CLOSED,
        scope=EventScope.WORLDWIDE,
        **kwargs,
    )


def changed(comparison: Comparison) -> dict[str, CellChange]:
    """The changed semi-closed-loop cells, by market code."""
    return {
        change.market.code: change
        for change in changes_between(
            Market.objects.public(), comparison, [Mode.SEMI_CLOSED_LOOP]
        )
    }


def causes_listed_by_the_api(first: datetime.date, last: datetime.date) -> dict:
    body = (
        Client()
        .get(
            "/api/changes/",
            {"from": first, "to": last, "mode": Mode.SEMI_CLOSED_LOOP},
        )
        .json()
    )
    return {
        change["market"]: [event["slug"] for event in change["events"]]
        for change in body["changes"]
    }


@pytest.fixture
def germany() -> Market:
    return MarketFactory(code="DE")


@pytest.fixture
def usa() -> Market:
    return MarketFactory(code="US")


@pytest.fixture
def closure_then_beta(germany: Market, usa: Market) -> dict[str, ModeEvent]:
    """The semi-closed loop runs in the US, closes worldwide, then opens in beta in
    Germany, where it had never run."""
    return {
        "launch": launch([usa], "2022-03-01"),
        "closure": worldwide_closure("2023-08-31"),
        "beta": beta([germany], "2024-02-01"),
    }


def test_a_worldwide_closure_is_no_cause_of_a_market_whose_change_was_a_beta_launch(
    closure_then_beta,
):
    cells = changed(Comparison(Question(FIRST), Question(LAST)))
    germany = cells["DE"]
    assert (germany.before.status, germany.after.status) == (
        Status.NO_EVIDENCE,
        Status.BETA,
    )
    assert germany.events == [closure_then_beta["beta"]]


def test_a_worldwide_closure_that_decides_an_answer_is_its_cause(closure_then_beta):
    usa = changed(Comparison(Question(FIRST), Question(LAST)))["US"]
    assert (usa.before.status, usa.after.status) == (Status.LIVE, Status.CLOSED)
    # The launch decides the answer before, the closure the answer after.
    assert usa.events == [closure_then_beta["launch"], closure_then_beta["closure"]]


def test_an_event_dated_between_that_names_the_market_is_a_cause(germany, usa):
    tried = beta([germany], "2023-09-01")
    launched = launch([germany], "2024-03-01")
    beta([usa], "2023-10-01")  # another market's
    beta([germany], "2023-10-01", mode=Mode.CLOSED_LOOP)  # another mode's
    cells = changed(Comparison(Question(FIRST), Question(LAST)))
    # The beta no longer decides the answer, yet it changed the cell in between.
    assert cells["DE"].after.event == launched
    assert cells["DE"].events == [tried, launched]


def test_the_event_deciding_the_answer_after_is_a_cause_though_dated_before_the_first_day(
    germany,
):
    # Some day of 2023: uncertain on the first day, certain by the last.
    sometime = beta([germany], "2023-01-01", date_precision=DatePrecision.YEAR)
    germany_cell = changed(Comparison(Question(FIRST), Question(LAST)))["DE"]
    assert (germany_cell.before.uncertain, germany_cell.after.uncertain) == (
        True,
        False,
    )
    assert sometime.date < FIRST
    assert germany_cell.events == [sometime]


def test_the_api_lists_the_same_causes(closure_then_beta, germany):
    launched = launch([germany], "2024-03-01")
    listed = causes_listed_by_the_api(FIRST, LAST)
    assert listed == {
        "DE": [closure_then_beta["beta"].slug, launched.slug],
        "US": [closure_then_beta["launch"].slug, closure_then_beta["closure"].slug],
    }


def test_the_api_lists_the_event_deciding_the_answer_after_though_dated_before(
    germany,
):
    sometime = beta([germany], "2023-01-01", date_precision=DatePrecision.YEAR)
    assert causes_listed_by_the_api(FIRST, LAST) == {"DE": [sometime.slug]}


def test_what_became_known_of_a_worldwide_closure_is_no_news_of_a_beta_launch(
    germany, usa
):
    launch([usa], "2022-03-01", published="2022-03-02")
    closure = worldwide_closure("2023-08-31", published="2023-09-01")
    opened = beta([germany], "2024-02-01", published="2024-02-02")
    comparison = Comparison.asked(FIRST, LAST, day("2023-07-01"), LAST)
    assert comparison.learns
    cells = changed(comparison)
    assert [quote.fact for quote in cells["DE"].became_known] == [opened]
    assert [quote.fact for quote in cells["US"].became_known] == [closure]


@pytest.mark.parametrize("markets", [1, 12])
def test_the_causes_cost_no_query_per_cell(markets, django_assert_max_num_queries):
    """Guards an N+1: the causes of every cell are read together, with their markets
    and quotes, however many cells changed."""
    worldwide_closure("2023-08-31")
    for code in [
        "AT",
        "AU",
        "BE",
        "CA",
        "CH",
        "DE",
        "DK",
        "ES",
        "FI",
        "FR",
        "IT",
        "JP",
    ][:markets]:
        market = MarketFactory(code=code)
        beta([market], "2023-09-01")
        launch([market], "2024-03-01")
    with django_assert_max_num_queries(13):
        listed = causes_listed_by_the_api(FIRST, LAST)
    assert len(listed) == markets
    assert all(len(causes) == 2 for causes in listed.values())
