"""/api/markets/ and /api/sources/: shape, lookup, filters, search, ordering, CSV."""

import csv
import io

import pytest

from markets.models import Publication
from tests.factories import MarketFactory, RegionFactory, SourceFactory

pytestmark = pytest.mark.django_db


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def codes(response) -> list[str]:
    return [market["code"] for market in results(response)]


def test_market_detail_is_addressed_by_iso_code(api_client, article_data):
    response = api_client.get("/api/markets/DE/")
    assert response.status_code == 200
    assert response.json() == {
        "id": response.json()["id"],
        "code": "DE",
        "name": "德国",
        "name_zh": "德国",
        "name_en": "Germany",
        "region": "europe",
        "publication": "published",
        "version": 1,
        "created_at": response.json()["created_at"],
        "updated_at": response.json()["updated_at"],
    }


def test_unknown_market_code_is_404(api_client, article_data):
    assert api_client.get("/api/markets/XX/").status_code == 404


def test_market_name_follows_the_requested_language(api_client, article_data):
    response = api_client.get("/api/markets/DE/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["name"] == "Germany"


def test_markets_filter_by_region_as_on_the_pages(api_client, article_data):
    response = api_client.get("/api/markets/", {"region": "europe"})
    assert codes(response) == ["DE", "ES", "FR", "GB", "IT"]


def test_unknown_region_filter_is_a_400_with_the_field(api_client, article_data):
    response = api_client.get("/api/markets/", {"region": "atlantis"})
    assert response.status_code == 400
    assert "region" in response.json()


def test_markets_search_names_in_both_languages(api_client, article_data):
    assert codes(api_client.get("/api/markets/", {"search": "德国"})) == ["DE"]
    assert codes(api_client.get("/api/markets/", {"search": "germany"})) == ["DE"]


def test_markets_ordering_is_honoured(api_client, article_data):
    ordered = codes(api_client.get("/api/markets/", {"ordering": "-code"}))
    assert ordered == sorted(ordered, reverse=True)
    by_name = results(api_client.get("/api/markets/", {"ordering": "name_en"}))
    names = [market["name_en"] for market in by_name]
    assert names == sorted(names)


def test_anonymous_readers_never_see_draft_markets(api_client, analyst_api):
    MarketFactory(code="DE")
    MarketFactory(code="FR", publication=Publication.DRAFT)
    assert codes(api_client.get("/api/markets/")) == ["DE"]
    assert api_client.get("/api/markets/FR/").status_code == 404
    assert codes(analyst_api.get("/api/markets/")) == ["DE", "FR"]


def test_markets_as_csv_for_a_spreadsheet(api_client, article_data):
    response = api_client.get("/api/markets/", {"format": "csv", "region": "europe"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "loopwatch-market.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["code"] for row in rows] == ["DE", "ES", "FR", "GB", "IT"]
    assert rows[0]["name_zh"] == "德国"


# --- Sources -------------------------------------------------------------------------


def test_source_detail_by_slug_carries_its_date_precision(api_client, article_data):
    response = api_client.get(
        "/api/sources/xiaochuan-semi-closed-loop-closes-end-of-august/"
    )
    assert response.status_code == 200
    source = response.json()
    assert source["published_on"] == "2023-08-01"
    assert source["published_precision"] == "month"
    assert source["published_display"] == "2023年8月"
    assert source["url"].startswith("https://")
    assert set(source) >= {"published_wording", "published_note", "reported_via"}


def test_relayed_outlets_name_the_article_that_relays_them(api_client, article_data):
    response = api_client.get(
        "/api/sources/",
        {"reported_via": "xiaochuan-semi-closed-loop-closes-end-of-august"},
    )
    outlets = results(response)
    assert len(outlets) == 3
    assert {outlet["kind"] for outlet in outlets} <= {
        "interview",
        "data_report",
        "news_report",
    }


def test_sources_filter_by_kind_and_publisher_and_search(api_client, article_data):
    articles = results(api_client.get("/api/sources/", {"kind": "article"}))
    assert {source["publisher"] for source in articles} == {"小川电商"}
    assert len(articles) == 2
    found = results(api_client.get("/api/sources/", {"search": "网经社"}))
    assert [source["slug"] for source in found] == ["wangjingshe-data-2023-08"]


def test_sources_filter_by_publication_date_range(api_client):
    SourceFactory(slug="old", published_on="2023-08-01")
    SourceFactory(slug="new", published_on="2024-03-01")
    response = api_client.get("/api/sources/", {"published_after": "2024-01-01"})
    assert [source["slug"] for source in results(response)] == ["new"]


def test_sources_order_by_publication_date(api_client):
    SourceFactory(slug="b", published_on="2024-03-01")
    SourceFactory(slug="a", published_on="2023-08-01")
    SourceFactory(slug="c", published_on=None, published_precision="")
    response = api_client.get("/api/sources/", {"ordering": "-published_on"})
    assert [source["slug"] for source in results(response)] == ["b", "a", "c"]


def test_region_code_is_written_and_read_as_its_code(analyst_api):
    RegionFactory(code="europe")
    response = analyst_api.post(
        "/api/markets/",
        {"code": "DE", "name_zh": "德国", "name_en": "Germany", "region": "europe"},
    )
    assert response.status_code == 201, response.json()
    assert response.json()["region"] == "europe"
    assert response.json()["publication"] == "draft"
