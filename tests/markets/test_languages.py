"""Simplified Chinese first, English second; content falls back, quotes never change."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import EventEvidenceFactory, MarketFactory, ModeEventFactory

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES"


@pytest.fixture
def event():
    germany = MarketFactory(code="DE", name_zh="德国", name_en="Germany")
    event = ModeEventFactory(
        markets=[germany],
        summary_zh="半闭环在八国重启内测",
        summary_en="The semi-closed loop returns in beta in eight markets",
    )
    EventEvidenceFactory(fact=event, quote="2024年2月就悄悄在八个国家重启内测")
    return event


def test_chinese_is_the_default_interface_and_content(client, event):
    page = client.get(event.get_absolute_url()).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "半闭环在八国重启内测" in page
    assert "证据" in page  # "Evidence"


def test_the_switcher_changes_the_language_and_returns_to_the_page(client, event):
    response = client.get("/language/en/", {"next": event.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == event.get_absolute_url()
    page = client.get(event.get_absolute_url()).content.decode()
    assert '<html lang="en">' in page
    assert "The semi-closed loop returns in beta in eight markets" in page
    assert "Evidence" in page
    # The quote stays in its own language, marked as such.
    assert '<blockquote class="evidence__quote" dir="auto" lang="zh-Hans">' in page
    assert "2024年2月就悄悄在八个国家重启内测" in page


def test_every_page_offers_both_languages(client):
    page = client.get("/").content.decode()
    assert 'href="/language/zh-hans/?next=/"' in page
    assert 'href="/language/en/?next=/"' in page


def test_the_switch_never_leaves_the_site_and_knows_its_languages(client):
    response = client.get("/language/en/", {"next": "https://evil.example/"})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/language/xx/").status_code == 404


def test_a_cached_page_carries_no_token_and_its_switch_works_for_a_second_visitor(
    article_data,
):
    """The first visitor's page is served to the next from the cache."""
    first, second = Client(), Client()
    page = first.get("/markets/DE/")
    assert page.status_code == 200
    cached = second.get("/markets/DE/")
    assert cached.content == page.content
    assert b"csrfmiddlewaretoken" not in cached.content
    assert "csrftoken" not in cached.cookies and "Set-Cookie" not in cached
    switched = second.get("/language/en/", {"next": "/markets/DE/"})
    assert switched.status_code == 302
    assert '<html lang="en">' in second.get("/markets/DE/").content.decode()
    # The first visitor still reads the default language.
    assert '<html lang="zh-hans">' in first.get("/markets/DE/").content.decode()


def test_content_missing_in_english_falls_back_to_chinese(client):
    event = ModeEventFactory(
        markets=[MarketFactory()], summary_zh="只有中文摘要", summary_en=""
    )
    client.cookies["django_language"] = "en"
    assert "只有中文摘要" in client.get(event.get_absolute_url()).content.decode()


def test_content_missing_in_chinese_falls_back_to_english(client):
    event = ModeEventFactory(
        markets=[MarketFactory()], summary_zh="", summary_en="English only"
    )
    assert "English only" in client.get(event.get_absolute_url()).content.decode()


def test_choices_read_in_the_active_language(client, event):
    page = client.get("/markets/").content.decode()
    assert "半闭环" in page
    client.cookies["django_language"] = "en"
    assert "Semi-closed loop" in client.get("/markets/").content.decode()


def entries(po_text: str) -> list[tuple[str, str]]:
    """(msgid, first msgstr) of every entry of a catalogue written with --no-wrap; an
    entry with a context is keyed as gettext keys it, "context\x04msgid"."""
    pattern = re.compile(
        r'^(?:msgctxt "(.*)"\n)?msgid "(.*)"\n(?:msgid_plural ".*"\n)?'
        r'msgstr(?:\[0\])? "(.*)"$',
        re.MULTILINE,
    )
    return [
        (f"{context}\\x04{msgid}" if context else msgid, msgstr)
        for context, msgid, msgstr in pattern.findall(po_text)
        if msgid
    ]


def test_every_interface_string_is_translated():
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    untranslated = [msgid for msgid, msgstr in entries(po) if not msgstr]
    assert untranslated == []
    assert "#, fuzzy" not in po


def test_the_compiled_catalogue_matches_the_source():
    """The .mo is committed; a .po edited without `make messages` shows up here."""
    po = (CATALOGUE / "django.po").read_text(encoding="utf-8")
    with (CATALOGUE / "django.mo").open("rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for msgid, msgstr in entries(po):
        unescaped = msgid.encode().decode("unicode_escape").encode("latin-1").decode()
        expected = msgstr.encode().decode("unicode_escape").encode("latin-1").decode()
        assert compiled._catalog.get(
            unescaped, compiled._catalog.get((unescaped, 0))
        ) == (expected), msgid
