"""The colour matrix and the seller charts on a phone and on a laptop, in either
language: drawn, whole on screen, within the content security policy, and nothing
scrolling sideways."""

import pytest

from markets.models import Market, Mode
from tests.browser.conftest import sideways_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_within(page, selector: str, width: int) -> None:
    """Every element ``selector`` finds is shown, and whole inside the viewport."""
    found = page.locator(selector)
    assert found.count() > 0, selector
    for index in range(found.count()):
        element = found.nth(index)
        assert element.is_visible(), selector
        box = element.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, selector
        assert box["height"] > 0, selector


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_the_colour_matrix_fits_the_screen(open_page, article_data, width, locale):
    page = open_page(width, locale)
    page.goto("/?as_of=2024-06-01")
    assert_within(page, ".colour-matrix__chunk", width)
    squares = page.locator(".colour-matrix__square")
    assert squares.count() == Market.objects.published().count() * len(Mode.values)
    # A square is big enough to see and to aim at, even shrunk to fit.
    box = squares.first.bounding_box()
    assert box["width"] >= 12 and box["height"] >= 12
    assert page.locator(".colour-matrix__legend").is_visible()
    assert sideways_overflow(page) <= 0


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_the_before_after_charts_fit_the_screen(open_page, article_data, width, locale):
    page = open_page(width, locale)
    page.goto("/sellers/wang-lei-hangzhou/")
    assert_within(page, ".before-after-chart__svg", width)
    assert page.locator(".before-after-chart").count() == 2
    # The value beside the longer bar is written whole inside its chart.
    for chart in page.locator(".before-after-chart__svg").all():
        right = chart.bounding_box()["x"] + chart.bounding_box()["width"]
        for value in chart.locator(".before-after-chart__value").all():
            box = value.bounding_box()
            assert box["x"] + box["width"] <= right + 0.5
    assert sideways_overflow(page) <= 0
