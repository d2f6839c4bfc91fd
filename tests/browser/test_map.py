"""The map on a phone and on a laptop, in either language: every market a link that
leads to its page, nothing scrolling sideways; on a phone, Europe large enough to tap
and every market in a list; the colour matrix passed in one keystroke."""

import re

import pytest

from markets.models import Market
from tests.browser.conftest import sideways_overflow

PHONE = 390


def choose_day(page, day: str) -> None:
    """Fill the map's day: on a phone its form is folded under one line."""
    fold = page.locator("details.filters__fold")
    if fold.count() and fold.get_attribute("open") is None:
        summary = fold.locator("summary")
        if summary.is_visible():
            summary.click()
    page.fill("input[name=as_of]", day)
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(rf"as_of={day}"))


@pytest.mark.parametrize("width", [PHONE, 1366])
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_reading_the_map_and_following_a_market(open_page, article_data, width, locale):
    page = open_page(width, locale)
    page.goto("/")
    page.locator(".site-nav a[href='/map/']").click()
    choose_day(page, "2024-02-10")

    shapes = page.locator(".world-map a")
    assert shapes.count() == Market.objects.published().count()
    # The background's land loaded as an image, within the content security policy.
    assert (
        page.evaluate(
            "fetch(document.querySelector('.world-map image').getAttribute('href'))"
            ".then(answer => answer.status)"
        )
        == 200
    )
    box = page.locator(".world-map svg").bounding_box()
    assert box["width"] <= width
    assert sideways_overflow(page) <= 0
    germany = page.locator(".world-map a[data-market=DE]")
    assert germany.get_attribute("data-uncertain") == "true"
    assert "DE" in germany.locator("title").text_content()
    germany.click()
    page.wait_for_url(re.compile(r"/markets/DE/"))


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_on_a_phone_europe_is_large_enough_to_tap(open_page, article_data, locale):
    page = open_page(PHONE, locale, has_touch=True, is_mobile=True)
    page.goto("/map/?as_of=2024-02-10")
    page.locator(".map-regions a").first.tap()
    page.wait_for_url(re.compile(r"region=europe"))
    assert "as_of=2024-02-10" in page.url
    assert sideways_overflow(page) <= 0
    for code in ("DE", "FR", "IT", "ES", "GB"):
        box = page.locator(
            f".world-map a[data-market={code}] path"
        ).first.bounding_box()
        assert box["width"] >= 24 and box["height"] >= 24, (code, box)
    # Germany's code is written on it, at least 12 px high.
    code_size = page.locator(".world-map a[data-market=DE] .world-map__code").evaluate(
        "label => label.getBoundingClientRect().height"
    )
    assert code_size >= 12
    page.locator(".world-map a[data-market=DE]").tap()
    page.wait_for_url(re.compile(r"/markets/DE/\?as_of=2024-02-10"))


def test_on_a_phone_a_listed_market_leads_to_its_page(open_page, article_data):
    page = open_page(PHONE, "zh-CN", has_touch=True, is_mobile=True)
    page.goto("/map/?as_of=2024-02-10")
    listed = page.locator(".map-markets a[data-market=KR]")
    assert listed.text_content() == "韩国"
    box = listed.bounding_box()
    assert box["height"] >= 24
    listed.tap()
    page.wait_for_url(re.compile(r"/markets/KR/\?as_of=2024-02-10"))


def test_a_focused_market_shows_its_name(open_page, article_data):
    page = open_page(PHONE, "zh-CN")
    page.goto("/map/?as_of=2024-02-10&region=europe")
    name = page.locator(".world-map a[data-market=FR] .world-map__name")
    assert not name.is_visible()
    page.locator(".world-map a[data-market=FR]").focus()
    assert name.is_visible()
    assert name.text_content() == "法国"


def test_stale_hatching_is_drawn_wide_enough_to_see_on_a_phone(open_page, article_data):
    """The hatching's pitch is a share of the view, so on a phone's world map a dot
    is still a few pixels apart from the next."""
    page = open_page(PHONE, "en-GB")
    page.goto("/map/")
    pitch = page.evaluate(
        """() => {
          const svg = document.querySelector('.world-map svg');
          const pattern = svg.querySelector('#hatch-stale');
          const units = svg.viewBox.baseVal.width;
          return pattern.width.baseVal.value * svg.getBoundingClientRect().width / units;
        }"""
    )
    assert pitch >= 4


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_the_matrix_is_tappable_on_a_phone_and_skipped_in_one_keystroke(
    open_page, article_data, locale
):
    page = open_page(PHONE, locale)
    page.goto("/?as_of=2024-06-01")
    square = page.locator(".colour-matrix__square path").first.bounding_box()
    assert square["width"] >= 24 and square["height"] >= 24
    code_size = page.locator(".colour-matrix__code").first.evaluate(
        "code => parseFloat(getComputedStyle(code).fontSize)"
        " * code.ownerSVGElement.getBoundingClientRect().width"
        " / code.ownerSVGElement.viewBox.baseVal.width"
    )
    assert code_size >= 12
    skip = page.locator(".skip-past")
    skip.focus()
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "colour-matrix-legend"
    page.keyboard.press("Tab")
    # The next stop is the table that follows the matrix (its scrolling wrapper).
    assert page.evaluate(
        """() => {
          const next = document.activeElement;
          const legend = document.getElementById('colour-matrix-legend');
          return !next.closest('.colour-matrix')
            && !!next.querySelector('.status-grid')
            && !!(legend.compareDocumentPosition(next)
              & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
