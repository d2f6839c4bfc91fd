"""/api/mode-events/ and /api/market-figures/: facts with evidence, filters, CSV."""

import csv
import datetime
import io

import pytest

from markets.models import Publication, Status
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    MarketFigureEvidenceFactory,
    MarketFigureFactory,
    ModeEventFactory,
    RegionFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

BETA = "semi-closed-loop-beta-eight-markets-2024-02"
ORIGIN = "semi-closed-loop-first-attempt-shopify-2021-08"


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(response) -> list[str]:
    return [row["slug"] for row in results(response)]


def test_event_carries_markets_fuzzy_date_status_and_evidence(api_client, article_data):
    event = api_client.get(f"/api/mode-events/{BETA}/").json()
    assert event["markets"] == ["AU", "CA", "DE", "ES", "FR", "IT", "JP", "KR"]
    assert (event["date"], event["date_precision"], event["date_wording"]) == (
        "2024-02-01",
        "month",
        "2024年2月",
    )
    assert event["date_display"] == "2024年2月"
    assert event["status_set"] == Status.BETA
    assert event["disputed"] is False
    evidence = event["evidence"][0]
    assert set(evidence) == {"source", "quote", "claim", "verification", "selector"}
    assert evidence["verification"] == "verified"
    assert set(evidence["source"]) == {
        "id",
        "slug",
        "title",
        "url",
        "publisher",
        "published_on",
        "published_precision",
        "published_wording",
    }
    assert evidence["source"]["slug"] == "xiaochuan-semi-closed-loop-eight-markets"
    assert "2024年2月" in evidence["quote"]


def test_disputed_claims_name_one_dispute_each_with_its_own_source(
    api_client, article_data
):
    event = api_client.get(f"/api/mode-events/{ORIGIN}/").json()
    assert event["disputed"] is True
    assert event["dispute"] == "semi-closed-loop-first-attempt-date"
    assert event["dispute_note_en"] and event["dispute_note_zh"]
    assert event["markets"] == [] and event["scope"] == "none"
    dispute = api_client.get(f"/api/disputes/{event['dispute']}/").json()
    assert set(dispute["events"]) == {
        ORIGIN,
        "semi-closed-loop-trials-began-around-2020",
    }
    claims = {
        slug: {
            (item["source"]["slug"], item["claim"])
            for item in api_client.get(f"/api/mode-events/{slug}/").json()["evidence"]
        }
        for slug in dispute["events"]
    }
    assert claims == {
        ORIGIN: {("xiaochuan-semi-closed-loop-eight-markets", "2021年8月")},
        "semi-closed-loop-trials-began-around-2020": {
            ("xiaochuan-semi-closed-loop-closes-end-of-august", "2020年左右")
        },
    }


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"market": "de"}, [BETA]),
        ({"mode": "fully_managed"}, ["fully-managed-us-launch-planned-2023-09"]),
        (
            {"status": "considering"},
            ["semi-closed-loop-shortlist-latam-central-asia-nz"],
        ),
        (
            {"disputed": "true"},
            [
                "semi-closed-loop-trials-began-around-2020",
                ORIGIN,
                "semi-closed-loop-closed-end-of-august-2023",
                "semi-closed-loop-closed-us-gb-2023-09",
            ],
        ),
        (
            {"region": "southeast-asia"},
            [
                "closed-loop-returns-id-tokopedia-2023",
                "closed-loop-id-minister-accusation-2024-03",
            ],
        ),
        (
            {"date_after": "2024-02-01", "date_before": "2024-12-31"},
            [BETA, "closed-loop-id-minister-accusation-2024-03"],
        ),
        ({"kind": "beta_launch"}, [BETA]),
        ({"search": "Tokopedia"}, ["closed-loop-returns-id-tokopedia-2023"]),
    ],
)
def test_events_filter_as_on_the_pages(api_client, article_data, params, expected):
    assert slugs(api_client.get("/api/mode-events/", params)) == expected


def test_events_filter_by_source(api_client, article_data):
    found = slugs(
        api_client.get(
            "/api/mode-events/",
            {"source": "xiaochuan-semi-closed-loop-closes-end-of-august"},
        )
    )
    assert "semi-closed-loop-trials-began-around-2020" in found
    assert ORIGIN not in found and BETA not in found


