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


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_a_phone_lays_the_feed_out_at_its_own_width(open_page, article_data, locale):
    """A phone browser (is_mobile: it honours viewports) lays out a document that
    names none 980 px wide, its 16 px text shrunk to about 6 px on a 390 px screen."""
    page = open_page(390, locale, is_mobile=True, has_touch=True)
    page.goto("/events/feed/")

    assert page.evaluate("window.innerWidth") == 390
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    titles = page.locator("entry > title")
    assert titles.count() > 1
    # A headline, not the summary: three lines at most at 390 px.
    heights = page.evaluate(
        """[...document.querySelectorAll('entry > title')].map(title => {
            const style = getComputedStyle(title);
            return title.getBoundingClientRect().height / parseFloat(style.lineHeight);
        })"""
    )
    assert max(heights) <= 3.1, heights
