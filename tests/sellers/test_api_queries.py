"""Seller cases with figures, strategies and evidence cost a fixed number of queries."""

import pytest

from tests.markets.test_api_queries import AUTHENTICATION, assert_costs, detail_keys

pytestmark = pytest.mark.django_db

# cases + event, markets, regions, strategies, evidence, sources, figures, their
# evidence and its sources
ENDPOINTS = [
    ("/api/seller-cases/", 9),
    ("/api/seller-cases/{case}/", 9),
    ("/api/seller-cases/?format=csv", 9),
    ("/api/seller-figures/", 3),  # figures + case, evidence, sources
    ("/api/seller-figures/{seller_figure}/", 3),
]


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
