"""Seller cases with figures, strategies and evidence cost a fixed number of queries."""

import pytest

from tests.markets.test_api_queries import assert_costs, detail_keys

pytestmark = pytest.mark.django_db

# (url, anonymous reader, analyst with a token): cases + event, markets, regions,
# strategies, evidence + sources, figures, their evidence + sources; analysts fetch
# evidence and sources apart, and pay three queries for the token and permissions.
ENDPOINTS = [
    ("/api/seller-cases/", 7, 12),
    ("/api/seller-cases/{case}/", 7, 12),
    ("/api/seller-cases/?format=csv", 7, 12),
    ("/api/seller-figures/", 2, 6),  # figures + case, evidence + sources
    ("/api/seller-figures/{seller_figure}/", 2, 6),
]


@pytest.mark.parametrize(("url", "reader_queries", "analyst_queries"), ENDPOINTS)
def test_request_cost_on_the_article_data(
    api_client,
    analyst_api,
    article_data_set,
    url,
    reader_queries,
    analyst_queries,
    django_assert_num_queries,
):
    url = url.format(**detail_keys(article_data_set))
    with django_assert_num_queries(reader_queries):
        assert api_client.get(url).status_code == 200
    with django_assert_num_queries(analyst_queries):
        assert analyst_api.get(url).status_code == 200


def test_costs_stay_the_same_on_ten_times_the_data(
    large_data_set, api_client, analyst_api, django_assert_max_num_queries
):
    assert_costs(
        api_client,
        large_data_set,
        [(url, anonymous) for url, anonymous, _analyst in ENDPOINTS],
        django_assert_max_num_queries,
    )
    assert_costs(
        analyst_api,
        large_data_set,
        [(url, analyst) for url, _anonymous, analyst in ENDPOINTS],
        django_assert_max_num_queries,
    )
