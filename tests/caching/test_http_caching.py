"""HTTP caches may keep what the public reads: validators, 304s, and private answers for
anyone signed in; a write retires only the answers that show what it changed."""

import datetime

import pytest
from django.db import connection
from django.test import Client

from caching.kept import forget_everything_kept
from markets.models import ModeEvent, Publication, RecordPart, RecordVersion
from markets.services import content_set_publication
from sellers.models import SellerCase
from tests.conftest import token_client
from tests.factories import (
    MarketFactory,
    MarketFigureFactory,
    ModeEventFactory,
    SellerCaseFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db

PUBLIC_READS = [
    "/",
    "/markets/DE/",
    "/events/",
    "/events/feed/",
    "/sellers/",
    "/api/status/?as_of=2024-06-01",
    "/api/mode-events/",
    "/api/mode-events/?format=csv",
    "/api/markets/DE/",
    "/api/seller-cases/",
]


@pytest.fixture
def record() -> dict:
    germany = MarketFactory(code="DE")
    event = ModeEventFactory(
        slug="beta", markets=[germany], date=datetime.date(2024, 2, 1)
    )
    case = SellerCaseFactory(slug="case", reacts_to=event)
    figure = MarketFigureFactory(markets=[germany])
    return {"event": event, "case": case, "figure": figure}


@pytest.mark.parametrize("url", PUBLIC_READS)
def test_a_public_read_carries_validators_and_leaves_for_shared_caches(record, url):
    response = Client().get(url)
    assert response.status_code == 200
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=0", "s-maxage=10"} <= directives
    assert "stale-while-revalidate=30" in directives
    assert {"Accept-Language", "Cookie"} <= {
        name.strip() for name in response["Vary"].split(",")
    }


@pytest.mark.parametrize("url", PUBLIC_READS)
def test_a_reader_holding_the_answer_gets_a_304_for_one_query(
    record, url, django_assert_num_queries
):
    etag = Client().get(url)["ETag"]
    with django_assert_num_queries(1):
        response = Client().get(url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_if_modified_since_is_answered_from_the_last_write(record):
    first = Client().get("/")
    since = first["Last-Modified"]
    assert Client().get("/", headers={"if-modified-since": since}).status_code == 304
    RecordVersion.objects.filter(part=RecordPart.STATUS).update(
        changed_at=datetime.datetime(2099, 1, 1, tzinfo=datetime.UTC)
    )
    assert Client().get("/", headers={"if-modified-since": since}).status_code == 200


def test_a_publish_changes_the_validator_and_a_draft_never_shows(record):
    event = record["event"]
    url = "/api/mode-events/"
    etag = Client().get(url)["ETag"]
    event.publication = Publication.DRAFT
    event.save()
    response = Client().get(url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert response.json()["results"] == []


@pytest.mark.parametrize("url", ["/", "/api/mode-events/", "/events/feed/"])
def test_an_analysts_answers_are_private(analyst_client, record, url):
    response = analyst_client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_a_signed_in_readers_api_answers_are_private(reader_api, record):
    response = reader_api.get("/api/mode-events/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def private(response) -> bool:
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    return "private" in directives and "public" not in directives


def test_answers_no_view_marks_as_shared_are_private(record):
    assert private(Client().get("/admin/login/"))
    assert private(Client().get("/api/schema/"))
    switch = Client().get("/language/zh-hans/?next=/")
    assert switch.cookies
    assert private(switch)


def etag(url: str) -> str:
    return Client().get(url)["ETag"]


def test_a_seller_case_edit_leaves_the_status_answers_alone(record):
    status = ["/", "/api/status/?as_of=2024-06-01", "/api/mode-events/", "/events/"]
    sellers = ["/sellers/", "/api/seller-cases/", "/events/beta/"]
    before = {url: etag(url) for url in status + sellers}
    case = SellerCase.objects.get(slug="case")
    case.narrative_en = "Moved to live streaming."
    case.save()
    assert {url: etag(url) for url in status} == {url: before[url] for url in status}
    assert all(etag(url) != before[url] for url in sellers)


def save_case(case: SellerCase, analyst) -> None:
    case.narrative_en = "Moved to live streaming."
    case.save()


def link_a_strategy(case: SellerCase, analyst) -> None:
    case.strategies.add(StrategyFactory())


def return_to_draft_in_bulk(case: SellerCase, analyst) -> None:
    content_set_publication(
        records=[case], state=Publication.DRAFT, user=analyst, reason="Checking."
    )


def add_a_case_through_the_api(case: SellerCase, analyst) -> None:
    response = token_client(analyst).post(
        "/api/seller-cases/",
        {"slug": "another", "seller_name": "另一家", "narrative_en": "Another."},
        format="json",
    )
    assert response.status_code == 201, response.json()


def narrate_in_sql(case: SellerCase, analyst) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE sellers_sellercase SET narrative_en = 'Fixed in SQL.', "
            "city_en = 'Fixcity' WHERE id = %s",
            [case.pk],
        )


SELLER_WRITERS = [
    save_case,
    link_a_strategy,
    return_to_draft_in_bulk,
    add_a_case_through_the_api,
]


@pytest.mark.parametrize("write", SELLER_WRITERS)
def test_every_writer_of_seller_cases_retires_only_the_seller_answers(
    record, analyst, write
):
    status = ["/", "/api/status/?as_of=2024-06-01", "/api/mode-events/", "/events/"]
    sellers = ["/sellers/", "/api/seller-cases/"]
    before = {url: etag(url) for url in status + sellers}
    write(SellerCase.objects.get(slug="case"), analyst)
    assert {url: etag(url) for url in status} == {url: before[url] for url in status}
    assert all(etag(url) != before[url] for url in sellers)


@pytest.mark.parametrize("write", [*SELLER_WRITERS, narrate_in_sql])
def test_after_every_writer_the_kept_seller_page_reads_as_one_drawn_afresh(
    record, analyst, write
):
    # The count, the page's keys, the choices and the cards are kept apart from the
    # page: whoever wrote, a second visitor must see what nothing kept would draw.
    Client().get("/sellers/")
    write(SellerCase.objects.get(slug="case"), analyst)
    kept = Client().get("/sellers/").content
    forget_everything_kept()
    assert kept == Client().get("/sellers/").content


def test_a_market_figure_edit_retires_the_market_page_not_the_grid(record):
    before = {url: etag(url) for url in ("/", "/markets/DE/")}
    figure = record["figure"]
    figure.metric_en = "Sellers"
    figure.save()
    assert etag("/") == before["/"]
    assert etag("/markets/DE/") != before["/markets/DE/"]


def test_an_event_edit_retires_the_status_and_the_seller_answers(record):
    urls = ["/", "/api/status/?as_of=2024-06-01", "/sellers/", "/api/seller-cases/"]
    before = {url: etag(url) for url in urls}
    event = ModeEvent.objects.get(slug="beta")
    event.summary_en = "Beta in Germany."
    event.save()
    assert all(etag(url) != before[url] for url in urls)


def test_sql_typed_by_hand_raises_the_version_of_its_tables_part(record):
    def numbers() -> dict[str, int]:
        return dict(RecordVersion.objects.values_list("part", "number"))

    before = numbers()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {SellerCase._meta.db_table} SET narrative_en = 'fixed'"  # noqa: S608
        )
    after = numbers()
    assert after[RecordPart.SELLERS] > before[RecordPart.SELLERS]
    assert after[RecordPart.STATUS] == before[RecordPart.STATUS]
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {ModeEvent._meta.db_table} SET date_note = 'x'")  # noqa: S608
    assert numbers()[RecordPart.STATUS] > after[RecordPart.STATUS]
