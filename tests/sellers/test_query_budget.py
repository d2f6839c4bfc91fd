"""The seller case pages cost a fixed number of queries, whatever the number of rows.

Each bound holds on the article data and on a factory-made set ten times larger.
"""

from collections.abc import Callable

import pytest

from tests.factories import DataSet

# page name: (address for a data set, most queries allowed), the record's version read
# first included. A list drawn the first time: the count, the filters' choices, the
# page's keys, then the cases with their strategies, markets and regions.
PAGES: dict[str, tuple[Callable[[DataSet], str], int]] = {
    "sellercase-list": (lambda data: "/sellers/", 12),
    "sellercase-list-filtered": (
        lambda data: (
            f"/sellers/?market={data.market.code}&mode=semi_closed_loop"
            "&category=a&city="
        ),
        12,
    ),
    "sellercase-detail": (lambda data: data.seller_case.get_absolute_url(), 8),
}


@pytest.mark.parametrize("page", PAGES)
def test_page_costs_a_fixed_number_of_queries_on_the_article_data(
    client, article_data_set, django_assert_max_num_queries, page
):
    address, bound = PAGES[page]
    with django_assert_max_num_queries(bound):
        assert client.get(address(article_data_set)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_page_costs_as_many_queries_on_ten_times_the_data(
    client, large_data_set, db, django_assert_max_num_queries, page
):
    address, bound = PAGES[page]
    with django_assert_max_num_queries(bound):
        assert client.get(address(large_data_set)).status_code == 200
