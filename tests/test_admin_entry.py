"""Less typing in the admin: the market picker, addresses made from titles, relayed
outlets by name, readable event rows, drafts seen by staff."""

import pytest

from markets.models import Market
from tests.factories import MarketFactory

AUTOCOMPLETE = "/admin/autocomplete/"


def picked(client, term: str) -> list[str]:
    response = client.get(
        AUTOCOMPLETE,
        {
            "app_label": "markets",
            "model_name": "modeevent",
            "field_name": "markets",
            "term": term,
        },
    )
    assert response.status_code == 200
    texts = [result["text"] for result in response.json()["results"]]
    ids = [int(result["id"]) for result in response.json()["results"]]
    codes = dict(Market.objects.filter(pk__in=ids).values_list("pk", "code"))
    assert len(texts) == len(ids)
    return [codes[pk] for pk in ids]


@pytest.fixture
def picker_markets(db) -> None:
    MarketFactory(code="AU", name_zh="澳大利亚", name_en="Australia")
    MarketFactory(code="US", name_zh="美国", name_en="United States")
    MarketFactory(code="BY", name_zh="白俄罗斯", name_en="Belarus")
    MarketFactory(code="UY", name_zh="乌拉圭", name_en="Uruguay")
    MarketFactory(code="MY", name_zh="马来西亚", name_en="Malaysia")
    MarketFactory(code="GB", name_zh="英国", name_en="United Kingdom")


def test_market_picker_ranks_the_exact_code_first(analyst_client, picker_markets):
    assert picked(analyst_client, "US")[0] == "US"
    assert picked(analyst_client, "us")[0] == "US"


def test_market_picker_ranks_exact_name_then_names_starting_with_the_term(
    analyst_client, picker_markets
):
    assert picked(analyst_client, "美国")[0] == "US"
    assert picked(analyst_client, "Malaysia")[0] == "MY"
    # Names starting with the term come before names merely holding it.
    assert picked(analyst_client, "United") == ["GB", "US"]
    assert picked(analyst_client, "u")[:3] == ["GB", "US", "UY"]


def test_market_picker_is_one_paged_query(
    analyst_client, picker_markets, django_assert_max_num_queries
):
    MarketFactory.create_batch(30)
    with django_assert_max_num_queries(6):
        response = analyst_client.get(
            AUTOCOMPLETE,
            {
                "app_label": "markets",
                "model_name": "modeevent",
                "field_name": "markets",
                "term": "a",
            },
        )
    assert len(response.json()["results"]) == 20
    assert response.json()["pagination"]["more"] is True
