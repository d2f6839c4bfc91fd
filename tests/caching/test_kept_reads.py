"""What is read from a table is kept under the table's revision, which triggers raise on
every insert, update and delete (caching.triggers.install_table_revisions): after a
write that reaches none of the tables a page reads, the page is drawn from what is kept
in one query, and a write that reaches one shows at once, whoever writes."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory

from caching.kept import RecentlyKept, kept_drawing, kept_read
from caching.triggers import revised_tables
from caching.versions import RecordVersionMiddleware
from markets.models import (
    Market,
    ModeEvent,
    Publication,
    RecordPart,
    Source,
    SourceKind,
    TableRevision,
)
from markets.signals import record_changed
from sellers.filtersets import city_choices
from sellers.models import SellerCase

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/?as_of=2024-06-01",
    "/map/?as_of=2024-06-01&mode=closed_loop",
    "/sellers/",
    "/sellers/?city=深圳",
    "/api/status/?as_of=2024-06-01",
    "/api/mode-events/",
    "/api/mode-events/?mode=semi_closed_loop&page_size=2",
    "/api/seller-cases/",
    "/api/seller-cases/?city=深圳&ordering=-seller_name_en",
]


def visitor() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def every_part_changed() -> None:
    for part in RecordPart:
        record_changed(part)


def revision(table: str) -> tuple[int, object] | None:
    row = TableRevision.objects.filter(table_name=table).values_list("number", "since")
    return row.first()


def cards_shown(page: str) -> list[str]:
    """The addresses of the seller cases whose cards a page shows."""
    return re.findall(r'class="card__title"><a href="([^"]+)"', page)


@pytest.mark.parametrize("url", PAGES)
def test_a_write_reaching_no_table_read_is_answered_in_one_query(
    article_data, url, django_assert_num_queries
):
    drawn = visitor().get(url).content
    every_part_changed()
    # The versions and the tables' revisions, in one query; the rest is kept.
    with django_assert_num_queries(1):
        assert visitor().get(url).content == drawn


@pytest.mark.parametrize("table", ["markets_market", "sellers_sellercase"])
def test_every_kind_of_write_raises_the_tables_revision(article_data, table):
    before = revision(table)
    with connection.cursor() as cursor:
        lowest = f"(SELECT MIN(id) FROM {table})"  # noqa: S608
        cursor.execute(f"UPDATE {table} SET id = id WHERE id = {lowest}")  # noqa: S608
    updated = revision(table)
    assert updated != before
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = -1")  # noqa: S608
    # A statement that deletes nothing still counts on PostgreSQL, where the count is
    # raised once a statement; it never makes a count go back.
    assert revision(table)[0] >= updated[0]


def test_a_row_inserted_raises_its_tables_revision(article_data):
    before = revision("markets_source")
    Source.objects.bulk_create(
        [Source(slug="inserted", publisher="P", title="T", kind=SourceKind.ARTICLE)]
    )
    assert revision("markets_source")[0] > before[0]


def test_every_table_the_public_reads_is_counted():
    tables = set(revised_tables(apps))
    for model in (Market, ModeEvent, Source, SellerCase):
        assert model._meta.db_table in tables
    assert {"markets_statusspan", "markets_shownrevision"} <= tables


def test_a_case_published_without_a_save_is_counted_and_shown_at_once(article_data):
    page = visitor().get("/sellers/").content.decode()
    shown = len(cards_shown(page))
    case = SellerCase.objects.published().order_by("pk").first()
    SellerCase.objects.filter(pk=case.pk).update(publication=Publication.DRAFT)
    page = visitor().get("/sellers/").content.decode()
    assert len(cards_shown(page)) == shown - 1
    assert case.get_absolute_url() not in cards_shown(page)
    SellerCase.objects.filter(pk=case.pk).update(
        publication=Publication.PUBLISHED, narrative_en="Narrated again in SQL."
    )
    page = visitor().get("/sellers/").content.decode()
    assert case.get_absolute_url() in cards_shown(page)
    assert "Narrated again in SQL." in page


def test_a_city_written_in_sql_is_offered_at_once(article_data):
    visitor().get("/sellers/")
    case = SellerCase.objects.published().order_by("pk").first()
    every_part_changed()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sellers_sellercase SET city_en = 'Typedcity' WHERE id = %s",
            [case.pk],
        )
    page = visitor().get("/sellers/").content.decode()
    assert '<option value="Typedcity">Typedcity</option>' in page


def test_a_source_added_in_bulk_is_offered_at_once(article_data):
    visitor().get("/events/")
    Source.objects.bulk_create(
        [
            Source(
                slug="bulk-added",
                publisher="Bulk Publisher",
                title="Added in bulk",
                kind=SourceKind.ARTICLE,
                publication=Publication.PUBLISHED,
            )
        ]
    )
    every_part_changed()
    assert 'value="bulk-added"' in visitor().get("/events/").content.decode()


def test_a_market_renamed_in_sql_shows_in_the_status_answer_at_once(article_data):
    url = "/api/status/?as_of=2024-06-01"
    visitor().get(url)
    market = Market.objects.published().order_by("code").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE markets_market SET code = 'ZZ' WHERE id = %s", [market.pk]
        )
    every_part_changed()
    codes = {cell["market"] for cell in visitor().get(url).json()}
    assert "ZZ" in codes
    assert market.code not in codes


def city_select(page: str) -> str:
    return re.search(r'<select name="city".*?</select>', page, re.S).group()


def test_the_chosen_filter_value_alone_is_selected_in_the_kept_options(article_data):
    case = SellerCase.objects.published().exclude(city_en="").order_by("pk").first()
    unfiltered = city_select(visitor().get("/sellers/").content.decode())
    assert unfiltered.count(" selected>") == 1
    assert '<option value="" selected>' in unfiltered
    filtered = visitor().get("/sellers/", {"city": case.city_en}).content.decode()
    chosen = city_select(filtered)
    assert f'<option value="{case.city_en}" selected>' in chosen
    assert chosen.count(" selected>") == 1
    assert city_select(visitor().get("/sellers/").content.decode()) == unfiltered


def test_a_query_naming_a_table_no_revision_counts_is_read_every_time(
    article_data, django_assert_num_queries
):
    kept_read("users", User.objects.values_list("username", flat=True))
    with django_assert_num_queries(1):
        kept_read("users", User.objects.values_list("username", flat=True))


def test_a_query_that_can_match_nothing_asks_nothing(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert kept_read("nothing", Market.objects.filter(pk__in=[])) == []


def test_the_cards_hold_nothing_of_the_visitor(article_data, client):
    client.force_login(User.objects.create_user("reader-name"))
    signed_in = client.get("/sellers/").content.decode()
    assert "reader-name" not in "".join(
        re.findall(r'<ul class="card-list">.*?</ul>', signed_in, re.S)
    )
    stranger = visitor().get("/sellers/")
    assert "reader-name" not in stranger.content.decode()
    assert "csrftoken" not in stranger.cookies


def test_a_later_page_after_a_write_elsewhere_is_answered_in_one_query(
    article_data, django_assert_num_queries
):
    first = visitor().get("/api/mode-events/?page_size=3").json()
    later = first["next"].removeprefix("http://testserver")
    drawn = visitor().get(later).content
    every_part_changed()
    with django_assert_num_queries(1):
        assert visitor().get(later).content == drawn


def test_a_filtered_list_follows_a_write_to_the_rows_it_filters_on(article_data):
    case = SellerCase.objects.published().exclude(city_en="").order_by("pk").first()
    url = f"/api/seller-cases/?city={case.city_en}"
    assert case.slug in [row["slug"] for row in visitor().get(url).json()["results"]]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sellers_sellercase SET city_en = 'Movedcity', city_zh = '' "
            "WHERE id = %s",
            [case.pk],
        )
    every_part_changed()
    assert case.slug not in [
        row["slug"] for row in visitor().get(url).json().get("results", [])
    ]
    moved = visitor().get("/api/seller-cases/?city=Movedcity").json()["results"]
    assert [row["slug"] for row in moved] == [case.slug]


def test_a_refused_filter_is_refused_every_time(article_data):
    for _ in range(2):
        response = visitor().get("/api/seller-cases/?strategy=no-such-strategy")
        assert response.status_code == 400
        assert "strategy" in response.json()


def markets_named_like_sources() -> list[str]:
    """A drawing made from a kept read of another table: the sources' titles."""
    titles = kept_read("titles", Source.objects.values_list("title", flat=True))
    return list(
        Market.objects.filter(name_en__in=titles).values_list("code", flat=True)
    )


