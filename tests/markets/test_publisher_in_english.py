"""A source's publisher in the reader's language: English pages show the English name
the source gives its publisher, where it gives one, and the name as given otherwise."""

import datetime

import pytest

from markets.models import Source
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def beta_in_germany() -> Source:
    """A beta resting on a source whose publisher has an English name."""
    source = SourceFactory(publisher="小川电商", publisher_en="Xiaochuan Commerce")
    event = ModeEventFactory(
        markets=[MarketFactory(code="DE")], date=datetime.date(2024, 2, 1)
    )
    EventEvidenceFactory(fact=event, source=source)
    return source


@pytest.mark.parametrize(
    "address",
    [
        "/?as_of=2024-06-01",
        "/markets/DE/?as_of=2024-06-01",
        "/sources/",
        "{event}",
        "{source}",
    ],
)
def test_english_pages_name_the_publisher_in_english(client, beta_in_germany, address):
    event = beta_in_germany.eventevidence_set.get().fact
    address = address.format(
        event=event.get_absolute_url(), source=beta_in_germany.get_absolute_url()
    )
    english = client.get(address, headers={"accept-language": "en"}).content.decode()
    chinese = client.get(address, headers={"accept-language": "zh-hans"})
    assert "Xiaochuan Commerce" in english
    assert "小川电商" in chinese.content.decode()
    assert "Xiaochuan Commerce" not in chinese.content.decode()


def test_without_an_english_name_english_pages_keep_the_publisher_as_given(client):
    source = SourceFactory(publisher="小川电商")
    page = client.get(source.get_absolute_url(), headers={"accept-language": "en"})
    assert "小川电商" in page.content.decode()


def test_the_api_gives_the_english_name_beside_the_publisher(client, beta_in_germany):
    found = client.get(f"/api/sources/{beta_in_germany.slug}/").json()
    assert found["publisher"] == "小川电商"
    assert found["publisher_en"] == "Xiaochuan Commerce"


def test_the_articles_give_no_publisher_an_english_name(article_data):
    """Never invented: the two articles name their publishers in Chinese only."""
    assert not Source.objects.exclude(publisher_en="").exists()
