"""The map on a phone and on a laptop, in either language: every market a link that
leads to its page, nothing scrolling sideways."""

import re

import pytest

from markets.models import Market


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_reading_the_map_and_following_a_market(
    browser, live_server, article_data, width, locale
):
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": 900},
        locale=locale,
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
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
    assert (
        page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    )
    germany = page.locator(".world-map a[data-market=DE]")
    assert germany.get_attribute("data-uncertain") == "true"
    assert "DE" in germany.locator("title").text_content()
    germany.click()
    page.wait_for_url(re.compile(r"/markets/DE/"))
    assert errors == []
    context.close()
