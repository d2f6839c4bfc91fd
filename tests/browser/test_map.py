"""The map on a phone and on a laptop, in either language: every market a link that
leads to its page, nothing scrolling sideways."""

import re

import pytest

from markets.models import Market
from tests.browser.conftest import sideways_overflow


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_reading_the_map_and_following_a_market(open_page, article_data, width, locale):
    page = open_page(width, locale)
    page.goto("/")
    page.locator(".site-nav a[href='/map/']").click()
    page.fill("input[name=as_of]", "2024-02-10")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"as_of=2024-02-10"))

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
