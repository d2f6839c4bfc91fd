"""StatusSpan, the status index, always says what the rule says of the record now."""

import datetime

import pytest

from markets.models import (
    Dispute,
    EventScope,
    Market,
    Mode,
    ModeEvent,
    Publication,
    Status,
)
from markets.vocabulary import StatusSet
from status.claims import resolved_spans
from status.models import StatusSpan
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


SPAN_FIELDS = (
    "market_id",
    "mode",
    "start",
    "end",
    "status",
    "previous_status",
    "uncertain",
    "implied",
    "scheduled",
    "event_id",
    "claim_ids",
    "dispute_id",
    "evidence_on",
    "evidence_source_id",
)


def as_row(span: StatusSpan) -> tuple:
    return tuple(
        tuple(value) if isinstance(value, list) else value
        for value in (getattr(span, name) for name in SPAN_FIELDS)
    )


def index_rows() -> set[tuple]:
    return {as_row(span) for span in StatusSpan.objects.all()}


def rows_the_events_say() -> set[tuple]:
    """The rule applied to the record from scratch: what the index must hold."""
    return {
        as_row(StatusSpan.of(market, mode, span))
        for (market, mode), spans in resolved_spans(Mode.values).items()
        for span in spans
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
    assert {(span.market_id, span.status) for span in StatusSpan.objects.all()} == {
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
        {"status_set": StatusSet.NONE},
        {"publication": Publication.DRAFT},
        {"date_precision": "day", "date": datetime.date(2024, 2, 9)},
        {"is_scheduled": True},
    ],
    ids=["date", "mode", "status", "no status", "draft", "precision", "scheduled"],
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
    StatusSpan.objects.all().delete()
    StatusSpan.objects.rebuild()
    assert index_rows() == before == rows_the_events_say()


def test_a_worldwide_event_and_its_scope_changes_are_followed(beta, germany):
    closure = ModeEventFactory(
        markets=[],
        scope=EventScope.WORLDWIDE,
        kind="closure_effective",
        status_set=Status.CLOSED,
        date=datetime.date(2025, 3, 1),
    )
    assert index_rows() == rows_the_events_say()
    assert StatusSpan.objects.filter(event=closure, market=germany).exists()
    closure.scope = EventScope.NONE
    closure.save()
    assert index_rows() == rows_the_events_say()
    assert not StatusSpan.objects.filter(event=closure).exists()


def test_evidence_sources_and_disputes_are_followed(beta, germany):
    """A source's date bounds a claim and dates its freshness; a dispute groups claims."""
    source = SourceFactory(
        published_on=datetime.date(2024, 2, 5), published_precision="day"
    )
    evidence = EventEvidenceFactory(fact=beta, source=source)
    assert index_rows() == rows_the_events_say()
    source.published_on = datetime.date(2024, 2, 20)
    source.save()
    assert index_rows() == rows_the_events_say()
    rival = ModeEventFactory(markets=[germany], date=datetime.date(2024, 4, 1))
    dispute = Dispute.objects.create(slug="beta-date", note_en="When did it start?")
    for claim in (beta, rival):
        claim.dispute = dispute
        claim.save()
    assert index_rows() == rows_the_events_say()
    assert StatusSpan.objects.filter(dispute=dispute, uncertain=True).exists()
    evidence.delete()
    assert index_rows() == rows_the_events_say()


def test_the_article_data_are_indexed_when_loaded(article_data):
    assert index_rows() == rows_the_events_say() != set()


def test_a_bulk_write_rewrites_the_spans_once_at_its_end(germany, france):
    with StatusSpan.objects.rewrites_deferred():
        beta = ModeEventFactory(markets=[germany, france])
        EventEvidenceFactory(fact=beta)
        ModeEventFactory(
            markets=[],
            scope=EventScope.WORLDWIDE,
            kind="closure_effective",
            status_set=Status.CLOSED,
            date=datetime.date(2025, 1, 1),
        )
        assert index_rows() == set()
    assert index_rows() == rows_the_events_say() != set()


def test_a_change_rewrites_only_the_markets_it_can_alter(beta, germany, france):
    """An event of France alone leaves Germany's spans as they were, row for row."""
    before = set(StatusSpan.objects.filter(market=germany).values_list("pk", flat=True))
    ModeEventFactory(
        markets=[france], date=datetime.date(2024, 6, 1), status_set="live"
    )
    after = set(StatusSpan.objects.filter(market=germany).values_list("pk", flat=True))
    assert before == after
    assert index_rows() == rows_the_events_say()
