"""Every request costs a fixed number of queries, however many rows: no N+1.

Anonymous readers pay for the rows and their prefetches only.
"""

import pytest

from sellers.models import Strategy
from tests.factories import DataSet

pytestmark = pytest.mark.django_db

# (url, queries for an anonymous reader, queries for an analyst with a token). A token
# costs three: the token with its user, then the user's and the groups' permissions.
# Reads for the public (lists and records) read the record's versions first, which
# their answers are cached under; analysts are answered afresh.
MARKET_ENDPOINTS = [
    ("/api/markets/", 2, 4),  # markets joined with their region
    ("/api/markets/{market}/", 2, 4),
    # sources + the one relaying them; the public also gets the published ones relayed
    ("/api/sources/", 3, 4),
    ("/api/sources/{source}/", 3, 4),
    # the list: the rows' keys, then, drawn the first time, rows carrying their market
    # codes and quotes (markets.api.readers); analysts read the rows at once
    ("/api/mode-events/", 3, 4),
    # a record: events, markets, evidence joined with sources (analysts: evidence, then
    # sources)
    ("/api/mode-events/{event}/", 4, 7),
    ("/api/market-figures/", 4, 7),  # the same, figures joined with their region
    ("/api/market-figures/{figure}/", 4, 7),
    # what the answer shows (the key it is kept under), then, drawn the first time:
    # markets with the span holding that day, those spans, the events they name, their
    # public evidence; analysts read the versions too, which the key is kept under
    ("/api/status/?as_of=2024-03-01", 6, 9),
    # with known_on the rule runs on what was known then: each mode's events, their
    # markets and their known evidence, read once, instead of the spans
    ("/api/status/?as_of=2024-03-01&known_on=2024-12-31&mode=semi_closed_loop", 7, 9),
    # disputes with a published claim, and their published events
    ("/api/disputes/", 3, 5),
    ("/api/mode-events/?format=csv", 3, 4),
    ("/api/status/?as_of=2024-03-01&format=csv", 6, 9),
]

# Seller cases. The list (sellers.api.readers): the cases' keys, then, drawn the first
# time, cases carrying their markets, regions, strategies and quotes, then figures
# carrying theirs (analysts: no keys; a strategy filter reads the strategies, which its
# choices are). A record: case + event, markets,
# regions, strategies, evidence + sources, figures, their evidence + sources; analysts
# fetch evidence and sources apart.
SELLER_ENDPOINTS = [
    ("/api/seller-cases/", 4, 5),
    ("/api/seller-cases/?strategy={strategy}&city=深圳", 5, 7),
    ("/api/seller-cases/{case}/", 8, 12),
    ("/api/seller-cases/?format=csv", 4, 5),
    ("/api/seller-figures/", 3, 6),  # figures + case, evidence + sources
    ("/api/seller-figures/{seller_figure}/", 3, 6),
]

ENDPOINTS = MARKET_ENDPOINTS + SELLER_ENDPOINTS


def detail_keys(data: DataSet) -> dict[str, str]:
    """The busiest records: the market, event, source and case most rows hang on."""
    return {
        "market": data.market.code,
        "source": data.source.slug,
        "event": data.event.slug,
        "figure": str(data.market.figures.published().order_by("pk").first().uuid),
        "case": data.seller_case.slug,
        "strategy": Strategy.objects.filter(seller_cases__isnull=False)
        .order_by("pk")
        .first()
        .code,
        "seller_figure": str(
            data.seller_case.figures.published().order_by("pk").first().uuid
        ),
    }


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
    keys = detail_keys(large_data_set)
    for url, reader_queries, analyst_queries in ENDPOINTS:
        url = url.format(**keys)
        for client, queries in (
            (api_client, reader_queries),
            (analyst_api, analyst_queries),
        ):
            with django_assert_max_num_queries(queries):
                assert client.get(url).status_code == 200, url
