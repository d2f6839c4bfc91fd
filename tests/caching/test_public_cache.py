"""The public's reads are cached, and no write ever leaves them stale."""

import datetime

import pytest
from django.urls import reverse

from markets.models import Mode, ModeEvent, Publication, Status
from status.worldmap import land_fingerprint
from tests.factories import MarketFactory, ModeEventFactory

pytestmark = pytest.mark.django_db

STATUS = "/api/status/?as_of=2024-06-01&mode=semi_closed_loop"


def germany_status(client) -> str:
    (cell,) = [row for row in client.get(STATUS).json() if row["market"] == "DE"]
    return cell["status"]


@pytest.fixture
def germany_beta():
    germany = MarketFactory(code="DE")
    return ModeEventFactory(markets=[germany], date=datetime.date(2024, 2, 1))


def test_a_second_public_read_costs_one_query_for_the_version(
    api_client, germany_beta, django_assert_num_queries
):
    first = api_client.get(STATUS).json()
    with django_assert_num_queries(1):
        assert api_client.get(STATUS).json() == first


def test_an_edited_event_is_seen_at_once(api_client, germany_beta):
    assert germany_status(api_client) == Status.BETA
    germany_beta.status_set = Status.CLOSED
    germany_beta.save()
    assert germany_status(api_client) == Status.CLOSED


def test_unpublishing_and_relinking_are_seen_at_once(api_client, germany_beta):
    assert germany_status(api_client) == Status.BETA
    germany_beta.markets.clear()
    assert germany_status(api_client) == Status.NO_EVIDENCE
    germany_beta.markets.add(MarketFactory(code="DE"))
    assert germany_status(api_client) == Status.BETA
    germany_beta.publication = Publication.DRAFT
    germany_beta.save()
    assert germany_status(api_client) == Status.NO_EVIDENCE


def test_a_deleted_event_is_gone_at_once(api_client, germany_beta):
    events = api_client.get("/api/mode-events/").json()["results"]
    assert [event["slug"] for event in events] == [germany_beta.slug]
    ModeEvent.objects.filter(pk=germany_beta.pk).delete()
    assert api_client.get("/api/mode-events/").json()["results"] == []


def test_the_public_never_gets_what_an_analyst_sees(
    api_client, analyst_api, germany_beta
):
    ModeEventFactory(
        markets=[germany_beta.markets.get()],
        mode=Mode.SEMI_CLOSED_LOOP,
        publication=Publication.DRAFT,
    )
    assert len(analyst_api.get("/api/mode-events/").json()["results"]) == 2
    assert len(api_client.get("/api/mode-events/").json()["results"]) == 1
    assert len(analyst_api.get("/api/mode-events/").json()["results"]) == 2


def test_analysts_are_always_answered_afresh(
    analyst_api, germany_beta, django_assert_max_num_queries
):
    analyst_api.get(STATUS)
    with django_assert_max_num_queries(10) as queries:
        analyst_api.get(STATUS)
    assert len(queries) > 0


def test_a_page_read_again_costs_one_query_until_a_write(
    client, germany_beta, django_assert_num_queries
):
    page = client.get("/?as_of=2024-06-01").content
    with django_assert_num_queries(1):
        assert client.get("/?as_of=2024-06-01").content == page
    germany_beta.summary_en = "The semi-closed loop opens in beta, says the source."
    germany_beta.save()
    assert (
        b"says the source"
        in client.get("/?as_of=2024-06-01", HTTP_ACCEPT_LANGUAGE="en").content
    )


def test_each_language_has_its_own_page(client, germany_beta):
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content
    chinese = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans").content
    assert english != chinese
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en").content == english


def test_staff_get_a_fresh_page_with_their_admin_links(client, analyst, germany_beta):
    client.get("/sellers/")
    client.force_login(analyst)
    assert b"admin-link" in client.get("/sellers/").content


def test_a_cached_csv_download_keeps_its_file_name(api_client, germany_beta):
    first = api_client.get("/api/mode-events/?format=csv")
    again = api_client.get("/api/mode-events/?format=csv")
    assert again.content == first.content
    assert again["Content-Disposition"] == first["Content-Disposition"]
    assert again["Content-Type"].startswith("text/csv")


def test_a_cached_page_of_a_list_keeps_its_links(api_client, germany_beta):
    ModeEventFactory(markets=[germany_beta.markets.get()])
    first = api_client.get("/api/mode-events/?page_size=1")
    again = api_client.get("/api/mode-events/?page_size=1")
    assert again.json() == first.json()
    assert again["Link"] == first["Link"]


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/markets/",
        "/markets/DE/",
        "/events/",
        "/sources/",
        "/sellers/",
        "/search/?q=TikTok",
        "/api/status/?as_of=2024-06-01",
        "/api/mode-events/",
        "/api/markets/",
    ],
)
def test_junk_query_keys_are_redirected_to_the_page_without_them_kept_by_no_cache(
    client, germany_beta, address, django_assert_num_queries
):
    """A reverse proxy keys what it keeps by the whole address: a page answering
    junk keys itself would have it keep one copy per junk value. The redirect, kept
    by none, costs no query; the page it leads to is the one entry."""
    joiner = "&" if "?" in address else "?"
    clean = client.get(address)
    assert clean.status_code == 200
    for junk in ("utm_source=mail", "x=1&y=2", "cache_buster=42", "&utm_medium"):
        with django_assert_num_queries(0):
            redirect = client.get(f"{address}{joiner}{junk}")
        assert redirect.status_code == 302
        assert redirect["Location"] == address
        assert "no-store" in redirect["Cache-Control"]
        assert "private" in redirect["Cache-Control"]
        with django_assert_num_queries(1):
            again = client.get(redirect["Location"])
        assert again.content == clean.content


def test_junk_between_the_parameters_a_page_reads_keeps_them_in_their_order(
    client, germany_beta
):
    redirect = client.get("/events/?utm_source=x&mode=semi_closed_loop&page=1&y=2")
    assert redirect.status_code == 302
    assert redirect["Location"] == "/events/?mode=semi_closed_loop&page=1"


def test_a_page_links_back_without_the_parameters_it_does_not_read(
    client, germany_beta
):
    body = client.get(
        "/events/?mode=semi_closed_loop&tracking=evil-tag", follow=True
    ).content
    assert b"evil-tag" not in body
    assert b"mode=semi_closed_loop" in body


def test_an_api_page_links_on_without_the_parameters_it_does_not_read(
    api_client, germany_beta
):
    ModeEventFactory(markets=[germany_beta.markets.get()])
    response = api_client.get(
        "/api/mode-events/?page_size=1&tracking=evil-tag", follow=True
    )
    assert "evil-tag" not in response.json()["next"]
    assert "page_size=1" in response.json()["next"]


def test_the_parameters_a_page_reads_still_make_their_own_entries(client, germany_beta):
    before = client.get("/?as_of=2024-01-01", headers={"accept-language": "en"})
    after = client.get("/?as_of=2024-06-01", headers={"accept-language": "en"})
    assert before.content != after.content


def test_junk_query_keys_on_the_map_background_are_redirected_kept_by_no_cache(client):
    land = reverse("status:map-land", kwargs={"fingerprint": land_fingerprint()})
    redirect = client.get(f"{land}?utm_source=mail")
    assert redirect.status_code == 302
    assert redirect["Location"] == land
    directives = {part.strip() for part in redirect["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives
    assert "public" not in directives
    assert client.get(redirect["Location"]).status_code == 200