def in_a_request(draw):
    """What ``draw()`` returns, drawn as in a reader's request: after the writes the
    test has made, which its transaction never commits."""
    drawn = []
    RecordVersionMiddleware(lambda request: drawn.append(draw()) or HttpResponse())(
        RequestFactory().get("/")
    )
    return drawn[0]


def test_a_kept_drawing_follows_a_write_to_a_table_only_a_kept_read_in_it_read(
    article_data, django_assert_num_queries
):
    def drawing():
        return in_a_request(
            lambda: kept_drawing("named", (), markets_named_like_sources)
        )

    # The titles kept already, so that the drawing reads them without a query.
    assert in_a_request(markets_named_like_sources) == []
    assert drawing() == []
    with django_assert_num_queries(1):
        # The revisions only: neither the sources nor the markets are read again.
        assert drawing() == []
    market = Market.objects.order_by("code").first()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE markets_source SET title = %s WHERE id = "
            "(SELECT MIN(id) FROM markets_source)",
            [market.name_en],
        )
    every_part_changed()
    assert drawing() == [market.code]


def test_what_a_process_holds_stays_within_its_budget():
    held = RecentlyKept(budget=800)
    held.set_many({"first": "a" * 100, "second": "b" * 100})
    held.set_many({"too-big": "c" * 101})
    assert held.get_many(["first", "second", "too-big"]).keys() == {"first", "second"}
    held.get_many(["first"])
    held.set_many({f"later-{number}": "d" * 100 for number in range(7)})
    assert held.held <= 800
    # The least recently read goes first.
    assert held.get_many(["first", "second"]).keys() == {"first"}


