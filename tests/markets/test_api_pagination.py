"""Keyset pagination: stable pages, any ordering, no COUNT and no OFFSET."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import MarketFactory, ModeEventFactory, SourceFactory

pytestmark = pytest.mark.django_db


def walk(client, url: str, params: dict) -> list[dict]:
    """Every row, following the next links."""
    rows, response = [], client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        rows += body["results"]
        if not body["next"]:
            return rows
        response = client.get(body["next"])


@pytest.fixture
def events_on_few_dates() -> None:
    """Many events share a date: the case where DRF's cursor falls back to OFFSET."""
    germany = MarketFactory(code="DE")
    for index in range(23):
        ModeEventFactory(
            slug=f"event-{index:02d}",
            markets=[germany],
            date=datetime.date(2024, 1 + index % 3, 1),
        )


def test_pages_cover_every_row_once_in_order(api_client, events_on_few_dates):
    rows = walk(api_client, "/api/mode-events/", {"page_size": 5})
    keys = [(row["date"], row["slug"]) for row in rows]
    assert len(keys) == 23
    assert keys == sorted(keys)


@pytest.mark.parametrize("ordering", ["-date", "mode", "-slug", "date,-slug"])
def test_pages_honour_the_ordering_asked_for(api_client, events_on_few_dates, ordering):
    paged = walk(
        api_client, "/api/mode-events/", {"page_size": 4, "ordering": ordering}
    )
    whole = api_client.get(
        "/api/mode-events/", {"page_size": 100, "ordering": ordering}
    ).json()["results"]
    assert [row["slug"] for row in paged] == [row["slug"] for row in whole]
    assert len({row["slug"] for row in paged}) == 23


def test_previous_link_walks_back_to_the_same_pages(api_client, events_on_few_dates):
    first = api_client.get("/api/mode-events/", {"page_size": 5}).json()
    assert first["previous"] is None
    second = api_client.get(first["next"]).json()
    third = api_client.get(second["next"]).json()
    back = api_client.get(third["previous"]).json()
    assert back["results"] == second["results"]
    assert api_client.get(back["previous"]).json()["results"] == first["results"]


def test_nullable_ordering_field_pages_without_losing_rows(api_client):
    for index in range(7):
        SourceFactory(
            slug=f"s{index}",
            published_on=None if index % 2 else datetime.date(2024, 1 + index, 1),
            published_precision="" if index % 2 else "month",
        )
    for ordering in ("published_on", "-published_on"):
        rows = walk(api_client, "/api/sources/", {"page_size": 2, "ordering": ordering})
        assert sorted(row["slug"] for row in rows) == [f"s{i}" for i in range(7)]


def test_a_row_added_while_paging_does_not_shift_the_pages(
    api_client, events_on_few_dates
):
    first = api_client.get("/api/mode-events/", {"page_size": 5}).json()
    ModeEventFactory(
        slug="aaa-earlier", markets=[MarketFactory(code="DE")], date="2020-01-01"
    )
    second = api_client.get(first["next"]).json()
    seen = [row["slug"] for row in first["results"] + second["results"]]
    assert len(seen) == len(set(seen)) == 10


def test_deep_pages_are_one_range_query_without_count_or_offset(
    api_client, events_on_few_dates
):
    first = api_client.get("/api/mode-events/", {"page_size": 3}).json()
    deep = first["next"]
    for _ in range(5):
        deep = api_client.get(deep).json()["next"]
    with CaptureQueriesContext(connection) as queries:
        response = api_client.get(deep)
    assert response.status_code == 200
    assert len(response.json()["results"]) == 3
    (page_query,) = [
        query["sql"].upper()
        for query in queries.captured_queries
        if 'FROM "MARKETS_MODEEVENT"' in query["sql"].upper()
        and "ORDER BY" in query["sql"].upper()
    ]
    # One range read: rows past the cursor's date and id, the page and one more.
    assert re.search(r'"MARKETS_MODEEVENT"\."DATE" [<>]', page_query)
    assert page_query.rstrip().endswith("LIMIT 4")
    assert "COUNT(" not in page_query
    assert "OFFSET" not in page_query


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "eyJ2IjpbMV19", "eyJvIjoiaWQiLCJ2IjpbInRlbiJdLCJyIjpmYWxzZX0="],
)
def test_a_bad_cursor_is_a_404(api_client, events_on_few_dates, cursor):
    response = api_client.get("/api/mode-events/", {"cursor": cursor})
    assert response.status_code == 404


def test_a_cursor_is_tied_to_its_ordering(api_client, events_on_few_dates):
    next_link = api_client.get("/api/mode-events/", {"page_size": 3}).json()["next"]
    assert api_client.get(next_link + "&ordering=-slug").status_code == 404


@pytest.mark.parametrize("size", ["0", "501", "ten", "-3"])
def test_a_page_size_outside_1_to_500_is_a_400(api_client, size):
    response = api_client.get("/api/mode-events/", {"page_size": size})
    assert response.status_code == 400
    assert "page_size" in response.json()


def test_the_largest_page_holds_500_rows(api_client, events_on_few_dates):
    response = api_client.get("/api/mode-events/", {"page_size": 500})
    assert len(response.json()["results"]) == 23


def test_link_header_points_to_the_next_page(api_client, events_on_few_dates):
    response = api_client.get("/api/mode-events/", {"page_size": 5})
    assert response["Link"] == f'<{response.json()["next"]}>; rel="next"'
