"""/api/status/: every market's status in each mode on a day, on the article data."""

import datetime

import pytest

from markets.dates import DatePrecision
from markets.models import Mode, Publication, Status
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

BETA = "semi-closed-loop-beta-eight-markets-2024-02"
US_GB_CLOSURE = "semi-closed-loop-closed-us-gb-2023-09"


def status_table(client, **params) -> dict[tuple[str, str], dict]:
    response = client.get("/api/status/", params)
    assert response.status_code == 200, response.content
    return {(cell["market"], cell["mode"]): cell for cell in response.json()}


def test_every_market_gets_every_mode(api_client, article_data):
    table = status_table(api_client, as_of="2024-03-01")
    markets = {market for market, _mode in table}
    assert len(markets) == 16
    assert len(table) == 16 * len(Mode.values)


def test_cell_shape_names_market_mode_answer_evidence_and_freshness(
    api_client, article_data
):
    cell = status_table(api_client, as_of="2024-03-01")[("DE", "semi_closed_loop")]
    assert set(cell) == {
        "market",
        "mode",
        "as_of",
        "status",
        "shown_as",
        "in_words",
        "since",
        "start",
        "uncertain",
        "previous_status",
        "certain_from",
        "implied",
        "scheduled",
        "evidence_on",
        "evidence_source",
        "stale",
        "event",
        "claims",
        "dispute",
    }
    assert cell["as_of"] == "2024-03-01"
    # The source dates the beta to February 2024: no day, so no "since" day.
    assert (cell["status"], cell["shown_as"], cell["since"]) == ("beta", "beta", None)
    assert cell["start"] == {
        "text": "2024年2月",
        "precision": "month",
        "earliest": "2024-02-01",
        "latest": "2024-02-29",
        "disputed": False,
    }
    assert cell["in_words"].startswith("内测，自2024年2月起")
    event = cell["event"]
    assert event["slug"] == BETA
    assert (event["date"], event["date_precision"], event["date_wording"]) == (
        "2024-02-01",
        "month",
        "2024年2月",
    )
    assert (event["date_earliest"], event["date_latest"]) == (
        "2024-02-01",
        "2024-02-29",
    )
    assert event["disputed"] is False
    assert event["evidence"][0]["source"]["slug"] == (
        "xiaochuan-semi-closed-loop-eight-markets"
    )
    assert event["evidence"][0]["quote"]
    # The article is dated only "2024": it may be as fresh as its last day.
    assert cell["evidence_on"] == "2024-12-31"
    assert cell["evidence_source"]["slug"] == "xiaochuan-semi-closed-loop-eight-markets"
    # One event decides it: no dispute, so no claims side by side.
    assert cell["claims"] == [] and cell["dispute"] is None


def test_before_any_claim_only_what_a_closure_implies_stands(api_client, article_data):
    table = status_table(api_client, as_of="2021-01-01")
    implied = {key: cell for key, cell in table.items() if cell["implied"]}
    assert set(implied) == {("US", "semi_closed_loop"), ("GB", "semi_closed_loop")}
    for cell in implied.values():
        assert (cell["status"], cell["since"]) == (Status.LIVE, None)
        assert cell["event"]["slug"] == US_GB_CLOSURE
    others = [cell for key, cell in table.items() if key not in implied]
    assert {cell["status"] for cell in others} == {Status.NO_EVIDENCE}
    assert all(cell["event"] is None for cell in others)


def test_in_mid_august_2023_the_mode_ran_in_the_us_and_the_uk(api_client, article_data):
    """Both articles say it ran there until its closure; no source says since when."""
    table = status_table(api_client, as_of="2023-08-15", mode="semi_closed_loop")
    for market in ("US", "GB"):
        cell = table[(market, "semi_closed_loop")]
        assert (cell["status"], cell["implied"], cell["uncertain"]) == (
            Status.LIVE,
            True,
            False,
        )


def test_the_disputed_closure_is_uncertain_from_the_earliest_claim_to_the_latest(
    api_client, article_data
):
    for day in ("2023-08-21", "2023-09-30"):
        cell = status_table(api_client, as_of=day)[("US", "semi_closed_loop")]
        assert (cell["status"], cell["uncertain"], cell["previous_status"]) == (
            Status.CLOSED,
            True,
            Status.LIVE,
        )
        assert cell["certain_from"] == "2023-10-01"
        assert cell["dispute"]["slug"] == "semi-closed-loop-us-gb-closure-date"
        assert {claim["date_wording"] for claim in cell["claims"]} == {
            "2023年9月",
            "8月底",
        }
        assert all(claim["evidence"] for claim in cell["claims"])


def test_today_the_answer_is_stale(api_client, article_data):
    table = status_table(api_client, as_of="2026-12-01", mode="semi_closed_loop")
    germany = table[("DE", "semi_closed_loop")]
    assert (germany["status"], germany["stale"]) == (Status.BETA, True)
    assert germany["evidence_on"] == "2024-12-31"
    fresh = status_table(api_client, as_of="2025-03-01", mode="semi_closed_loop")
    assert fresh[("DE", "semi_closed_loop")]["stale"] is False


