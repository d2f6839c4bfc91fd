"""An embeddable SVG badge of one market's answer in one mode, kept like every public
answer."""

import datetime
import re
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.utils.html import escape

from markets.models import Market, Mode, RecordPart
from markets.signals import record_changed
from status.selectors import status_on

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 1)


def visitor(language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def badge_of(code: str, mode: str, language: str = "en", day=DAY) -> str:
    response = visitor(language).get(f"/badges/{code}/{mode}.svg", {"as_of": day})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    # Well-formed, as an <img> needs it.
    ElementTree.fromstring(response.content)  # noqa: S314 (our own answer)
    return response.content.decode()


@pytest.mark.parametrize("mode", ["semi_closed_loop", "closed_loop", "fully_managed"])
def test_a_badge_says_what_the_status_answer_says(article_data, mode):
    for market in Market.objects.public():
        (cell,) = status_on(Market.objects.filter(pk=market.pk), DAY, [mode])
        svg = badge_of(market.code, mode)
        title = re.search(r"<title>(.*?)</title>", svg).group(1)
        stale = f"; {cell.words.stale_note}" if cell.stale else ""
        assert title == escape(
            f"{cell.get_mode_display()} in {market.name_en}: {cell.words.brief}, "
            f"as of {DAY.isoformat()}{stale}"
        )
        assert f'aria-label="{title}"' in svg


def test_a_badge_is_drawn_in_the_readers_language(article_data):
    svg = badge_of("DE", "semi_closed_loop", "zh-hans")
    assert "半闭环" in svg
    assert "截至 2024-06-01" in svg


@pytest.mark.parametrize(
    "address", ["/badges/ZZ/semi_closed_loop.svg", "/badges/DE/no-such-mode.svg"]
)
def test_an_unknown_market_or_mode_is_not_found(article_data, address):
    assert visitor().get(address).status_code == 404


def test_a_draft_market_has_no_badge(article_data):
    market = Market.objects.public().order_by("code").first()
    Market.objects.filter(pk=market.pk).update(publication="draft")
    response = visitor().get(f"/badges/{market.code}/semi_closed_loop.svg")
    assert response.status_code == 404


def test_a_badge_is_kept_and_shared(article_data, django_assert_num_queries):
    address = "/badges/DE/semi_closed_loop.svg?as_of=2024-06-01"
    drawn = visitor().get(address).content
    for part in RecordPart:
        record_changed(part)
    with django_assert_num_queries(1):
        stranger = visitor().get(address)
    assert stranger.content == drawn
    assert stranger["Cache-Control"].startswith("public")
    assert not stranger.cookies


def test_a_markets_page_offers_its_badges_to_embed(article_data):
    page = visitor().get("/markets/DE/").content.decode()
    offered = re.findall(r'<img src="(/badges/DE/\w+\.svg)"', page)
    assert offered == [f"/badges/DE/{mode}.svg" for mode in Mode.values]
    for address in offered:
        # The snippet to copy names the badge by its full address.
        assert f'&lt;img src="http://testserver{address}"' in page
        assert visitor().get(address).status_code == 200


@pytest.mark.parametrize(
    ("language", "named", "not_named"),
    [("zh-hans", "德国", "DE 的"), ("en", "in Germany", "in DE")],
)
def test_a_badge_names_its_market_in_the_readers_language_not_by_code(
    article_data, language, named, not_named
):
    badge = badge_of("DE", "semi_closed_loop", language)
    assert named in badge
    assert not_named not in badge
