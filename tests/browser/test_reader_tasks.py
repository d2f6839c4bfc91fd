"""A first-time reader's five tasks on a phone, in either language, each in at most
three taps from the home page: typing a day or an address is not a tap; following a
link, pressing a button, opening a fold or ticking a box is."""

import re
from collections.abc import Callable

import pytest
from django.core import mail

from alerts.models import Subscription
from markets.models import EventEvidence, EventKind
from sellers.models import SellerCase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOST_TAPS = 3
PHONE = 390
LOCALES = ["en-GB", "zh-CN"]


class Reader:
    """A phone's page that counts the reader's taps."""

    def __init__(self, page) -> None:
        self.page = page
        self.taps = 0

    def tap(self, target) -> None:
        target.click()
        self.taps += 1
        self.page.wait_for_load_state()


@pytest.fixture
def reader(open_page) -> Callable[[str], Reader]:
    def start(locale: str) -> Reader:
        page = open_page(PHONE, locale, height=844, has_touch=True, is_mobile=True)
        page.goto("/")
        return Reader(page)

    return start


@pytest.mark.parametrize("locale", LOCALES)
def test_which_markets_run_the_semi_closed_loop_in_beta_on_a_day(
    reader, article_data, locale
):
    you = reader(locale)
    you.page.locator("form.as-of input[name=as_of]").fill("2024-06-01")
    you.tap(you.page.locator("form.as-of button[type=submit]"))

    # The API's answer for the same day, as a program reads it.
    said = you.page.request.get("/api/status/?as_of=2024-06-01&mode=semi_closed_loop")
    expected = {row["market"] for row in said.json() if row["shown_as"] == "beta"}
    beta = you.page.locator(
        '.mode-answer[data-mode="semi_closed_loop"] li:has(.status-beta)'
    )
    links = beta.first.locator("a[href*='/markets/']").all()
    shown = {re.search(r"/markets/(\w+)/", a.get_attribute("href"))[1] for a in links}
    assert expected and shown == expected
    assert you.taps <= MOST_TAPS


@pytest.mark.parametrize("locale", LOCALES)
def test_what_changed_between_two_days(reader, article_data, locale):
    you = reader(locale)
    you.tap(you.page.locator(".site-nav a[href='/changes/']"))
    form = you.page.locator("form").filter(has=you.page.locator("input[name=to]"))
    if not form.locator("input[name=from]").is_visible():
        you.tap(form.locator("summary"))
    form.locator("input[name=from]").fill("2023-06-01")
    form.locator("input[name=to]").fill("2024-06-01")
    you.tap(form.locator("[type=submit]"))

    changed = you.page.locator(".change-lines li.change")
    assert changed.count() > 0
    # The first changed cell is read on the first screen.
    assert changed.first.bounding_box()["y"] < 2 * 844
    assert you.taps <= MOST_TAPS


@pytest.mark.parametrize("locale", LOCALES)
def test_how_a_named_seller_fared(reader, article_data, locale):
    case = SellerCase.objects.get(slug="zhang-ting-shenzhen")
    name = case.person_name_en if locale == "en-GB" else case.person_name
    you = reader(locale)
    you.tap(you.page.locator(".site-nav a[href='/sellers/']"))
    you.tap(you.page.get_by_role("link", name=re.compile(name)).first)

    assert you.page.url.endswith(case.get_absolute_url())
    figures = you.page.locator("main").inner_text()
    assert "500" in figures and "1,500" in figures
    assert you.taps <= MOST_TAPS


@pytest.mark.parametrize("locale", LOCALES)
def test_the_quote_behind_a_closure(reader, article_data, locale):
    you = reader(locale)
    closed = you.page.locator(
        '.mode-answer[data-mode="semi_closed_loop"] li:has(.status-closed)'
    )
    you.tap(closed.first.locator("a[href*='/markets/US/']"))
    card = you.page.locator('.status-card[data-mode="semi_closed_loop"]')
    you.tap(card.locator("details summary").first)

    quotes = card.locator("blockquote").all_inner_texts()
    closure_quotes = EventEvidence.objects.filter(
        fact__kind__in=[EventKind.CLOSURE_EFFECTIVE, EventKind.CLOSURE_ANNOUNCED],
        fact__mode="semi_closed_loop",
    ).values_list("quote", flat=True)
    assert any(quote.strip() in said for quote in closure_quotes for said in quotes)
    assert you.taps <= MOST_TAPS


@pytest.mark.parametrize("locale", LOCALES)
def test_following_a_market(reader, article_data, locale):
    you = reader(locale)
    you.tap(you.page.locator(".mode-answer--lead a[href*='/markets/DE/']").first)
    you.tap(you.page.locator("a[href^='/follow/?market=DE']").first)
    form = you.page.locator("form").filter(has=you.page.locator("input[type=email]"))
    form.locator("input[type=email]").fill("reader@example.com")
    you.tap(form.locator("[type=submit]"))

    assert re.search(r"/follow/asked/", you.page.url)
    assert Subscription.objects.filter(email="reader@example.com").exists()
    assert len(mail.outbox) == 1
    assert you.taps <= MOST_TAPS


@pytest.mark.parametrize("locale", LOCALES)
def test_a_years_changes_fit_three_phone_screens(reader, article_data, locale):
    """The semi-closed loop's year 2023-06-01 → 2024-06-01, every mode: 17,826 px in
    Chinese and 20,827 px in English when each market repeated the events' quotes."""
    you = reader(locale)
    you.page.goto("/changes/?from=2023-06-01&to=2024-06-01")
    assert you.page.locator(".change-lines li.change").count() > 10
    height = you.page.evaluate("document.documentElement.scrollHeight")
    assert height <= 3 * 844
