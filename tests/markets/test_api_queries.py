"""Every request costs a fixed number of queries, however many rows: no N+1.

Anonymous readers pay for the rows and their prefetches only; a token adds one query
for the token and its user and two for the user's permissions.
"""

import pytest

from tests.factories import create_synthetic_data

pytestmark = pytest.mark.django_db

AUTHENTICATION = 3

# (url, queries for an anonymous reader)
ENDPOINTS = [
    ("/api/markets/", 1),  # markets joined with their region
    ("/api/markets/{market}/", 1),
    ("/api/sources/", 1),  # sources joined with the source that relays them
    ("/api/sources/{source}/", 1),
    ("/api/mode-events/", 4),  # events, markets, evidence, evidence sources
    ("/api/mode-events/{event}/", 4),
    ("/api/market-figures/", 4),  # figures + region, markets, evidence, sources
    ("/api/market-figures/{figure}/", 4),
    ("/api/status/?as_of=2024-03-01", 3),  # markets + deciding events, events, evidence
    ("/api/status/?as_of=2024-03-01&known_on=2024-01-01&mode=semi_closed_loop", 3),
    ("/api/mode-events/?format=csv", 4),
    ("/api/status/?as_of=2024-03-01&format=csv", 3),
]


def first(client, url: str, key: str) -> str:
    return client.get(url).json()["results"][0][key]


def detail_keys(client) -> dict[str, str]:
    return {
        "market": first(client, "/api/markets/", "code"),
        "source": first(client, "/api/sources/", "slug"),
        "event": first(client, "/api/mode-events/", "slug"),
        "figure": first(client, "/api/market-figures/", "uuid"),
        "case": first(client, "/api/seller-cases/", "slug"),
        "seller_figure": first(client, "/api/seller-figures/", "uuid"),
    }


def assert_costs(client, endpoints, extra: int, django_assert_max_num_queries):
    keys = detail_keys(client)
    for url, queries in endpoints:
        with django_assert_max_num_queries(queries + extra):
            response = client.get(url.format(**keys))
        assert response.status_code == 200, url


@pytest.mark.parametrize(("url", "queries"), ENDPOINTS)
def test_anonymous_request_cost_on_the_article_data(
    api_client, article_data, url, queries, django_assert_num_queries
):
    url = url.format(**detail_keys(api_client))
    with django_assert_num_queries(queries):
        assert api_client.get(url).status_code == 200


def test_costs_stay_the_same_on_ten_times_the_data(
    api_client, analyst_api, django_assert_max_num_queries
):
    create_synthetic_data(scale=10)
    assert_costs(api_client, ENDPOINTS, 0, django_assert_max_num_queries)
    assert_costs(analyst_api, ENDPOINTS, AUTHENTICATION, django_assert_max_num_queries)
