"""Request costs in queries, for the API's query-count tests of every app."""

from sellers.models import Strategy
from tests.factories import DataSet


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


def assert_costs(client, data, costs, django_assert_max_num_queries):
    """``costs``: (url, most queries allowed) pairs."""
    keys = detail_keys(data)
    for url, queries in costs:
        with django_assert_max_num_queries(queries):
            response = client.get(url.format(**keys))
        assert response.status_code == 200, url


def assert_request_cost(
    api_client, analyst_api, data, url, reader_queries, analyst_queries, assert_queries
) -> None:
    """Exactly this many queries for an anonymous reader and for an analyst."""
    url = url.format(**detail_keys(data))
    with assert_queries(reader_queries):
        assert api_client.get(url).status_code == 200
    with assert_queries(analyst_queries):
        assert analyst_api.get(url).status_code == 200


def assert_costs_for_both(api_client, analyst_api, data, endpoints, assert_queries):
    """At most the article data's costs, for readers and analysts, on ``data``."""
    assert_costs(
        api_client,
        data,
        [(url, anonymous) for url, anonymous, _analyst in endpoints],
        assert_queries,
    )
    assert_costs(
        analyst_api,
        data,
        [(url, analyst) for url, _anonymous, analyst in endpoints],
        assert_queries,
    )
