"""The events feed opened in a browser, on a phone and on a laptop, in either language:
laid out as a page by its stylesheet, with each event's quotes and a way to the list."""

import re

import pytest


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize(
    ("locale", "note"),
    [("en-GB", "This is an Atom feed"), ("zh-CN", "Atom 订阅源")],
)
def test_the_feed_reads_as_a_page_in_a_browser(
    open_page, article_data, width, locale, note
):
    page = open_page(width, locale)
    page.goto("/events/feed/?mode=semi_closed_loop")

    # An XML document laid out by the stylesheet, not Chromium's view of its source.
    assert page.evaluate("document.contentType") == "application/xml"
    assert page.evaluate("getComputedStyle(document.documentElement).display") == (
        "block"
    )
    assert page.get_by_text(note).is_visible()
    shown = page.evaluate(
        """[...document.querySelectorAll('entry')].map(entry => ({
            title: entry.querySelector('title').checkVisibility(),
            quotes: [...entry.querySelectorAll('content blockquote')]
                .filter(quote => quote.checkVisibility()).length,
            summary: entry.querySelector('summary').checkVisibility(),
        }))"""
    )
    assert shown and all(entry["title"] for entry in shown)
    assert any(entry["quotes"] for entry in shown)
    assert not any(entry["summary"] for entry in shown)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.locator(".feed-note a").click()
    page.wait_for_url(re.compile(r"/events/\?mode=semi_closed_loop"))
    assert page.locator("h1").is_visible()
