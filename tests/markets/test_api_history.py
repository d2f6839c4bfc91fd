"""Writes through the API keep the history the admin keeps, and refuse stale edits."""

import pytest

from markets.models import ModeEvent, Publication, Source
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event() -> ModeEvent:
    return ModeEventFactory(slug="beta", markets=[MarketFactory(code="DE")])


def test_records_show_their_version(api_client, event):
    assert api_client.get("/api/mode-events/beta/").json()["version"] == 1


def test_an_update_raises_the_version(analyst_api, event):
    response = analyst_api.patch(
        "/api/mode-events/beta/", {"date_wording": "2024年2月", "version": 1}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2


def test_an_update_from_a_stale_version_is_refused_with_409(analyst_api, event):
    assert (
        analyst_api.patch("/api/mode-events/beta/", {"version": 1}).status_code == 200
    )
    stale = analyst_api.patch(
        "/api/mode-events/beta/",
        {"summary_en": "Overwrites the other edit.", "version": 1},
    )
    assert stale.status_code == 409
    assert "analyst" in stale.json()["detail"]
    event.refresh_from_db()
    assert event.summary_en != "Overwrites the other edit."


def test_history_keeps_who_changed_what_and_why(analyst_api, analyst, event):
    response = analyst_api.patch(
        "/api/mode-events/beta/",
        {
            "date_note": "Month from the article.",
            "change_reason": "date note added",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert "change_reason" not in response.json()
    change = event.history.first()
    assert change.history_user == analyst
    assert change.history_change_reason == "date note added"
    assert change.date_note == "Month from the article."


def test_a_created_record_names_its_author(analyst_api, analyst):
    response = analyst_api.post(
        "/api/sources/",
        {"slug": "new", "title": "标题", "publisher": "小川电商", "url": None},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["url"] is None
    source = Source.objects.get(slug="new")
    assert source.url == ""
    assert source.history.get().history_user == analyst


def test_deleting_a_market_that_events_concern_is_a_409(admin_api, event):
    response = admin_api.delete("/api/markets/DE/")
    assert response.status_code == 409
    assert event.markets.filter(code="DE").exists()


# --- What the public sees ------------------------------------------------------------


def test_quotes_from_draft_sources_are_for_analysts_only(
    api_client, analyst_api, event
):
    EventEvidenceFactory(fact=event, source=SourceFactory(slug="public"))
    EventEvidenceFactory(
        fact=event,
        source=SourceFactory(slug="draft", publication=Publication.DRAFT),
    )

    def sources(client) -> list[str]:
        body = client.get("/api/mode-events/beta/").json()
        return [item["source"]["slug"] for item in body["evidence"]]

    assert sources(api_client) == ["public"]
    assert sources(analyst_api) == ["public", "draft"]


def test_draft_markets_stay_out_of_a_public_event(api_client, analyst_api, event):
    event.markets.add(MarketFactory(code="FR", publication=Publication.DRAFT))
    assert api_client.get("/api/mode-events/beta/").json()["markets"] == ["DE"]
    assert analyst_api.get("/api/mode-events/beta/").json()["markets"] == [
        "DE",
        "FR",
    ]


def test_a_draft_relaying_source_is_not_named_to_the_public(api_client, analyst_api):
    relay = SourceFactory(slug="relay", publication=Publication.DRAFT)
    SourceFactory(slug="outlet", reported_via=relay)
    assert api_client.get("/api/sources/outlet/").json()["reported_via"] is None
    assert analyst_api.get("/api/sources/outlet/").json()["reported_via"] == "relay"
