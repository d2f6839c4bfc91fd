"""The Atom feed of events: valid, published only, and narrowed like the list."""

import datetime
from xml.etree import ElementTree

import pytest

from markets.models import Mode, ModeEvent, Publication, Status
from tests.factories import EventEvidenceFactory, MarketFactory, ModeEventFactory

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[ElementTree.Element]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    # Our own output, parsed to check it is well-formed Atom.
    feed = ElementTree.fromstring(response.content)  # noqa: S314
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "link"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    found = feed.findall(f"{ATOM}entry")
    for entry in found:
        for tag in ("id", "title", "updated", "link", "summary"):
            assert entry.find(f"{ATOM}{tag}") is not None, tag
    return found


@pytest.fixture
def two_markets():
    germany = MarketFactory(code="DE")
    japan = MarketFactory(code="JP")
    ModeEventFactory(slug="de-beta", markets=[germany], summary_en="Germany beta")
    ModeEventFactory(
        slug="jp-shop",
        markets=[japan],
        mode=Mode.CLOSED_LOOP,
        status_set=Status.LIVE,
        date=datetime.date(2023, 1, 1),
        date_precision="year",
    )
    ModeEventFactory(slug="de-draft", markets=[germany], publication=Publication.DRAFT)
    return germany, japan


def test_feed_is_valid_atom_of_published_events(client, two_markets):
    found = entries(client.get("/events/feed/"))
    links = sorted(entry.find(f"{ATOM}link").get("href") for entry in found)
    assert links == [
        "http://testserver/events/de-beta/",
        "http://testserver/events/jp-shop/",
    ]


def test_feed_per_market_honours_the_list_filters(client, two_markets):
    found = entries(client.get("/events/feed/", {"market": "DE"}))
    assert [entry.find(f"{ATOM}link").get("href") for entry in found] == [
        "http://testserver/events/de-beta/"
    ]


def test_feed_per_mode_honours_the_list_filters(client, two_markets):
    found = entries(client.get("/events/feed/", {"mode": "closed_loop"}))
    assert len(found) == 1
    assert "JP" in found[0].find(f"{ATOM}title").text


def test_feed_title_and_link_say_how_it_is_narrowed(client, two_markets):
    response = client.get("/events/feed/", {"market": "DE", "mode": "semi_closed_loop"})
    feed = ElementTree.fromstring(response.content)  # noqa: S314
    assert "DE" in feed.find(f"{ATOM}title").text
    alternate = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == "http://testserver/events/?market=DE&mode=semi_closed_loop"


def test_feed_with_an_invalid_filter_is_empty_not_an_error(client, two_markets):
    assert entries(client.get("/events/feed/", {"mode": "no-such-mode"})) == []


def test_feed_entries_carry_the_quote_and_its_source(client):
    event = ModeEventFactory(markets=[MarketFactory()])
    evidence = EventEvidenceFactory(fact=event, quote="八个国家重启内测")
    (entry,) = entries(client.get("/events/feed/"))
    summary = entry.find(f"{ATOM}summary").text
    assert "八个国家重启内测" in summary
    assert f"http://testserver{evidence.source.get_absolute_url()}" in summary


def test_an_entry_is_titled_by_its_summary(client, two_markets):
    found = entries(
        client.get("/events/feed/", {"mode": "closed_loop"}, HTTP_ACCEPT_LANGUAGE="en")
    )
    event = ModeEvent.objects.get(mode="closed_loop")
    assert found[0].find(f"{ATOM}title").text.startswith(event.summary_en)
