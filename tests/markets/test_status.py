"""The status of a mode in a market on a day: the latest published event decides."""

import datetime

import pytest

from markets.dates import DatePrecision
from markets.models import Market, Mode, Publication, Status
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def semi_closed_loop_status(day: datetime.date, **kwargs):
    (cell,) = Market.objects.status_on(day, modes=[Mode.SEMI_CLOSED_LOOP], **kwargs)
    return cell


@pytest.fixture
def germany() -> Market:
    return MarketFactory(code="DE")


@pytest.fixture
def beta_from_february_2024(germany):
    event = ModeEventFactory(markets=[germany], date=datetime.date(2024, 2, 1))
    EventEvidenceFactory(fact=event)
    return event


def test_no_event_means_no_status(germany):
    cell = semi_closed_loop_status(datetime.date(2024, 6, 1))
    assert (cell.status, cell.event, cell.uncertain) == (Status.NONE, None, False)


def test_status_before_the_first_event_is_none(beta_from_february_2024):
    assert semi_closed_loop_status(datetime.date(2024, 1, 31)).status == Status.NONE


def test_a_day_inside_a_month_precision_event_is_uncertain(beta_from_february_2024):
    cell = semi_closed_loop_status(datetime.date(2024, 2, 10))
    assert (cell.status, cell.uncertain) == (Status.BETA, True)
    assert cell.event == beta_from_february_2024


def test_after_the_month_the_status_is_certain(beta_from_february_2024):
    cell = semi_closed_loop_status(datetime.date(2024, 3, 1))
    assert (cell.status, cell.uncertain) == (Status.BETA, False)


def test_a_later_event_takes_over(germany, beta_from_february_2024):
    ModeEventFactory(
        markets=[germany],
        kind="closure_effective",
        status_set=Status.CLOSED,
        date=datetime.date(2024, 9, 30),
        date_precision=DatePrecision.DAY,
    )
    assert semi_closed_loop_status(datetime.date(2024, 9, 29)).status == Status.BETA
    cell = semi_closed_loop_status(datetime.date(2024, 9, 30))
    assert (cell.status, cell.uncertain) == (Status.CLOSED, False)


def test_an_event_that_sets_no_status_never_decides(germany, beta_from_february_2024):
    ModeEventFactory(
        markets=[germany],
        kind="regulatory_action",
        status_set=Status.NONE,
        date=datetime.date(2024, 3, 1),
    )
    assert (
        semi_closed_loop_status(datetime.date(2024, 4, 1)).event
        == beta_from_february_2024
    )


def test_draft_event_never_changes_public_status(germany, beta_from_february_2024):
    ModeEventFactory(
        markets=[germany],
        status_set=Status.CLOSED,
        date=datetime.date(2024, 5, 1),
        publication=Publication.DRAFT,
    )
    assert semi_closed_loop_status(datetime.date(2024, 6, 1)).status == Status.BETA


def test_other_modes_are_kept_apart(germany, beta_from_february_2024):
    (cell,) = Market.objects.status_on(
        datetime.date(2024, 6, 1), modes=[Mode.CLOSED_LOOP]
    )
    assert cell.status == Status.NONE


def test_known_on_counts_only_sources_published_by_then(germany):
    event = ModeEventFactory(markets=[germany], date=datetime.date(2024, 2, 1))
    EventEvidenceFactory(
        fact=event,
        source=SourceFactory(
            published_on=datetime.date(2024, 3, 1),
            published_precision=DatePrecision.MONTH,
        ),
    )
    day = datetime.date(2024, 6, 1)
    assert (
        semi_closed_loop_status(day, known_on=datetime.date(2024, 2, 15)).status
        == Status.NONE
    )
    # Published "in March 2024": perhaps on the 31st, so not yet on the 15th.
    assert (
        semi_closed_loop_status(day, known_on=datetime.date(2024, 3, 15)).status
        == Status.NONE
    )
    cell = semi_closed_loop_status(day, known_on=datetime.date(2024, 3, 31))
    assert cell.status == Status.BETA
    assert [evidence.source.published_on for evidence in cell.event.evidence.all()] == [
        datetime.date(2024, 3, 1)
    ]


@pytest.mark.parametrize(
    ("known_on", "counted"),
    [
        (datetime.date(2024, 1, 15), False),
        (datetime.date(2024, 12, 30), False),
        (datetime.date(2024, 12, 31), True),
    ],
)
def test_a_source_dated_only_by_year_counts_from_the_years_end(
    germany, known_on, counted
):
    event = ModeEventFactory(markets=[germany], date=datetime.date(2024, 2, 1))
    EventEvidenceFactory(
        fact=event,
        source=SourceFactory(
            published_on=datetime.date(2024, 1, 1),
            published_precision=DatePrecision.YEAR,
        ),
    )
    cell = semi_closed_loop_status(datetime.date(2025, 1, 1), known_on=known_on)
    assert (cell.event == event) is counted


def test_status_of_every_market_costs_three_queries(django_assert_num_queries):
    """Guards against a query per market or per event."""
    markets = MarketFactory.create_batch(30)
    for market in markets:
        EventEvidenceFactory(fact=ModeEventFactory(markets=[market]))
    with django_assert_num_queries(3):
        cells = Market.objects.status_on(datetime.date(2024, 6, 1))
        assert all(
            cell.event.evidence.all()[0].source.title for cell in cells if cell.event
        )
    assert len(cells) == 30 * len(Mode.values)
