"""A reader follows a market by e-mail, on a phone and on a laptop, in either
language: asks, confirms from the mail, and leaves from it."""

import re

import pytest
from django.core import mail

from alerts.models import Subscription
from tests.browser.conftest import sideways_overflow

LINK = re.compile(r"https?://[^/\s]+(/follow/(?:confirm|unsubscribe)/[^/\s]+/)")

WORDS = {
    "en-GB": {
        "follow": "Follow this market by e-mail",
        "once a day": "Once a day",
        "market": "Germany",
        "asked": "Check your inbox",
        "back": "Back to the market's page",
        "confirmed": "You are following",
        "left": "You have unsubscribed",
    },
    "zh-CN": {
        "follow": "通过电子邮件关注此市场",
        "once a day": "每天一次",
        "market": "德国",
        "asked": "请查收邮件",
        "back": "返回该市场的页面",
        "confirmed": "您已关注",
        "left": "您已退订",
    },
}


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("locale", ["en-GB", "zh-CN"])
def test_following_a_market_by_e_mail(open_page, article_data, width, locale):
    words = WORDS[locale]
    page = open_page(width, locale)
    page.goto("/markets/DE/")
    page.get_by_role("link", name=words["follow"]).click()
    page.wait_for_url(re.compile(r"/follow/\?market=DE"))
    # By its name in the reader's language, not by its code.
    assert words["market"] in page.locator(".followed").inner_text()
    assert sideways_overflow(page) <= 0

    page.get_by_label(re.compile("e-mail|电子邮件")).fill("Reader@Example.com")
    page.get_by_label(words["once a day"]).check()
    page.get_by_role("button", name=re.compile("Follow|关注")).click()
    page.wait_for_url(re.compile(r"/follow/asked/\?market=DE"))
    assert page.locator("h1").inner_text() == words["asked"]
    assert words["market"] in page.locator(".followed").inner_text()
    assert page.get_by_role("link", name=words["back"]).get_attribute("href") == (
        "/markets/DE/"
    )

    (confirmation,) = mail.outbox
    assert confirmation.to == ["reader@example.com"]
    (confirm,) = LINK.findall(confirmation.body)
    # What a mail client's "unsubscribe" button opens.
    (unsubscribe,) = LINK.findall(confirmation.extra_headers["List-Unsubscribe"])
    page.goto(confirm)
    assert page.locator("h1").inner_text() == words["confirmed"]
    assert sideways_overflow(page) <= 0
    page.get_by_role("link", name=words["back"]).click()
    page.wait_for_url(re.compile(r"/markets/DE/$"))
    subscription = Subscription.objects.get()
    assert subscription.is_active
    assert subscription.frequency == "daily"
    assert subscription.language == ("en" if locale == "en-GB" else "zh-hans")

    page.goto(unsubscribe)
    assert page.locator("h1").inner_text() == words["left"]
    subscription.refresh_from_db()
    assert not subscription.is_active
