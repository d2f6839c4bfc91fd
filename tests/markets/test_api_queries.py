"""Every request costs a fixed number of queries, however many rows: no N+1.

Anonymous readers pay for the rows and their prefetches only; a token adds one query
for the token and its user and two for the user's permissions.
"""

import pytest

from tests.factories import DataSet

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


def detail_keys(data: DataSet) -> dict[str, str]:
    """The busiest records: the market, event, source and case most rows hang on."""
    return {
        "market": data.market.code,
        "source": data.source.slug,
        "event": data.event.slug,
        "figure": str(data.market.figures.order_by("pk").first().uuid),
        "case": data.seller_case.slug,
        "seller_figure": str(data.seller_case.figures.order_by("pk").first().uuid),
    }


def assert_costs(client, data, endpoints, extra: int, django_assert_max_num_queries):
    keys = detail_keys(data)
    for url, queries in endpoints:
        with django_assert_max_num_queries(queries + extra):
            response = client.get(url.format(**keys))
        assert response.status_code == 200, url


@pytest.mark.parametrize(("url", "queries"), ENDPOINTS)
def test_anonymous_request_cost_on_the_article_data(
    api_client, article_data_set, url, queries, django_assert_num_queries
):
    url = url.format(**detail_keys(article_data_set))
    with django_assert_num_queries(queries):
        assert api_client.get(url).status_code == 200


def test_costs_stay_the_same_on_ten_times_the_data(
    large_data_set, api_client, analyst_api, django_assert_max_num_queries
):
    for client, extra in ((api_client, 0), (analyst_api, AUTHENTICATION)):
        assert_costs(
            client, large_data_set, ENDPOINTS, extra, django_assert_max_num_queries
        )
