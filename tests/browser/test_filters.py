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
    open_page, article_data, locale, address
):
    legend, applied = WORDS[locale]
    page = open_page(390, locale)
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


def test_a_refused_filter_stands_open_on_a_phone(open_page, article_data):
    page = open_page(390)
    page.goto("/events/?date_after=someday")
    assert page.locator(".filters .errorlist").first.is_visible()
