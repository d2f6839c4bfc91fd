"""The public search box: ranked matches of every kind, published records only."""

import pytest
from django.urls import reverse

from markets.models import Publication
from tests.factories import SellerCaseFactory

pytestmark = pytest.mark.django_db


def search(client, q: str):
    return client.get(
        reverse("markets:search"), {"q": q}, headers={"accept-language": "en"}
    )


def test_search_finds_a_chinese_term_inside_a_sentence(client, article_data):
    response = search(client, "私域")
    assert response.status_code == 200
    assert [case.slug for case in response.context["seller_cases"]] == [
        "lin-xiao-shenzhen"
    ]
    assert "Lin Xiao" in response.content.decode()


def test_search_covers_events_figures_and_sources(client, article_data):
    context = search(client, "GMV").context
    assert context["market_figures"]
    assert search(client, "Shopify").context["events"]
    assert search(client, "雨果跨境").context["sources"]
    assert search(client, "转化率").context["seller_figures"]


def test_search_never_shows_drafts(client, article_data):
    SellerCaseFactory(
        slug="draft-case", narrative_zh="私域草稿", publication=Publication.DRAFT
    )
    slugs = [case.slug for case in search(client, "私域").context["seller_cases"]]
    assert "draft-case" not in slugs


def test_empty_search_shows_the_form_only(client, article_data):
    response = client.get(reverse("markets:search"))
    assert response.status_code == 200
    assert response.context["found"] == 0


def test_every_page_has_the_search_box(client, article_data):
    assert 'role="search"' in client.get(reverse("status:home")).content.decode()


def test_search_costs_the_same_queries_whatever_it_finds(
    client, article_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(16):
        search(client, "深圳")
    with django_assert_max_num_queries(16):
        search(client, "a")
