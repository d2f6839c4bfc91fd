"""What a reader does, in a real browser, on the article data."""

import io
import re

import pytest
from django.core.management import call_command

from tests.browser.conftest import PUBLIC_PAGES, sideways_overflow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer(page, status_class: str) -> str:
    """The semi-closed loop's markets with one status, as the reader sees them."""
    lead = page.locator(".mode-answer--lead")
    return lead.locator(f"li:has(> .{status_class})").first.inner_text()


def test_picking_a_date_changes_the_answer(page, article_data):
    page.goto("/")
    page.fill("input[name=as_of]", "2024-06-01")
    page.click(".as-of button[type=submit]")
    page.wait_for_url(re.compile(r"as_of=2024-06-01"))
    assert "DE · 德国" in answer(page, "status-beta")
    assert "2024-06-01" in page.locator("#answer-heading").inner_text()

    page.fill("input[name=as_of]", "2023-10-01")
    page.click(".as-of button[type=submit]")
    page.wait_for_url(re.compile(r"as_of=2023-10-01"))
    assert "DE · 德国" not in answer(page, "status-beta")
    assert "US · 美国" in answer(page, "status-closed")


def test_a_day_inside_the_beta_month_reads_uncertain(page, article_data):
    page.goto("/?as_of=2024-02-10")
    uncertain = page.locator(".mode-answer--lead .answer-uncertain").first
    assert "DE · 德国" in uncertain.inner_text()
    assert "2024-03-01" in uncertain.inner_text()
    uncertain.get_by_role("link", name=re.compile("2024-03-01")).click()
    page.wait_for_url(re.compile(r"as_of=2024-03-01"))
    assert "DE · 德国" in answer(page, "status-beta")


def test_filtering_seller_cases(page, article_data):
    page.goto("/sellers/")
    everyone = page.locator(".card-list > li.card").count()
    page.select_option("select[name=strategy]", "live-streaming")
    page.click(".filters button[type=submit]")
    # Empty fields stay out of the address, so it is short enough to share.
    page.wait_for_url(re.compile(r"/sellers/\?strategy=live-streaming$"))
    cards = page.locator(".card-list > li.card")
    assert 0 < cards.count() < everyone
    for index in range(cards.count()):
        assert "直播" in cards.nth(index).inner_text()


def test_switching_language(page, article_data):
    page.goto("/markets/DE/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "时间线" in page.locator("#timeline-heading").inner_text()
    page.click(".language-switcher a[hreflang=en]")
    page.wait_for_load_state()
    assert page.url.endswith("/markets/DE/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#timeline-heading").inner_text() == "Timeline"
    assert "Germany" in page.locator("h1").inner_text()
    # The quote keeps its own language.
    assert page.locator("blockquote[lang=zh-Hans]").count() > 0
    page.click(".language-switcher a[hreflang=zh-hans]")
    page.wait_for_load_state()
    assert "德国" in page.locator("h1").inner_text()


def test_following_a_market_to_its_timeline(page, article_data):
    page.goto("/markets/")
    page.get_by_role("link", name=re.compile("DE 德国")).click()
    # The grid's link keeps the day the reader asked about.
    page.wait_for_url(re.compile(r"/markets/DE/(\?as_of=[\d-]+)?$"))
    timeline = page.locator("svg.timeline__svg")
    assert timeline.is_visible()
    # The eight-market beta of 2024年2月 is a span, not a point.
    assert timeline.locator(".mark--span").count() >= 1
    timeline.locator("a.mark").first.click()
    page.wait_for_url(re.compile(r"/events/[\w-]+/$"))
    assert re.search("Feb 2024|2024年2月", page.locator(".facts").inner_text())


def test_opening_a_source_and_reaching_a_fact_resting_on_it(page, article_data):
    page.goto("/sources/")
    page.get_by_role("link", name="TikTok的半闭环功能将在8月底关闭").click()
    page.wait_for_url(re.compile(r"/sources/xiaochuan-semi-closed-loop-closes"))
    # It relays three outlets.
    assert page.locator(".facts ul.plain li").count() == 3
    facts = page.locator(".rests-on .event-summary")
    headline = facts.first.locator(".event-summary__title a").inner_text()
    summary = facts.first.locator(".event-summary__text").inner_text()
    facts.first.locator(".event-summary__title a").click()
    page.wait_for_url(re.compile(r"/events/[\w-]+/$"))
    # The event's page leads with the headline the list showed, then its summary.
    assert page.locator("h1").inner_text() == headline
    assert page.locator(".page-header .lede").inner_text() == summary
    sources = page.locator(".evidence__source a").all_inner_texts()
    assert any("TikTok的半闭环功能将在8月底关闭" in source for source in sources)


@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_pages_fit_a_phone_screen(open_page, article_data, locale):
    """As a phone lays a page out: without the viewport meta tag it would draw the page
    980 px wide and shrink it; with it, the page is 390 px and nothing scrolls sideways."""
    call_command("release_dataset", stdout=io.StringIO())
    page = open_page(
        390,
        locale,
        height=844,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=3,
    )
    for address in PUBLIC_PAGES:
        assert page.goto(address).status == 200, address
        assert page.evaluate("window.innerWidth") == 390, address
        assert sideways_overflow(page) <= 0, address


def test_two_visitors_switch_language_on_the_same_cached_page(
    browser, live_server, article_data, settings
):
    """Under the production settings' cookies, each visitor in a context of their own."""
    settings.CSRF_COOKIE_SECURE = settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_HTTPONLY = True
    for visitor in range(2):
        context = browser.new_context(base_url=live_server.url, locale="zh-CN")
        page = context.new_page()
        response = page.goto("/markets/DE/")
        assert response.status == 200
        assert page.locator("input[name=csrfmiddlewaretoken]").count() == 0
        page.click(".language-switcher a[hreflang=en]")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "en", visitor
        assert page.locator("#timeline-heading").inner_text() == "Timeline"
        context.close()


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_comparing_two_days(open_page, article_data, width, locale):
    """A reader asks what changed between two days, on a phone and on a laptop, in
    either language: the changes are listed, and nothing scrolls sideways."""
    page = open_page(width, locale)
    page.goto("/changes/")
    page.fill("input[name=from]", "2023-01-01")
    page.fill("input[name=to]", "2024-06-01")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"from=2023-01-01"))
    # One line per changed cell, then each event once with its quotes.
    assert page.locator(".change-lines li.change").count() > 0
    assert page.locator(".change-cause .evidence__quote").count() > 0
    assert sideways_overflow(page) <= 0
    if width == 1366:
        # The header's links stand on one line.
        tops = page.locator(".site-nav a").evaluate_all(
            "links => links.map(link => link.getBoundingClientRect().top)"
        )
        assert len(set(tops)) == 1, tops