@pytest.mark.parametrize("url", ["/?as_of=2024-06-01", "/api/status/?as_of=2024-06-01"])
def test_an_edit_of_a_seller_case_leaves_the_status_answers_drawn(
    article_data, url, django_assert_num_queries
):
    drawn = visitor().get(url).content
    case = SellerCase.objects.published().order_by("pk").first()
    case.narrative_en = "Narrated again."
    case.save()
    with django_assert_num_queries(1):
        assert visitor().get(url).content == drawn


def test_an_edit_of_an_event_redraws_the_answers_that_read_events(article_data):
    event = ModeEvent.objects.published().order_by("pk").first()
    url = "/api/mode-events/?page_size=200"
    assert event.slug in visitor().get(url).content.decode()
    event.summary_en = "Summarised again."
    event.save()
    assert "Summarised again." in visitor().get(url).content.decode()


def test_nothing_drawn_from_a_write_rolled_back_is_ever_served(article_data):
    case = SellerCase.objects.published().exclude(city_en="").order_by("pk").first()

    def analyst_request(request):
        with transaction.atomic():
            case.city_en = "Rolledback"
            case.save()
            # Drawn inside the writing transaction, which then rolls back.
            assert '"Rolledback"' in city_choices().html
            transaction.set_rollback(True)
        return HttpResponse()

    # The case table counted before, so that the rolled-back write raises its count.
    SellerCase.objects.filter(pk=case.pk).update(narrative_en="Written before.")
    RecordVersionMiddleware(analyst_request)(RequestFactory().get("/"))
    # The next save raises the case table's count to the number the rolled-back one
    # had raised it to.
    written_after = SellerCase.objects.get(pk=case.pk)
    written_after.narrative_en = "Written after."
    written_after.save()
    every_part_changed()
    assert "Rolledback" not in visitor().get("/sellers/").content.decode()
