"""The public pages' headings go down one level at a time, as a screen reader's
outline of the page reads them: a list's items are headed one level below the heading
the list stands under (axe-core's heading-order, checked in a browser by
tests/browser/test_accessibility.py)."""

import re

import pytest

pytestmark = pytest.mark.django_db

PAGES = ("/", "/markets/", "/markets/DE/", "/events/", "/sources/", "/sellers/")


def heading_levels(page: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", page)]


@pytest.mark.parametrize("address", PAGES)
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_headings_never_skip_a_level(client, article_data, address, language):
    page = client.get(address, headers={"accept-language": language})
    levels = heading_levels(page.content.decode())
    assert levels[0] == 1
    skips = [
        (before, after)
        for before, after in zip(levels, levels[1:], strict=False)
        if after > before + 1
    ]
    assert skips == []


def test_the_event_list_heads_each_event_under_the_page_title(client, article_data):
    page = client.get("/events/").content.decode()
    assert '<h2 class="event-summary__title">' in page
    assert '<h3 class="event-summary__title">' not in page


def test_the_seller_list_heads_each_case_under_the_page_title(client, article_data):
    page = client.get("/sellers/").content.decode()
    assert '<h2 class="card__title">' in page
    assert '<h3 class="card__title">' not in page
