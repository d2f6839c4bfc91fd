"""Seller cases with figures, strategies and evidence cost a fixed number of queries."""

import pytest

from tests.api_costs import assert_costs_for_both, assert_request_cost

pytestmark = pytest.mark.django_db

# (url, anonymous reader, analyst with a token). Lists read the record's version first
# for the public, whose answers are cached under it. The list (sellers.api.readers): cases
# carrying their markets, regions, strategies and quotes, then figures carrying theirs.
# A record: case + event, markets, regions, strategies, evidence + sources, figures,
# their evidence + sources; analysts fetch evidence and sources apart. A token costs
# three queries: the token with its user, the user's and the groups' permissions.
ENDPOINTS = [
    ("/api/seller-cases/", 3, 5),
    ("/api/seller-cases/?strategy={strategy}&city=深圳", 4, 7),
    ("/api/seller-cases/{case}/", 7, 12),
    ("/api/seller-cases/?format=csv", 3, 5),
    ("/api/seller-figures/", 3, 6),  # figures + case, evidence + sources
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
    assert_request_cost(
        api_client,
        analyst_api,
        article_data_set,
        url,
        reader_queries,
        analyst_queries,
        django_assert_num_queries,
    )


def test_costs_stay_the_same_on_ten_times_the_data(
    large_data_set, api_client, analyst_api, django_assert_max_num_queries
):
    assert_costs_for_both(
        api_client,
        analyst_api,
        large_data_set,
        ENDPOINTS,
        django_assert_max_num_queries,
    )
