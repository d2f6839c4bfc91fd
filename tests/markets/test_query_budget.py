"""Every public page of markets, events and sources costs a fixed number of queries.

Each bound holds on the article data and on a factory-made set ten times larger: a
query per row (an N+1 from a template, a property or a filter form) breaks it.
"""

from collections.abc import Callable

import pytest
from django.urls import reverse

from markets.archive import evidence_models, source_archive
from markets.models import ArchiveKind, Dispute, Source
from tests.factories import DataSet

# page name: (address for a data set, most queries allowed). Every page and the feed
# reads the record's versions first, which the public's pages are cached under. A status
# grid costs one query for what it shows (MarketQuerySet.status_drawing_key), under
# which it is kept, and drawn the first time four more: markets with the span holding
# the day, the spans, the events they name and their evidence. The home page's
# sentences read the events of uncertain and implied cells apart, two more, so that
# an edit redrawing one mode's sentences reads those events alone.
PAGES: dict[str, tuple[Callable[[DataSet], str], int]] = {
    "home-today": (lambda data: "/", 7),
    "home-on-a-day": (lambda data: "/?as_of=2024-06-01", 9),
    "market-list": (lambda data: "/markets/", 7),
    "market-list-by-status": (
        lambda data: "/markets/?semi_closed_loop=beta&as_of=2024-06-01",
        7,
    ),
    # and the market's spans for its timeline
    "market-detail": (lambda data: data.market.get_absolute_url(), 18),
    "market-detail-on-a-day": (
        lambda data: f"{data.market.get_absolute_url()}?as_of=2023-09-15",
        18,
    ),
    "event-list": (lambda data: "/events/", 8),
    "event-list-filtered": (
        lambda data: (
            f"/events/?market={data.market.code}&mode=semi_closed_loop"
            "&date_after=2019-01-01&date_before=2030-01-01"
        ),
        8,
    ),
    # and, for a disputed event, the other claims with their markets and evidence
    "event-detail": (lambda data: data.event.get_absolute_url(), 12),
    "dispute-detail": (
        lambda data: Dispute.objects.order_by("pk").first().get_absolute_url(),
        14,
    ),
    "event-feed": (lambda data: "/events/feed/", 4),
    "event-feed-per-market": (
        lambda data: f"/events/feed/?market={data.market.code}&mode=closed_loop",
        4,
    ),
    "source-list": (lambda data: "/sources/", 5),
    # and the archived copy its quotes stand in
    "source-detail": (lambda data: data.source.get_absolute_url(), 17),
    # the source, its current text, one query a kind of evidence for its marks
    "source-text": (lambda data: archived_text_url(data.source), 9),
}


def archived_text_url(source: Source) -> str:
    """The source's text page, archiving first, where it has none, a text holding every
    quote resting on it, so that the page marks them all."""
    if source.current_text() is None:
        quotes = [
            quote
            for model in evidence_models()
            for quote in model.objects.filter(source=source).values_list(
                "quote", flat=True
            )
        ]
        source_archive(source=source, text="\n".join(quotes), kind=ArchiveKind.PASTED)
    return reverse("markets:source-text", kwargs={"slug": source.slug})


@pytest.mark.parametrize("page", PAGES)
def test_page_costs_a_fixed_number_of_queries_on_the_article_data(
    client, article_data_set, django_assert_max_num_queries, page
):
    address, bound = PAGES[page]
    url = address(article_data_set)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_page_costs_as_many_queries_on_ten_times_the_data(
    client, large_data_set, db, django_assert_max_num_queries, page
):
    address, bound = PAGES[page]
    url = address(large_data_set)
    with django_assert_max_num_queries(bound):
        assert client.get(url).status_code == 200
