"""A third source entered through the API, as docs/api.md shows an analyst doing it.

An English news report says external links end "starting on September 12" 2023,
naming no market: a worldwide closure dated to the day. It relays a Chinese outlet, and
disputes the articles (2023年9月 in the US and UK; 8月底, ahead of time). The answers on
the days around it must be right in the API, on the home page, on the market page and in
the feed, and the pages must say what the API says.
"""

import datetime
import re

import pytest
from django.test import Client

from markets.vocabulary import Status

pytestmark = pytest.mark.django_db

CLOSURE_DISPUTE = "semi-closed-loop-us-gb-closure-date"
REPORT = "english-news-external-links-end-2023-09"
OUTLET = "chinese-outlet-external-links-2023-09"
EVENT = "semi-closed-loop-external-links-end-2023-09-12"
QUOTE = "External links will end starting on September 12."


def enter_third_source(api) -> None:
    """docs/api.md's intake, call by call; each must succeed."""
    calls = [
        (
            "/api/sources/",
            {
                "slug": REPORT,
                "title": "TikTok ends external links in videos",
                "publisher": "An English news site",
                "kind": "news_report",
                "language": "en",
                "published_on": "2023-09-14",
                "published_precision": "day",
                "publication": "published",
            },
        ),
        (
            "/api/sources/",
            {
                "slug": OUTLET,
                "title": "外链将于9月12日起停止",
                "publisher": "A Chinese outlet",
                "kind": "news_report",
                "language": "zh-Hans",
                "reported_via": REPORT,
                "publication": "published",
            },
        ),
        (
            "/api/mode-events/",
            {
                "slug": EVENT,
                "mode": "semi_closed_loop",
                "kind": "closure_effective",
                "scope": "worldwide",
                "markets": [],
                "date": "2023-09-12",
                "date_precision": "day",
                "date_wording": "starting on September 12",
                "status_set": "closed",
                "summary_en": "External links in TikTok videos end on 12 September.",
                "dispute": CLOSURE_DISPUTE,
                "evidence": [{"source": REPORT, "quote": QUOTE}],
                "publication": "published",
                "change_reason": "third source",
            },
        ),
    ]
    for url, payload in calls:
        response = api.post(url, payload, format="json")
        assert response.status_code == 201, (url, response.json())


@pytest.fixture
def third_source(article_data, editor_api) -> None:
    """Entered and published by an editor: publishing is the editors' permission."""
    enter_third_source(editor_api)


def api_cell(client, day: str, market: str) -> dict:
    response = client.get("/api/status/", {"as_of": day, "mode": "semi_closed_loop"})
    assert response.status_code == 200
    (cell,) = [cell for cell in response.json() if cell["market"] == market]
    return cell


def page_cells(html: str) -> dict[tuple[str, str], dict]:
    """The grid's cells, as the page marks them up for readers' tools."""
    cells = {}
    for attributes in re.findall(r"<td ([^>]*data-market=[^>]*)>", html):
        found = dict(re.findall(r'data-([a-z-]+)="([^"]*)"', attributes))
        flags = set(re.findall(r"data-([a-z-]+)(?=[\s>]|$)", attributes))
        found["uncertain"] = "uncertain" in flags
        found["implied"] = "implied" in flags
        cells[found["market"], found["mode"]] = found
    return cells


def test_the_answers_around_the_third_sources_closure(third_source, api_client):
    before = api_cell(api_client, "2023-08-20", "US")
    assert (before["status"], before["implied"]) == (Status.LIVE, True)
    for day in ("2023-08-25", "2023-09-12", "2023-09-13", "2023-09-30"):
        cell = api_cell(api_client, day, "US")
        assert (cell["status"], cell["uncertain"], cell["previous_status"]) == (
            Status.CLOSED,
            True,
            Status.LIVE,
        ), day
        assert cell["certain_from"] == "2023-10-01"
        assert cell["dispute"]["slug"] == CLOSURE_DISPUTE
        claims = {claim["slug"]: claim for claim in cell["claims"]}
        assert EVENT in claims and len(claims) == 3
        assert claims[EVENT]["evidence"][0]["source"]["slug"] == REPORT
    after = api_cell(api_client, "2023-10-01", "US")
    assert (after["status"], after["uncertain"]) == (Status.CLOSED, False)
    # A worldwide change touches no market where no source says the mode ran.
    germany = api_cell(api_client, "2023-09-13", "DE")
    assert germany["status"] == Status.NO_EVIDENCE


def test_the_pages_say_what_the_api_says_on_every_day_around_it(
    third_source, api_client
):
    reader = Client(headers={"accept-language": "en"})
    edges = ["2023-08-20", "2023-08-21", "2023-09-12", "2023-09-30", "2023-10-01"]
    sweep = [
        (datetime.date(2021, 1, 1) + datetime.timedelta(days=n)).isoformat()
        for n in range(0, 6 * 365, 31)
    ]
    for day in [*edges, *sweep]:
        html = reader.get("/", {"as_of": day}).content.decode()
        on_page = page_cells(html)
        response = api_client.get("/api/status/", {"as_of": day})
        unspoken = re.search(r'<p class="no-evidence-yet">(.*?)</p>', html, re.S)
        for cell in response.json():
            shown = on_page.get((cell["market"], cell["mode"]))
            if shown is None:
                # A market no source speaks of in any mode: named in one line.
                assert cell["status"] == Status.NO_EVIDENCE, (day, cell["market"])
                assert f"/markets/{cell['market']}/" in unspoken[1], day
                continue
            assert shown["status"] == cell["status"], (day, cell["market"])
            assert shown["uncertain"] == cell["uncertain"], (day, cell["market"])
            assert shown["implied"] == cell["implied"], (day, cell["market"])
            assert shown.get("certain-from") == cell["certain_from"], day


def test_the_home_page_names_each_claim_and_its_source(third_source):
    html = (
        Client(headers={"accept-language": "en"})
        .get("/", {"as_of": "2023-09-13"})
        .content.decode()
    )
    assert "An English news site" in html
    assert "小川电商" in html
    assert QUOTE in html
    assert "certain from 2023-10-01" in html


def test_the_market_page_shows_the_day_asked(third_source):
    html = (
        Client(headers={"accept-language": "en"})
        .get("/markets/US/", {"as_of": "2023-09-13"})
        .content.decode()
    )
    card = re.search(
        r'<li class="status-card" data-mode="semi_closed_loop"[^>]*>', html
    )
    assert 'data-status="closed"' in card.group(0)
    assert 'data-certain-from="2023-10-01"' in card.group(0)
    assert QUOTE in html


def test_the_feed_carries_the_claim_its_scope_and_its_dispute(third_source):
    feed = (
        Client(headers={"accept-language": "en"}).get("/events/feed/").content.decode()
    )
    (entry,) = [entry for entry in feed.split("<entry>") if EVENT in entry]
    assert "worldwide" in entry
    assert "Disputed" in entry
    assert QUOTE in entry
