"""Every request costs a fixed number of queries, however many rows: no N+1.

Anonymous readers pay for the rows and their prefetches only.
"""

import pytest

from tests.api_costs import assert_costs_for_both, assert_request_cost

pytestmark = pytest.mark.django_db

# (url, queries for an anonymous reader, queries for an analyst with a token). A token
# costs three: the token with its user, then the user's and the groups' permissions.
# Lists read the record's version first for the public, whose answers are cached under
# it; analysts are answered afresh.
ENDPOINTS = [
    ("/api/markets/", 2, 4),  # markets joined with their region
    ("/api/markets/{market}/", 1, 4),
    # sources + the one relaying them; the public also gets the published ones relayed
    ("/api/sources/", 3, 4),
    ("/api/sources/{source}/", 2, 4),
    # the list: rows carrying their market codes and quotes (markets.api.readers)
    ("/api/mode-events/", 2, 4),
    # a record: events, markets, evidence joined with sources (analysts: evidence, then
    # sources)
    ("/api/mode-events/{event}/", 3, 7),
    ("/api/market-figures/", 4, 7),  # the same, figures joined with their region
    ("/api/market-figures/{figure}/", 3, 7),
    # markets with the span holding that day, those spans, the events they name, their
    # public evidence
    ("/api/status/?as_of=2024-03-01", 5, 7),
    # with known_on the rule runs on what was known then: each mode's events, their
    # markets and their known evidence, read once, instead of the spans
    ("/api/status/?as_of=2024-03-01&known_on=2024-12-31&mode=semi_closed_loop", 7, 9),
    # disputes with a published claim, and their published events
    ("/api/disputes/", 3, 5),
    ("/api/mode-events/?format=csv", 2, 4),
    ("/api/status/?as_of=2024-03-01&format=csv", 5, 7),
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