def test_events_are_ordered_by_earliest_day_then_slug(api_client, article_data):
    events = results(api_client.get("/api/mode-events/"))
    keys = [(event["date"], event["slug"]) for event in events]
    assert keys == sorted(keys)
    newest = results(api_client.get("/api/mode-events/", {"ordering": "-date"}))
    assert newest[0]["slug"] == "closed-loop-id-minister-accusation-2024-03"


def test_unknown_ordering_field_is_ignored(api_client, article_data):
    default = slugs(api_client.get("/api/mode-events/"))
    assert slugs(api_client.get("/api/mode-events/", {"ordering": "secret"})) == default


def test_a_bad_filter_value_is_a_400(api_client, article_data):
    response = api_client.get("/api/mode-events/", {"mode": "teleport"})
    assert response.status_code == 400
    assert "mode" in response.json()


def test_draft_events_are_for_analysts_only(api_client, analyst_api, reader_api):
    germany = MarketFactory(code="DE")
    ModeEventFactory(slug="public", markets=[germany])
    ModeEventFactory(slug="draft", markets=[germany], publication=Publication.DRAFT)
    assert slugs(api_client.get("/api/mode-events/")) == ["public"]
    assert slugs(reader_api.get("/api/mode-events/")) == ["public"]
    assert api_client.get("/api/mode-events/draft/").status_code == 404
    assert slugs(analyst_api.get("/api/mode-events/")) == ["draft", "public"]


def test_events_as_csv_flatten_evidence_one_line_per_quote(api_client):
    event = ModeEventFactory(
        slug="beta",
        markets=[MarketFactory(code="DE"), MarketFactory(code="FR")],
        date=datetime.date(2024, 2, 1),
    )
    EventEvidenceFactory(fact=event, source=SourceFactory(slug="a"), quote="=第一句")
    EventEvidenceFactory(fact=event, source=SourceFactory(slug="b"), quote="第二句")
    response = api_client.get("/api/mode-events/", {"format": "csv"})
    assert response.status_code == 200
    (row,) = csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
    assert row["markets"] == "DE; FR"
    assert row["date_precision"] == "month" and row["date_wording"] == "2024年2月"
    assert row["disputed"] == "false"
    assert row["evidence.source.slug"].splitlines() == ["a", "b"]
    # A cell that starts like a formula is kept from running in the spreadsheet.
    assert row["evidence.quote"].splitlines() == ["'=第一句", "第二句"]


def test_every_list_answers_csv(api_client, article_data):
    for url in (
        "/api/markets/",
        "/api/sources/",
        "/api/mode-events/",
        "/api/market-figures/",
        "/api/seller-cases/",
        "/api/seller-figures/",
        "/api/status/?as_of=2024-03-01",
    ):
        separator = "&" if "?" in url else "?"
        response = api_client.get(f"{url}{separator}format=csv")
        assert response.status_code == 200, url
        assert response["Content-Type"].startswith("text/csv"), url
        lines = response.content.decode("utf-8-sig").splitlines()
        assert len(lines) > 1, url


# --- Market figures ------------------------------------------------------------------


def test_market_figure_carries_unit_qualifier_and_evidence(api_client):
    figure = MarketFigureFactory(
        markets=[MarketFactory(code="ID")], value=50_000_000, qualifier="more_than"
    )
    MarketFigureEvidenceFactory(fact=figure)
    response = api_client.get(f"/api/market-figures/{figure.uuid}/")
    assert response.status_code == 200
    body = response.json()
    assert (body["value"], body["unit"], body["qualifier"]) == (
        "50000000.00",
        "count",
        "more_than",
    )
    assert body["value_display"] == "> 50,000,000"
    assert body["markets"] == ["ID"] and body["region"] is None
    assert body["evidence"][0]["source"]["slug"]


def test_market_figures_filter_by_market_region_and_platform(api_client):
    asia = RegionFactory(code="southeast-asia")
    indonesia = MarketFactory(code="ID", region=asia)
    about_indonesia = MarketFigureFactory(markets=[indonesia])
    about_region = MarketFigureFactory(region=asia)
    platform = MarketFigureFactory()

    def uuids(params):
        response = api_client.get("/api/market-figures/", params)
        return {row["uuid"] for row in results(response)}

    assert uuids({"market": "ID"}) == {str(about_indonesia.uuid)}
    assert uuids({"region": "southeast-asia"}) == {
        str(about_indonesia.uuid),
        str(about_region.uuid),
    }
    assert uuids({"platform": "true"}) == {str(platform.uuid)}
    assert uuids({"platform": "false"}) == {
        str(about_indonesia.uuid),
        str(about_region.uuid),
    }
