"""A list's count and a filter's choices are kept under their table's listing revision
(caching.listings), which only a write that can move them raises: an edit of a case's
narrative leaves the count and the cities of `/sellers/` kept, while a city changed,
a case published or withdrawn, added or deleted shows at once, whoever writes."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caching.kept import forget_everything_kept
from caching.tables import tables_named
from markets.models import Market, Publication, Source, TableRevision
from sellers.models import SellerCase
from tests.factories import SellerCaseFactory

pytestmark = pytest.mark.django_db


def visitor() -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def listing_queries(url: str = "/sellers/") -> tuple[str, list[str]]:
    """The page, and the queries it ran that count the cases or draw their cities."""
    with CaptureQueriesContext(connection) as captured:
        page = visitor().get(url).content.decode()
    queries = [
        query["sql"]
        for query in captured.captured_queries
        if "COUNT(" in query["sql"].upper()
        or re.search(r"DISTINCT .*city_", query["sql"], re.S)
    ]
    return page, queries


def cities_offered(page: str) -> list[str]:
    select = re.search(r'<select name="city".*?</select>', page, re.S).group()
    return re.findall(r'<option value="([^"]+)"', select)


def cases_counted(page: str) -> int:
    return int(re.search(r'class="result-count"[^>]*>(\d+) result', page).group(1))


def a_published_case() -> SellerCase:
    return SellerCase.objects.published().exclude(city_en="").order_by("pk").first()


def test_an_edit_of_a_narrative_leaves_the_count_and_cities_kept(
    article_data, django_assert_max_num_queries
):
    forget_everything_kept()
    assert len(listing_queries()[1]) == 2
    case = a_published_case()
    case.narrative_en = "Narrated again."
    case.save()
    # The versions, the page's keys, and the edited case's card drawn again with
    # its markets, regions and strategies: neither the count nor the cities.
    with django_assert_max_num_queries(6):
        page, queries = listing_queries()
    assert "Narrated again." in page
    assert queries == []
    # Typed in SQL, as an administrator's fix.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sellers_sellercase SET narrative_en = 'Fixed in SQL.' WHERE id = %s",
            [case.pk],
        )
    page, queries = listing_queries()
    assert "Fixed in SQL." in page
    assert queries == []


def test_a_save_that_writes_the_same_city_leaves_the_cities_kept(article_data):
    listing_queries()
    a_published_case().save()
    assert listing_queries()[1] == []


@pytest.mark.parametrize("in_sql", [False, True], ids=["saved", "in-sql"])
def test_a_city_changed_is_offered_at_once(article_data, in_sql):
    listing_queries()
    case = a_published_case()
    if in_sql:
        SellerCase.objects.filter(pk=case.pk).update(city_en="Movedcity")
    else:
        case.city_en = "Movedcity"
        case.save()
    assert "Movedcity" in cities_offered(listing_queries()[0])


def test_a_case_withdrawn_or_published_again_is_counted_at_once(article_data):
    page = listing_queries()[0]
    counted = cases_counted(page)
    case = a_published_case()
    case.publication = Publication.DRAFT
    case.save()
    assert cases_counted(listing_queries()[0]) == counted - 1
    SellerCase.objects.filter(pk=case.pk).update(publication=Publication.PUBLISHED)
    assert cases_counted(listing_queries()[0]) == counted


def test_a_case_added_or_deleted_is_counted_at_once(article_data):
    counted = cases_counted(listing_queries()[0])
    case = SellerCaseFactory(
        reacts_to=a_published_case().reacts_to, city_zh="", city_en="Addedcity"
    )
    page = listing_queries()[0]
    assert cases_counted(page) == counted + 1
    assert "Addedcity" in cities_offered(page)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sellers_sellercase WHERE id = %s", [case.pk])
    page = listing_queries()[0]
    assert cases_counted(page) == counted
    assert "Addedcity" not in cities_offered(page)


@pytest.mark.parametrize(
    ("model", "field", "table"),
    [(Market, "name_en", "markets_market"), (Source, "title", "markets_source")],
)
def test_a_save_unchanged_keeps_the_choices_and_a_rename_shows_at_once(
    article_data, model, field, table
):
    row = model.objects.published().order_by("pk").first()

    def listing() -> int:
        return TableRevision.objects.get(table_name=f"{table}:listing").number

    page = "/sellers/" if model is Market else "/events/"
    visitor().get(page)
    before = listing()
    row.save()
    assert listing() == before
    setattr(row, field, "Renamed Again")
    row.save()
    assert listing() > before
    assert "Renamed Again" in visitor().get(page).content.decode()


def test_a_query_naming_another_column_of_the_table_reads_the_whole_table():
    count = (
        'SELECT COUNT(*) FROM "sellers_sellercase" '
        'WHERE "sellers_sellercase"."publication" = %s'
    )
    assert tables_named(count) == {"sellers_sellercase:listing"}
    narrated = f'{count} AND "sellers_sellercase"."narrative_en" = %s'
    assert tables_named(narrated) == {"sellers_sellercase"}
    assert tables_named("SELECT * FROM sellers_sellercase") == {"sellers_sellercase"}
    joined = (
        'SELECT "markets_market"."code" FROM "markets_market" INNER JOIN '
        '"sellers_sellercase_target_markets" ON ("markets_market"."id" = '
        '"sellers_sellercase_target_markets"."market_id")'
    )
    assert tables_named(joined) == {
        "markets_market",
        "sellers_sellercase_target_markets",
    }
