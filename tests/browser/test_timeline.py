"""A market's timeline on a phone and on a laptop: where it is wider than the screen a
hint says so and it scrolls by itself, never the page; no two numbers overlap."""

import itertools

import pytest


@pytest.mark.parametrize(("width", "scrolls"), [(390, True), (1366, False)])
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_the_timeline_says_where_it_scrolls_and_its_numbers_stand_apart(
    open_page, article_data, width, scrolls, locale
):
    page = open_page(width, locale)
    page.goto("/markets/US/")
    timeline = page.locator(".timeline__scroll")
    overflow = timeline.evaluate("box => box.scrollWidth - box.clientWidth")
    assert (overflow > 0) is scrolls
    assert page.locator(".timeline__hint").is_visible() is scrolls
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    boxes = page.locator(".mark__label").evaluate_all(
        """labels => labels.map(label => {
            const box = label.getBoundingClientRect();
            return [box.left, box.top, box.right, box.bottom];
        })"""
    )
    assert boxes
    for (l1, t1, r1, b1), (l2, t2, r2, b2) in itertools.combinations(boxes, 2):
        assert r1 <= l2 or r2 <= l1 or b1 <= t2 or b2 <= t1, "labels overlap"
