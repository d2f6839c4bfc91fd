"""The Atom feed of events: valid, published only, and narrowed like the list."""

import datetime
import re
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.utils import timezone

from markets.models import Mode, ModeEvent, Publication, Status
from markets.services import content_set_publication
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
    assert found[0].find(f"{ATOM}link").get("href").endswith("/events/jp-shop/")


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


@pytest.mark.parametrize(
    ("language", "title", "summary"),
    [
        ("en", "Beta launch: Semi-closed loop in Market DE, Feb 2024", "Germany beta"),
        ("zh-hans", "市场DE半闭环开启内测，2024年2月", "半闭环模式内测"),
    ],
)
def test_an_entry_is_titled_by_its_headline_and_keeps_its_summary_in_the_content(
    client, two_markets, language, title, summary
):
    """A title a phone shows on a line or two; the summary is read below it, once."""
    found = entries(
        client.get("/events/feed/", {"market": "DE"}, HTTP_ACCEPT_LANGUAGE=language)
    )
    (entry,) = found
    assert entry.find(f"{ATOM}title").text == title
    assert summary in "".join(entry.find(f"{ATOM}content").itertext())


def test_entries_come_newest_event_first_then_the_latest_published(client):
    """By when the event happened, as the list reads; between events of one day, the
    one the public could read last comes first. An edit moves no old event up."""
    market = MarketFactory()
    now = timezone.now()
    for slug, date, published in (
        ("old-edited", datetime.date(2022, 5, 1), now - datetime.timedelta(days=9)),
        ("newest", datetime.date(2024, 6, 1), now - datetime.timedelta(days=30)),
        (
            "same-day-early",
            datetime.date(2023, 3, 1),
            now - datetime.timedelta(days=20),
        ),
        ("same-day-late", datetime.date(2023, 3, 1), now - datetime.timedelta(days=2)),
    ):
        event = ModeEventFactory(slug=slug, markets=[market], date=date)
        ModeEvent.objects.filter(pk=event.pk).update(published_at=published)
    old = ModeEvent.objects.get(slug="old-edited")
    old.summary_en = "Corrected since."
    old.save()

    found = entries(client.get("/events/feed/"))
    assert [
        entry.find(f"{ATOM}link").get("href").split("/")[-2] for entry in found
    ] == [
        "newest",
        "same-day-late",
        "same-day-early",
        "old-edited",
    ]


XHTML = "{http://www.w3.org/1999/xhtml}"
BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


def test_an_entry_carries_its_quotes_as_xhtml_content_with_working_links(client):
    event = ModeEventFactory(markets=[MarketFactory()])
    evidence = EventEvidenceFactory(fact=event, quote="八个国家重启内测 <b>&")
    (entry,) = entries(client.get("/events/feed/"))
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "xhtml"
    (div,) = content
    assert div.tag == f"{XHTML}div"
    (quote,) = div.iter(f"{XHTML}blockquote")
    assert quote.text == "八个国家重启内测 <b>&"
    links = [link.get("href") for link in div.iter(f"{XHTML}a")]
    assert f"http://testserver{evidence.source.get_absolute_url()}" in links
    assert f"http://testserver{event.get_absolute_url()}" in links


def test_the_feed_names_its_stylesheet_which_is_served(client, two_markets):
    response = client.get("/events/feed/")
    text = response.content.decode()
    stylesheet = re.search(
        r'<\?xml-stylesheet href="([^"]+)" media="screen" type="text/css"\?>', text
    )
    assert stylesheet, text[:300]
    # Before the feed's first element, where a processing instruction must stand.
    assert text.index("<?xml-stylesheet") < text.index("<feed")
    assert finders.find(stylesheet.group(1).removeprefix(settings.STATIC_URL))


def test_a_phone_is_told_to_lay_the_feed_out_at_its_own_width(client, two_markets):
    """Without a viewport of its own a phone lays an XML document out 980 px wide,
    its text a third of its size; feed readers pass over the XHTML element."""
    response = client.get("/events/feed/", HTTP_ACCEPT=BROWSER_ACCEPT)
    feed = ElementTree.fromstring(response.content)  # noqa: S314
    (viewport,) = feed.iter(f"{XHTML}meta")
    assert viewport.get("name") == "viewport"
    assert "width=device-width" in viewport.get("content")
    assert "style-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("language", "note"),
    [("en", "This is an Atom feed"), ("zh-hans", "Atom 订阅源")],
)
def test_a_reader_who_opens_the_feed_in_a_browser_is_told_what_it_is(
    client, two_markets, language, note
):
    response = client.get(
        "/events/feed/",
        {"market": "DE"},
        HTTP_ACCEPT=BROWSER_ACCEPT,
        HTTP_ACCEPT_LANGUAGE=language,
    )
    # Generic XML, which a browser lays out with the stylesheet; Atom's own type it
    # shows as text.
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    feed = ElementTree.fromstring(response.content)  # noqa: S314
    (intro,) = feed.findall(f"{XHTML}div")
    assert note in "".join(intro.itertext())
    (page,) = intro.iter(f"{XHTML}a")
    assert page.get("href") == "http://testserver/events/?market=DE"


def test_a_feed_reader_is_answered_in_atoms_own_type(client, two_markets):
    for accept in ("application/atom+xml", "*/*", ""):
        response = client.get("/events/feed/", HTTP_ACCEPT=accept)
        assert response["Content-Type"].startswith("application/atom+xml"), accept
        assert "Accept" in response["Vary"]


def test_a_browser_looking_for_an_icon_on_the_feed_finds_the_sites(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("favicon.svg")
    assert finders.find("favicon.svg")


def test_a_feed_entry_is_published_when_its_event_was_published_not_when_drafted(
    client,
):
    """A draft begun in March and published in May is news in May; a later edit
    moves <updated>, never <published>, and neither does a return to draft."""
    event = ModeEventFactory(slug="drafted-early", publication=Publication.DRAFT)
    assert event.published_at is None
    drafted = timezone.now() - datetime.timedelta(days=60)
    ModeEvent.objects.filter(pk=event.pk).update(created_at=drafted)
    event.refresh_from_db()
    (event,) = content_set_publication(
        records=[event], state=Publication.PUBLISHED, user=None, reason="Checked"
    )
    published = event.published_at
    assert published > drafted

    def stamps() -> tuple[datetime.datetime, datetime.datetime]:
        (entry,) = entries(client.get("/events/feed/"))
        return tuple(
            datetime.datetime.fromisoformat(entry.find(f"{ATOM}{tag}").text)
            for tag in ("published", "updated")
        )

    assert stamps() == (published, event.updated_at)

    event.summary_en = "The semi-closed loop opens in beta, as a second source says."
    event.save()
    for state in (Publication.DRAFT, Publication.PUBLISHED):
        (event,) = content_set_publication(
            records=[event], state=state, user=None, reason="Back and forth"
        )
    assert event.updated_at > published
    assert stamps() == (published, event.updated_at)
