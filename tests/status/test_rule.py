"""The answer for a mode in a market on a day, as the status rule gives it."""

import datetime

import pytest

from markets.dates import DatePrecision
from markets.models import EventKind, EventScope, Market, Mode, Publication, Status
from markets.vocabulary import StatusSet
from status.selectors import status_on
from tests.factories import (
    DisputeFactory,
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

day = datetime.date.fromisoformat


def answer(market: Market, on: str, mode: str = Mode.SEMI_CLOSED_LOOP, **kwargs):
    (cell,) = status_on(Market.objects.filter(pk=market.pk), day(on), [mode], **kwargs)
    return cell


def source_published(on: str, precision: str = DatePrecision.DAY, **kwargs):
    return SourceFactory(published_on=day(on), published_precision=precision, **kwargs)


def claim(markets, on: str, precision=DatePrecision.MONTH, source=None, **kwargs):
    """A published event with one quote, from ``source`` (published much later)."""
    event = ModeEventFactory(
        markets=markets, date=day(on), date_precision=precision, **kwargs
    )
    EventEvidenceFactory(fact=event, source=source or source_published("2030-01-01"))
    return event


def closure(markets, on: str, precision=DatePrecision.DAY, **kwargs):
    return claim(
        markets,
        on,
        precision,
        kind=EventKind.CLOSURE_EFFECTIVE,
        status_set=Status.CLOSED,
        **kwargs,
    )


@pytest.fixture
def germany() -> Market:
    return MarketFactory(code="DE")


@pytest.fixture
def usa() -> Market:
    return MarketFactory(code="US")


def test_where_no_source_speaks_there_is_no_evidence_not_a_status(germany):
    cell = answer(germany, "2024-06-01")
    assert (cell.status, cell.event, cell.uncertain) == (
        Status.NO_EVIDENCE,
        None,
        False,
    )
    assert not cell.is_running and not cell.stale


def test_after_a_closure_the_mode_is_known_not_to_run(usa):
    closure([usa], "2023-09-12")
    cell = answer(usa, "2023-10-01")
    assert (cell.status, cell.is_running, cell.implied) == (Status.CLOSED, False, False)


def test_a_closure_implies_the_mode_ran_before_since_an_unknown_day(usa):
    shut = closure([usa], "2023-09-12")
    cell = answer(usa, "2020-01-01")
    assert (cell.status, cell.implied, cell.since) == (Status.LIVE, True, None)
    assert cell.event == shut
    assert answer(usa, "2023-09-11").implied
    assert answer(usa, "2023-09-12").status == Status.CLOSED


def test_a_launch_implies_nothing_before_it(germany):
    claim([germany], "2024-02-01")
    assert answer(germany, "2024-01-31").status == Status.NO_EVIDENCE


@pytest.mark.parametrize(
    ("precision", "date", "first_uncertain", "certain_from"),
    [
        (DatePrecision.DAY, "2024-02-09", None, "2024-02-09"),
        (DatePrecision.MONTH, "2024-02-01", "2024-02-01", "2024-03-01"),
        (DatePrecision.MONTH_END, "2023-08-01", "2023-08-21", "2023-09-01"),
        (DatePrecision.YEAR, "2023-01-01", "2023-01-01", "2024-01-01"),
        (DatePrecision.YEAR_END, "2023-01-01", "2023-10-01", "2024-01-01"),
        (DatePrecision.APPROXIMATE, "2020-01-01", "2018-01-01", "2023-01-01"),
    ],
    ids=["day", "month", "end of month", "year", "end of year", "about a year"],
)
def test_a_date_is_the_range_its_wording_allows(
    germany, precision, date, first_uncertain, certain_from
):
    claim([germany], date, precision)
    certain = day(certain_from)
    before = certain - datetime.timedelta(days=1)
    if first_uncertain is None:
        assert answer(germany, before.isoformat()).status == Status.NO_EVIDENCE
    else:
        start = day(first_uncertain)
        no_evidence_yet = start - datetime.timedelta(days=1)
        assert answer(germany, no_evidence_yet.isoformat()).status == (
            Status.NO_EVIDENCE
        )
        for inside in (start, before):
            cell = answer(germany, inside.isoformat())
            assert (cell.status, cell.uncertain) == (Status.BETA, True)
            assert cell.previous_status == Status.NO_EVIDENCE
            assert cell.certain_from == certain
    cell = answer(germany, certain_from)
    assert (cell.status, cell.uncertain, cell.certain_from) == (
        Status.BETA,
        False,
        None,
    )
    # The start is the claim's own date, never the first certain day: a day only
    # where the source gives one.
    assert (cell.start.earliest, cell.start.latest) == (
        day(first_uncertain or date),
        before if first_uncertain else certain,
    )
    assert cell.since == (certain if precision == DatePrecision.DAY else None)


def test_what_already_happened_happened_by_its_sources_publication(germany):
    """A report published on 10 March says the shortlist exists: it did by then."""
    claim(
        [germany],
        "2024-01-01",
        DatePrecision.YEAR,
        source=source_published("2024-03-10"),
        kind=EventKind.UNDER_CONSIDERATION,
        status_set=Status.CONSIDERING,
    )
    assert answer(germany, "2024-03-10").uncertain
    cell = answer(germany, "2024-03-11")
    assert (cell.status, cell.uncertain) == (Status.CONSIDERING, False)


def test_a_source_dated_by_month_bounds_its_claim_by_the_months_end(germany):
    claim(
        [germany],
        "2024-01-01",
        DatePrecision.YEAR,
        source=source_published("2024-03-01", DatePrecision.MONTH),
    )
    assert answer(germany, "2024-03-31").certain_from == day("2024-04-01")


def test_what_is_announced_ahead_is_scheduled_not_bounded_by_publication(usa):
    closure(
        [usa],
        "2023-08-01",
        DatePrecision.MONTH_END,
        source=source_published("2023-08-05"),
        is_scheduled=True,
    )
    cell = answer(usa, "2023-08-25")
    assert (cell.status, cell.uncertain, cell.previous_status) == (
        Status.CLOSED,
        True,
        Status.LIVE,
    )
    cell = answer(usa, "2023-09-05")
    assert (cell.status, cell.uncertain, cell.scheduled) == (Status.CLOSED, False, True)


def test_a_worldwide_change_concerns_every_market_where_the_mode_then_runs(germany):
    brazil, france = MarketFactory(code="BR"), MarketFactory(code="FR")
    claim([germany], "2024-02-01")
    claim(
        [brazil],
        "2024-01-01",
        DatePrecision.YEAR,
        kind=EventKind.UNDER_CONSIDERATION,
        status_set=Status.CONSIDERING,
    )
    claim([france], "2026-01-01", DatePrecision.DAY)
    worldwide = closure([], "2025-06-01", scope=EventScope.WORLDWIDE)
    assert answer(germany, "2025-06-01").event == worldwide
    assert answer(germany, "2025-06-01").status == Status.CLOSED
    assert answer(brazil, "2025-06-01").status == Status.CONSIDERING
    assert answer(france, "2025-06-01").status == Status.NO_EVIDENCE
    # After the closure, France's own launch stands.
    assert answer(france, "2026-01-01").status == Status.BETA


def test_an_event_with_no_market_changes_no_answer(germany):
    claim([germany], "2024-02-01")
    closure([], "2025-06-01", scope=EventScope.NONE)
    assert answer(germany, "2025-07-01").status == Status.BETA


def test_disputed_claims_make_one_uncertain_transition_naming_each_claim(usa):
    """One source says September, another the end of August, worldwide."""
    dispute = DisputeFactory(note_en="September or the end of August?")
    september = closure(
        [usa],
        "2023-09-01",
        DatePrecision.MONTH,
        dispute=dispute,
        source=source_published("2024-01-01", DatePrecision.YEAR),
    )
    august = closure(
        [],
        "2023-08-01",
        DatePrecision.MONTH_END,
        scope=EventScope.WORLDWIDE,
        is_scheduled=True,
        dispute=dispute,
        source=source_published("2023-08-01", DatePrecision.MONTH),
    )
    assert answer(usa, "2023-08-20").implied
    for inside in ("2023-08-21", "2023-09-15", "2023-09-30"):
        cell = answer(usa, inside)
        assert (cell.status, cell.uncertain, cell.previous_status) == (
            Status.CLOSED,
            True,
            Status.LIVE,
        )
        assert set(cell.claims) == {september, august}
        assert cell.dispute == dispute
        assert cell.certain_from == day("2023-10-01")
        assert all(claim.evidence.all() for claim in cell.claims)
    cell = answer(usa, "2023-10-01")
    assert (cell.status, cell.uncertain, cell.scheduled) == (
        Status.CLOSED,
        False,
        False,
    )


def test_a_day_precise_claim_joined_to_a_dispute_widens_it_not_sharpens_it(usa):
    dispute = DisputeFactory()
    closure([usa], "2023-09-01", DatePrecision.MONTH, dispute=dispute)
    closure([], "2023-09-12", scope=EventScope.WORLDWIDE, dispute=dispute)
    assert answer(usa, "2023-09-20").uncertain
    assert answer(usa, "2023-09-20").certain_from == day("2023-10-01")


def test_freshness_is_the_newest_sources_last_possible_day(germany, settings):
    settings.LOOPWATCH_STALE_AFTER_DAYS = 30
    older = source_published("2024-02-10")
    newer = source_published("2024-03-01", DatePrecision.MONTH)
    event = claim([germany], "2024-02-01", source=older)
    EventEvidenceFactory(fact=event, source=newer)
    cell = answer(germany, "2024-04-30")
    assert (cell.evidence_on, cell.evidence_source) == (day("2024-03-31"), newer)
    assert not cell.stale
    assert answer(germany, "2024-05-01").stale


def test_an_answer_resting_on_undated_sources_is_stale(germany):
    claim(
        [germany],
        "2024-02-01",
        source=SourceFactory(published_on=None, published_precision=""),
    )
    cell = answer(germany, "2024-06-01")
    assert (cell.evidence_on, cell.stale) == (None, True)


def test_an_event_that_sets_no_status_never_decides(germany):
    beta = claim([germany], "2024-02-01")
    claim(
        [germany],
        "2024-03-01",
        kind=EventKind.REGULATORY_ACTION,
        status_set=StatusSet.NONE,
    )
    assert answer(germany, "2024-04-01").event == beta


def test_draft_event_never_changes_public_status(germany):
    claim([germany], "2024-02-01")
    closure([germany], "2024-05-01", publication=Publication.DRAFT)
    assert answer(germany, "2024-06-01").status == Status.BETA


def test_other_modes_are_kept_apart(germany):
    claim([germany], "2024-02-01")
    assert answer(germany, "2024-06-01", Mode.CLOSED_LOOP).status == (
        Status.NO_EVIDENCE
    )


def test_known_on_counts_only_sources_published_by_then(germany):
    claim([germany], "2024-02-01", source=source_published("2024-03-01", "month"))
    assert answer(germany, "2024-06-01", known_on=day("2024-02-15")).status == (
        Status.NO_EVIDENCE
    )
    # Published "in March 2024": perhaps on the 31st, so not yet on the 15th.
    assert answer(germany, "2024-06-01", known_on=day("2024-03-15")).status == (
        Status.NO_EVIDENCE
    )
    cell = answer(germany, "2024-06-01", known_on=day("2024-03-31"))
    assert cell.status == Status.BETA
    assert [e.source.published_on for e in cell.event.evidence.all()] == [
        day("2024-03-01")
    ]


def test_known_on_keeps_only_the_claims_known_then(usa):
    """Before the September report, only the announced closure was known."""
    dispute = DisputeFactory()
    closure(
        [usa],
        "2023-09-01",
        "month",
        dispute=dispute,
        source=source_published("2024-01-01", "year"),
    )
    closure(
        [usa],
        "2023-08-01",
        "month_end",
        dispute=dispute,
        is_scheduled=True,
        source=source_published("2023-08-01", "month"),
    )
    cell = answer(usa, "2023-09-15", known_on=day("2023-10-01"))
    assert (cell.uncertain, cell.scheduled, len(cell.claims)) == (False, True, 1)


@pytest.mark.parametrize(
    ("known_on", "counted"),
    [("2024-01-15", False), ("2024-12-30", False), ("2024-12-31", True)],
)
def test_a_source_dated_only_by_year_counts_from_the_years_end(
    germany, known_on, counted
):
    event = claim(
        [germany], "2024-02-01", source=source_published("2024-01-01", "year")
    )
    cell = answer(germany, "2025-01-01", known_on=day(known_on))
    assert (cell.event == event) is counted


def test_the_index_and_the_rule_worked_out_afresh_agree_on_every_day(germany, usa):
    """``known_on`` far ahead counts every source: the same rule, computed when asked."""
    dispute = DisputeFactory()
    claim([germany], "2024-02-01")
    closure([usa], "2023-09-01", "month", dispute=dispute)
    closure([], "2023-08-01", "month_end", scope="worldwide", dispute=dispute)
    closure([germany], "2025-01-01", "year_end")
    days = [day("2023-01-01") + datetime.timedelta(days=n) for n in range(0, 1200, 9)]
    for on in days:
        indexed = status_on(Market.objects.all(), on)
        computed = status_on(Market.objects.all(), on, known_on=day("2100-01-01"))
        assert [
            (c.market.code, c.mode, c.status, c.uncertain, c.certain_from, c.implied)
            for c in indexed
        ] == [
            (c.market.code, c.mode, c.status, c.uncertain, c.certain_from, c.implied)
            for c in computed
        ], on


def test_status_of_every_market_costs_four_queries(django_assert_num_queries):
    """Guards against a query per market or per event."""
    markets = MarketFactory.create_batch(30)
    for market in markets:
        claim([market], "2024-02-01")
    with django_assert_num_queries(4):
        cells = status_on(Market.objects.all(), day("2024-06-01"))
        assert all(
            cell.event.evidence.all()[0].source.title
            and cell.evidence_source is not None
            for cell in cells
            if cell.event
        )
    assert len(cells) == 30 * len(Mode.values)
