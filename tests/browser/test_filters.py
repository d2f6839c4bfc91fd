"""A list's filters on a phone fold away under one line naming those applied, and open
with a tap; on a laptop they stand open, with no line to tap."""

import re

import pytest

WORDS = {"en-GB": ("Filter", "Mode"), "zh-CN": ("筛选", "模式")}


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
@pytest.mark.parametrize(
    "address", ["/events/?mode=semi_closed_loop", "/sellers/?mode=semi_closed_loop"]
)
def test_filters_fold_away_on_a_phone_and_stand_open_on_a_laptop(
    browser, live_server, article_data, locale, address
):
    legend, applied = WORDS[locale]
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 900}, locale=locale
    )
    page = context.new_page()
    page.goto(address)
    summary = page.locator(".filters__fold > summary")
    assert summary.is_visible()
    assert summary.inner_text().startswith(legend)
    assert applied in page.locator(".filters__applied").inner_text()
    fields = page.locator(".filters__fields")
    assert not fields.is_visible()
    summary.click()
    assert fields.is_visible()
    page.locator(".filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"mode=semi_closed_loop"))

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(address)
    assert not summary.is_visible()
    assert fields.is_visible()
    context.close()


def test_a_refused_filter_stands_open_on_a_phone(browser, live_server, article_data):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 390, "height": 900}
    )
    page = context.new_page()
    page.goto("/events/?date_after=someday")
    assert page.locator(".filters .errorlist").first.is_visible()
    context.close()
