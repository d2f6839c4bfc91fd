"""Opening a quote in its source's archived text, in a real browser."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVENT = "/events/semi-closed-loop-first-attempt-shopify-2021-08/"


def test_opening_a_quote_in_the_source_lands_on_it_marked(page, article_data):
    page.goto(EVENT)
    quote = page.locator(".evidence__quote").first.inner_text()
    page.locator(".evidence__open").first.click()
    page.wait_for_url(re.compile(r"/sources/[\w-]+/text/#quote-[\w-]+$"))
    target = page.locator("mark:target")
    assert target.count() == 1
    assert target.inner_text() == quote
    assert target.is_visible()
