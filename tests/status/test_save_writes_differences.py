"""A save moving what the rule reads writes only the spans that change, read from the
markets the event concerns (and the mode's worldwide events), never the whole mode:
the index after it is the one a rebuild from scratch writes, at a cost in queries that
other markets' events do not raise."""

import datetime

import pytest

from markets.models import EventScope, Market, Mode, ModeEvent, Status
from status.claims import events_reaching
from status.models import StatusSpan
from tests.factories import COUNTRY_CODES, MarketFactory, ModeEventFactory
from tests.status.test_status_spans import index_rows, rows_the_events_say

pytestmark = pytest.mark.django_db

#: Every query of an API PATCH moving an event's date: the request's, the save's
#: (version, history, caches), and the index's reach, claims and writes.
SAVE_QUERIES = 36


def on(day: str) -> dict:
    return {"date": datetime.date.fromisoformat(day), "date_precision": "day"}


@pytest.fixture
def record() -> dict[str, ModeEvent]:
    """Germany, France and Italy: a beta in two of them, a launch in France, one in
    a region (Germany and Italy) and a worldwide closure, all of one mode."""
    germany, france, italy = (MarketFactory(code=code) for code in ("DE", "FR", "IT"))
    return {
        "beta": ModeEventFactory(markets=[germany, france]),
        "one market": ModeEventFactory(
            markets=[france], kind="launch", status_set=Status.LIVE, **on("2024-06-01")
        ),
        "region": ModeEventFactory(
            markets=[germany, italy],
            scope=EventScope.REGION,
            kind="launch",
            status_set=Status.LIVE,
            **on("2024-09-01"),
        ),
        "worldwide": ModeEventFactory(
            markets=[],
            scope=EventScope.WORLDWIDE,
            kind="closure_effective",
            status_set=Status.CLOSED,
            **on("2025-03-01"),
        ),
    }


def patch_date(client, event: ModeEvent, day: str) -> None:
    response = client.patch(
        f"/api/mode-events/{event.slug}/",
        {"version": ModeEvent.objects.get(pk=event.pk).version, "date": day},
        format="json",
    )
    assert response.status_code == 200, response.content


@pytest.mark.parametrize("scope", ["one market", "region", "worldwide"])
def test_a_moved_date_leaves_the_index_as_a_rebuild_writes_it(
    record, editor_api, scope
):
    event = record[scope]
    patch_date(editor_api, event, (event.date + datetime.timedelta(days=1)).isoformat())
    assert index_rows() == rows_the_events_say() != set()


def test_a_moved_date_keeps_the_rows_of_spans_it_leaves_as_they_were(
    record, editor_api
):
    """France's closure follows its launch either way: its span keeps its row and id,
    so its drawn cell stays kept; the spans the move changes are written anew."""
    france = Market.objects.get(code="FR")
    closed = StatusSpan.objects.get(market=france, event=record["worldwide"])
    launched = StatusSpan.objects.get(market=france, event=record["one market"])

    patch_date(editor_api, record["one market"], "2024-06-02")

    assert StatusSpan.objects.get(market=france, event=record["worldwide"]) == closed
    assert not StatusSpan.objects.filter(pk=launched.pk).exists()
    assert StatusSpan.objects.get(
        market=france, event=record["one market"]
    ).start == datetime.date(2024, 6, 2)


@pytest.mark.parametrize("elsewhere", [0, 40])
def test_a_save_costs_the_same_queries_however_many_events_concern_other_markets(
    record, editor_api, django_assert_max_num_queries, elsewhere
):
    """The claims are read from France's links and the worldwide index, not by
    walking the mode: events of other markets add no query (nor rows read)."""
    codes = [code for code in COUNTRY_CODES if code not in ("DE", "FR", "IT")]
    with StatusSpan.objects.rewrites_deferred():
        for code in codes[:elsewhere]:
            ModeEventFactory(
                mode=Mode.SEMI_CLOSED_LOOP, markets=[MarketFactory(code=code)]
            )
    with django_assert_max_num_queries(SAVE_QUERIES):
        patch_date(editor_api, record["one market"], "2024-06-02")
    assert index_rows() == rows_the_events_say()


def test_the_claims_of_a_market_are_read_from_its_links_and_the_worldwide_events(
    record,
):
    france = Market.objects.get(code="FR")
    ModeEventFactory(mode=Mode.CLOSED_LOOP, markets=[france])
    reaching = events_reaching(Mode.SEMI_CLOSED_LOOP, [france.pk])
    # The links name events of every mode: the claims keep those of their own.
    assert set(
        ModeEvent.objects.filter(mode=Mode.SEMI_CLOSED_LOOP, pk__in=reaching)
    ) == {record["beta"], record["one market"], record["worldwide"]}
