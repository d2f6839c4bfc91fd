"""Search finds Chinese terms inside sentences, stems English, and ranks the best first."""

import pytest
from django.db import connection

from markets.models import MarketFigure, ModeEvent, Source
from sellers.models import SellerCase, SellerFigure
from tests.factories import SellerCaseFactory

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL full-text search"
)


def slugs(queryset) -> list[str]:
    return [record.slug for record in queryset]


def test_chinese_term_is_found_inside_a_sentence(article_data):
    assert slugs(SellerCase.objects.search("私域")) == ["lin-xiao-shenzhen"]


def test_a_sellers_name_is_found_in_the_narrative(article_data):
    assert "zhang-ting-shenzhen" in slugs(SellerCase.objects.search("张婷"))


def test_events_sources_and_figures_are_searchable(article_data):
    assert "semi-closed-loop-first-attempt-shopify-2021-08" in slugs(
        ModeEvent.objects.search("Shopify")
    )
    assert Source.objects.search("雨果跨境").exists()
    assert MarketFigure.objects.search("GMV").exists()
    assert SellerFigure.objects.search("转化率").exists()


def test_blank_search_finds_nothing(article_data):
    assert not ModeEvent.objects.search("   ").exists()


def test_more_matching_fields_rank_higher():
    weak = SellerCaseFactory(slug="weak", narrative_en="Moved to private traffic.")
    strong = SellerCaseFactory(
        slug="strong",
        seller_name="私域卖家",
        narrative_zh="私域流量",
        narrative_en="Private traffic only.",
    )
    results = list(SellerCase.objects.search("私域"))
    assert results[0] == strong
    assert weak not in results or results.index(weak) > 0


@on_postgresql
def test_english_words_are_stemmed():
    SellerCaseFactory(slug="streamer", narrative_en="She started live streaming.")
    assert slugs(SellerCase.objects.search("streams")) == ["streamer"]


@on_postgresql
@pytest.mark.parametrize(
    "model", [ModeEvent, Source, MarketFigure, SellerCase, SellerFigure], ids=str
)
def test_search_can_use_the_trigram_and_full_text_indexes(article_data, model):
    """Every branch of the search is indexed, so none forces a scan of the table."""
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = model.objects.search("私域流量 traffic").explain()
        cursor.execute("RESET enable_seqscan")
    assert "Seq Scan" not in plan, plan
    assert "_trgm" in plan and "_english_fts" in plan, plan
