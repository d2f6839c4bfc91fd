"""Seller cases: a filtered list, and each case's figures before and after."""

import re
from decimal import Decimal

import pytest

from markets.models import FigureUnit, Mode, Publication
from sellers.filtersets import SellerCaseFilterSet
from sellers.models import SellerCase
from tests.factories import (
    DisputeFactory,
    MarketFactory,
    ModeEventFactory,
    RegionFactory,
    SellerCaseEvidenceFactory,
    SellerCaseFactory,
    SellerFigureEvidenceFactory,
    SellerFigureFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases():
    private_traffic = StrategyFactory(code="private-traffic", name_en="Private traffic")
    live = StrategyFactory(code="live-streaming", name_en="Live streaming")
    southeast_asia = RegionFactory(code="southeast-asia")
    thailand = MarketFactory(code="TH", region=southeast_asia)
    germany = MarketFactory(code="DE")
    closure = ModeEventFactory(markets=[germany])
    shop = ModeEventFactory(markets=[thailand], mode=Mode.CLOSED_LOOP)
    furniture = SellerCaseFactory(
        slug="furniture",
        city_zh="深圳",
        city_en="Shenzhen",
        category_zh="家居",
        category_en="Home furnishing",
        strategies=[private_traffic],
        target_markets=[germany],
        reacts_to=closure,
    )
    fashion = SellerCaseFactory(
        slug="fashion",
        city_zh="广州",
        city_en="Guangzhou",
        category_zh="服装",
        category_en="Fashion",
        strategies=[live, private_traffic],
        target_markets=[thailand],
        reacts_to=shop,
    )
    SellerCaseFactory(slug="draft", publication=Publication.DRAFT)
    return furniture, fashion


@pytest.mark.parametrize(
    ("data", "slugs"),
    [
        ({"strategy": "live-streaming"}, ["fashion"]),
        ({"strategy": "private-traffic"}, ["fashion", "furniture"]),
        ({"city": "深圳"}, ["furniture"]),
        ({"city": "guangzhou"}, ["fashion"]),
        ({"category": "家居"}, ["furniture"]),
        ({"category": "fash"}, ["fashion"]),
        ({"market": "th"}, ["fashion"]),
        ({"region": "southeast-asia"}, ["fashion"]),
        ({"mode": "closed_loop"}, ["fashion"]),
    ],
)
def test_seller_case_filterset(cases, data, slugs):
    filterset = SellerCaseFilterSet(data, queryset=SellerCase.objects.public())
    assert sorted(case.slug for case in filterset.qs) == slugs


def cards_shown(response) -> list[str]:
    """The slugs of the cases whose cards a page shows, in order."""
    links = re.findall(r'class="card__title"><a href="([^"]+)"', response.text)
    by_address = {
        case.get_absolute_url(): case.slug for case in SellerCase.objects.all()
    }
    return [by_address[link] for link in links]


def test_seller_case_list_filters_through_the_query_string(client, cases):
    response = client.get("/sellers/", {"strategy": "live-streaming"})
    assert cards_shown(response) == ["fashion"]
    canonical = "http://testserver/sellers/?strategy=live-streaming"
    assert f'<link rel="canonical" href="{canonical}">' in response.content.decode()


def test_seller_case_list_never_shows_drafts(client, cases):
    assert sorted(cards_shown(client.get("/sellers/"))) == ["fashion", "furniture"]
    draft = SellerCase.objects.get(slug="draft")
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_city_choices_are_the_published_cities_in_the_readers_language(client, cases):
    page = client.get("/sellers/").content.decode()
    assert '<option value="深圳">深圳</option>' in page
    client.cookies["django_language"] = "en"
    page = client.get("/sellers/").content.decode()
    assert '<option value="Shenzhen">Shenzhen</option>' in page


def test_seller_case_shows_its_figures_as_a_before_after_table(client, cases):
    furniture, _ = cases
    orders = SellerFigureFactory(
        seller_case=furniture,
        metric_en="Monthly orders",
        value_before=Decimal(500),
        value_after=Decimal(1500),
        unit=FigureUnit.COUNT,
    )
    SellerFigureEvidenceFactory(fact=orders, quote="月订单从500单涨到1500单")
    SellerFigureFactory(
        seller_case=furniture,
        metric_en="Draft figure",
        publication=Publication.DRAFT,
    )
    client.cookies["django_language"] = "en"
    page = client.get(furniture.get_absolute_url()).content.decode()
    table = page[page.index('class="data-table before-after"') :]
    table = table[: table.index("</table>")]
    assert '<th scope="col">Value</th><th scope="col">Against the event</th>' in table
    assert "Monthly orders" in table
    assert ">500 → 1,500</td>" in table
    assert "月订单从500单涨到1500单" in table
    assert "Draft figure" not in page


def test_disputed_seller_case_shows_both_claims_each_with_its_source(client, cases):
    furniture, _ = cases
    furniture.dispute = DisputeFactory(
        note_en="The articles give different order counts."
    )
    furniture.save()
    SellerCaseEvidenceFactory(fact=furniture, claim="500单", quote="日均500单")
    SellerCaseEvidenceFactory(fact=furniture, claim="300单", quote="日均300单")
    client.cookies["django_language"] = "en"
    page = client.get(furniture.get_absolute_url()).content.decode()
    claims = page[page.index('class="dispute__claims"') :]
    assert "500单" in claims and "300单" in claims
    assert claims.count("/sources/") >= 2
    assert "The articles give different order counts." in page


def test_seller_case_links_the_event_it_reacts_to_only_when_published(client, cases):
    furniture, fashion = cases
    page = client.get(furniture.get_absolute_url()).content.decode()
    assert furniture.reacts_to.get_absolute_url() in page
    fashion.reacts_to.publication = Publication.DRAFT
    fashion.reacts_to.save()
    page = client.get(fashion.get_absolute_url()).content.decode()
    assert fashion.reacts_to.get_absolute_url() not in page
