"""The API lists keep each row's JSON under the row's revision: a write that changes no
row shown costs two or three queries, and a write of anything a row shows, by any
writer, shows at once (caching.triggers.ROWS_SHOWING)."""

import pytest
from django.db import connection
from django.test import Client

from caching.kept import forget_everything_kept
from caching.triggers import ROWS_SHOWING
from markets.models import (
    EventEvidence,
    Market,
    ModeEvent,
    Publication,
    RecordPart,
    ShownRevision,
    Source,
)
from markets.signals import record_changed
from sellers.models import SellerCase, SellerFigure

pytestmark = pytest.mark.django_db

EVENTS = "/api/mode-events/?page_size=500"
CASES = "/api/seller-cases/?page_size=500"


def read(url: str) -> dict:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(url)
    assert response.status_code == 200
    return response.json()


def listed(url: str, slug: str) -> dict:
    (row,) = [row for row in read(url)["results"] if row["slug"] == slug]
    return row


def quoted_event() -> ModeEvent:
    """A published event with a market and a quote, as most are."""
    return (
        ModeEvent.objects.published()
        .filter(markets__isnull=False, evidence__isnull=False)
        .order_by("pk")
        .first()
    )


def case_with_figures() -> SellerCase:
    return (
        SellerCase.objects.published()
        .filter(figures__publication=Publication.PUBLISHED)
        .order_by("pk")
        .first()
    )


@pytest.mark.parametrize("url", [EVENTS, CASES, "/api/seller-cases/?city=深圳"])
def test_a_write_that_changes_no_row_shown_costs_at_most_three_queries(
    article_data, url, django_assert_max_num_queries
):
    drawn = read(url)
    for part in RecordPart:
        record_changed(part)
    with django_assert_max_num_queries(3):
        assert read(url) == drawn


@pytest.mark.parametrize("url", [EVENTS, CASES])
def test_a_write_redraws_only_the_row_it_changed(
    article_data, url, django_assert_num_queries
):
    read(url)
    if url == EVENTS:
        ModeEvent.objects.filter(pk=quoted_event().pk).update(summary_en="Again.")
        # The versions, the rows' keys, the one row.
        queries = 3
    else:
        SellerCase.objects.filter(pk=case_with_figures().pk).update(
            narrative_en="Again."
        )
        # The versions, the rows' keys, the one case, its figures.
        queries = 4
    with django_assert_num_queries(queries):
        kept = read(url)
    forget_everything_kept()
    assert read(url) == kept
    assert "Again." in str(kept)


def test_every_writer_of_an_event_row_shows_at_once(article_data):
    event = quoted_event()
    read(EVENTS)

    event.summary_en = "Saved again."
    event.save()
    assert listed(EVENTS, event.slug)["summary_en"] == "Saved again."

    ModeEvent.objects.filter(pk=event.pk).update(summary_en="Updated in bulk.")
    assert listed(EVENTS, event.slug)["summary_en"] == "Updated in bulk."

    quote = EventEvidence.objects.filter(fact=event).order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE markets_eventevidence SET quote = %s WHERE id = %s",
            ["Typed in SQL.", quote.pk],
        )
    quotes = [item["quote"] for item in listed(EVENTS, event.slug)["evidence"]]
    assert "Typed in SQL." in quotes

    Source.objects.filter(pk=quote.source_id).update(title="Retitled in bulk")
    sources = [
        item["source"]["title"] for item in listed(EVENTS, event.slug)["evidence"]
    ]
    assert "Retitled in bulk" in sources

    market = event.markets.order_by("code").first()
    Market.objects.filter(pk=market.pk).update(publication=Publication.DRAFT)
    assert market.code not in listed(EVENTS, event.slug)["markets"]

    Market.objects.filter(pk=market.pk).update(publication=Publication.PUBLISHED)
    assert market.code in listed(EVENTS, event.slug)["markets"]
    event.markets.remove(market)
    assert market.code not in listed(EVENTS, event.slug)["markets"]

    EventEvidence.objects.create(
        fact=event, source_id=quote.source_id, quote="Added beside the others."
    )
    quotes = [item["quote"] for item in listed(EVENTS, event.slug)["evidence"]]
    assert "Added beside the others." in quotes


def test_every_writer_of_a_case_row_shows_at_once(article_data):
    case = case_with_figures()
    read(CASES)

    figure = case.figures.published().order_by("pk").first()
    SellerFigure.objects.filter(pk=figure.pk).update(period_en="Checked again")
    figures = listed(CASES, case.slug)["figures"]
    assert "Checked again" in [item["period_en"] for item in figures]

    SellerFigure.objects.filter(pk=figure.pk).update(publication=Publication.DRAFT)
    figures = listed(CASES, case.slug)["figures"]
    assert str(figure.uuid) not in [item["uuid"] for item in figures]

    with_strategy = (
        SellerCase.objects.published()
        .filter(strategies__isnull=False)
        .order_by("pk")
        .first()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sellers_strategy SET code = 'renamed-in-sql' WHERE id = "
            "(SELECT MIN(strategy_id) FROM sellers_sellercase_strategies "
            "WHERE sellercase_id = %s)",
            [with_strategy.pk],
        )
    assert "renamed-in-sql" in listed(CASES, with_strategy.slug)["strategies"]

    reacting = (
        SellerCase.objects.published()
        .filter(reacts_to__publication=Publication.PUBLISHED)
        .order_by("pk")
        .first()
    )
    assert listed(CASES, reacting.slug)["reacts_to"] is not None
    ModeEvent.objects.filter(pk=reacting.reacts_to_id).update(
        publication=Publication.DRAFT
    )
    assert listed(CASES, reacting.slug)["reacts_to"] is None


@pytest.mark.parametrize(
    ("listed_model", "table"),
    [(model, table) for model, tables in ROWS_SHOWING.items() for table in tables],
)
def test_a_change_in_sql_of_any_table_a_row_shows_raises_its_revision(
    article_data, listed_model, table
):
    showing, _on_insert = ROWS_SHOWING[listed_model][table]
    correlated = showing.replace("ROW.", "changed.")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT changed.id FROM {table} AS changed "  # noqa: S608
            f"WHERE EXISTS ({correlated}) ORDER BY changed.id"
        )
        row = cursor.fetchone()
        assert row is not None, f"the article data show no row of {table}"
        before = counted(listed_model)
        cursor.execute(f"UPDATE {table} SET id = id WHERE id = %s", [row[0]])  # noqa: S608
    assert counted(listed_model) > before


def counted(listed_model: str) -> int:
    return sum(
        ShownRevision.objects.filter(listed=listed_model).values_list(
            "number", flat=True
        )
    )


@pytest.mark.parametrize(
    "url", [EVENTS, CASES, "/api/status/?as_of=2024-06-01", "/api/markets/"]
)
def test_kept_json_reads_indented_and_in_the_browsable_api(article_data, url):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    plain = client.get(url).json()
    indented = client.get(url, HTTP_ACCEPT="application/json; indent=4")
    assert indented.status_code == 200
    assert indented.json() == plain
    assert b'\n    "' in indented.content or b"\n    {" in indented.content
    assert client.get(url, HTTP_ACCEPT="text/html").status_code == 200