def test_the_considering_status_is_certain_once_its_source_surely_appeared(
    api_client, article_data
):
    """The list of markets being evaluated is reported by an article dated "2024"."""
    cell = status_table(api_client, as_of="2024-06-01")[("BR", "semi_closed_loop")]
    assert (cell["status"], cell["uncertain"], cell["certain_from"]) == (
        Status.CONSIDERING,
        True,
        "2025-01-01",
    )


def test_between_events_the_closure_holds_and_beta_has_not_come(
    api_client, article_data
):
    table = status_table(api_client, as_of="2023-12-15")
    us = table[("US", "semi_closed_loop")]
    assert (us["status"], us["uncertain"], us["event"]["slug"]) == (
        Status.CLOSED,
        False,
        US_GB_CLOSURE,
    )
    assert table[("DE", "semi_closed_loop")]["status"] == Status.NO_EVIDENCE


def test_inside_the_month_of_the_beta_the_status_is_uncertain(api_client, article_data):
    table = status_table(api_client, as_of="2024-02-10")
    for market in ("DE", "FR", "ES", "IT", "CA", "AU", "JP", "KR"):
        cell = table[(market, "semi_closed_loop")]
        assert (cell["status"], cell["uncertain"]) == (Status.BETA, True), market


def test_a_year_precision_event_is_uncertain_all_that_year(api_client, article_data):
    table = status_table(api_client, as_of="2023-06-01", mode="closed_loop")
    cell = table[("US", "closed_loop")]
    assert (cell["status"], cell["uncertain"]) == (Status.LIVE, True)


def test_after_the_month_the_beta_is_certain(api_client, article_data):
    table = status_table(api_client, as_of="2024-03-01")
    cell = table[("DE", "semi_closed_loop")]
    assert (cell["status"], cell["uncertain"]) == (Status.BETA, False)
    assert table[("US", "semi_closed_loop")]["status"] == Status.CLOSED
    assert table[("BR", "semi_closed_loop")]["status"] == Status.CONSIDERING


def test_one_mode_when_asked(api_client, article_data):
    table = status_table(api_client, as_of="2024-03-01", mode="fully_managed")
    assert {mode for _market, mode in table} == {"fully_managed"}


def test_status_filters_markets_by_region(api_client, article_data):
    table = status_table(
        api_client, as_of="2024-03-01", mode="semi_closed_loop", region="europe"
    )
    assert sorted(market for market, _mode in table) == ["DE", "ES", "FR", "GB", "IT"]


def test_known_on_answers_from_what_was_published_by_then(api_client, article_data):
    """The beta and the US closure rest on an article dated only "2024".

    It may have appeared as late as 31 December 2024, so only then can one rely on it.
    """
    then = status_table(api_client, as_of="2024-03-01", known_on="2024-06-01")
    assert then[("DE", "semi_closed_loop")]["status"] == Status.NO_EVIDENCE
    # Only the end-of-August article (August 2023) was out: its closure, announced
    # ahead, is worldwide, and no source then said the mode ran anywhere.
    assert then[("US", "semi_closed_loop")]["status"] == Status.NO_EVIDENCE
    later = status_table(api_client, as_of="2024-03-01", known_on="2024-12-31")
    assert later[("DE", "semi_closed_loop")]["status"] == Status.BETA
    assert later[("US", "semi_closed_loop")]["status"] == Status.CLOSED


def test_known_on_shows_only_the_evidence_public_then(api_client):
    germany = MarketFactory(code="DE")
    event = ModeEventFactory(markets=[germany], date=datetime.date(2024, 2, 1))
    EventEvidenceFactory(
        fact=event,
        source=SourceFactory(slug="early", published_on=datetime.date(2024, 2, 1)),
    )
    EventEvidenceFactory(
        fact=event,
        source=SourceFactory(slug="late", published_on=datetime.date(2024, 5, 1)),
    )
    cell = status_table(
        api_client, as_of="2024-03-01", mode="semi_closed_loop", known_on="2024-03-01"
    )[("DE", "semi_closed_loop")]
    assert [item["source"]["slug"] for item in cell["event"]["evidence"]] == ["early"]


def test_a_draft_event_never_changes_the_public_status(api_client, analyst_api):
    germany = MarketFactory(code="DE")
    EventEvidenceFactory(fact=ModeEventFactory(markets=[germany]))
    ModeEventFactory(
        markets=[germany],
        status_set=Status.CLOSED,
        date=datetime.date(2024, 5, 1),
        date_precision=DatePrecision.DAY,
        publication=Publication.DRAFT,
    )
    for client in (api_client, analyst_api):
        table = status_table(client, as_of="2024-06-01", mode="semi_closed_loop")
        assert table[("DE", "semi_closed_loop")]["status"] == Status.BETA


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "as_of"),
        ({"as_of": "2024-02-30"}, "as_of"),
        ({"as_of": "yesterday"}, "as_of"),
        ({"as_of": "2024-03-01", "mode": "teleport"}, "mode"),
        ({"as_of": "2024-03-01", "known_on": "2024-13-01"}, "known_on"),
    ],
)
def test_a_bad_question_is_a_400_naming_the_parameter(api_client, params, field):
    response = api_client.get("/api/status/", params)
    assert response.status_code == 400
    assert field in response.json()


def test_status_is_read_only(analyst_api):
    response = analyst_api.post("/api/status/", {"as_of": "2024-03-01"})
    assert response.status_code == 405
