"""A reader, in a real browser, around the closure a third source reports."""

import re

import pytest
from django.contrib.auth.models import User
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.status.test_third_source import QUOTE, enter_third_source

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def third_source(article_data) -> None:
    # Tables are flushed between these tests, the Analyst group with them.
    analyst = User.objects.create_superuser("intake", password="not-a-real-one")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=analyst)}")
    enter_third_source(api)


def test_the_days_around_the_third_sources_closure(page, third_source):
    page.goto("/?as_of=2023-08-20")
    lead = page.locator(".mode-answer--lead")
    assert "US" in lead.locator(".answer-implied").inner_text()

    page.goto("/?as_of=2023-09-13")
    uncertain = page.locator(".mode-answer--lead .answer-uncertain").first
    text = uncertain.inner_text()
    assert "US" in text and "GB" in text
    assert "2023-10-01" in text
    assert "An English news site" in text
    uncertain.get_by_role("link", name=re.compile("2023-10-01")).click()
    page.wait_for_url(re.compile(r"as_of=2023-10-01"))
    closed = page.locator(".mode-answer--lead li:has(> .status-closed)").first
    assert "US" in closed.inner_text()

    page.goto("/markets/US/?as_of=2023-09-13")
    card = page.locator('.status-card[data-mode="semi_closed_loop"]')
    assert card.get_attribute("data-certain-from") == "2023-10-01"
    card.locator("details summary").click()
    assert QUOTE in card.inner_text()
    assert page.locator(".band--uncertain").count() >= 1
