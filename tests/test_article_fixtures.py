"""The article fixtures: complete, evidenced, verbatim, and safe to load again."""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from markets.models import Market, MarketFigure, ModeEvent, Publication, Source, Status
from sellers.models import SellerCase, SellerFigure

ARTICLES = Path(__file__).resolve().parent.parent / "fixtures" / "articles"
ARTICLE_FILES = {
    "xiaochuan-semi-closed-loop-eight-markets": "000_742b421f628cddee.txt",
    "xiaochuan-semi-closed-loop-closes-end-of-august": "001_f4ffc64dc73608f1.txt",
}
FACT_MODELS = [ModeEvent, MarketFigure, SellerCase, SellerFigure]
PROJECT_MODELS = [
    model
    for app in ("markets", "sellers")
    for model in apps.get_app_config(app).get_models()
    if not model.__name__.startswith("Historical")
]

pytestmark = pytest.mark.django_db


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in PROJECT_MODELS}


def article_text(source: Source) -> str:
    """The text a quote must be found in: the article itself, or the one relaying it."""
    article = source.reported_via or source
    return (ARTICLES / ARTICLE_FILES[article.slug]).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "reload",
    [
        lambda: call_command("loaddata", "markets", "sellers", verbosity=0),
        lambda: call_command("load_articles", stdout=StringIO()),
    ],
    ids=["loaddata", "load_articles"],
)
def test_loading_the_fixtures_twice_creates_no_duplicates(article_data, reload):
    first = row_counts()
    reload()
    assert row_counts() == first
    assert all(count > 0 for count in first.values()), first


@pytest.mark.parametrize("model", FACT_MODELS, ids=lambda model: model.__name__)
def test_every_fixture_fact_rests_on_evidence(article_data, model):
    unevidenced = model.objects.filter(evidence__isnull=True)
    assert not unevidenced.exists(), list(unevidenced)


def test_every_quote_is_verbatim_from_its_article(article_data):
    for model in PROJECT_MODELS:
        if not model._meta.model_name.endswith("evidence"):
            continue
        for evidence in model.objects.select_related("source__reported_via"):
            assert evidence.quote in article_text(evidence.source), evidence.quote


def test_relayed_outlets_name_the_article_that_relays_them(article_data):
    outlets = Source.objects.exclude(slug__in=ARTICLE_FILES)
    assert outlets.count() == 3
    assert all(outlet.reported_via.slug in ARTICLE_FILES for outlet in outlets)


def test_every_fixture_record_is_published(article_data):
    for model in (Market, Source, *FACT_MODELS):
        assert not model.objects.exclude(publication=Publication.PUBLISHED).exists()


def test_the_eight_beta_markets_of_february_2024(article_data):
    beta = ModeEvent.objects.get(date="2024-02-01", status_set=Status.BETA)
    assert sorted(beta.markets.values_list("code", flat=True)) == sorted(
        ["DE", "FR", "ES", "IT", "CA", "AU", "JP", "KR"]
    )
    assert beta.date_wording == "2024年2月"


def test_disputed_origin_keeps_both_claims_each_with_its_source(article_data):
    origin = ModeEvent.objects.get(is_disputed=True)
    claims = {
        evidence.source.slug: evidence.claim for evidence in origin.evidence.all()
    }
    assert claims == {
        "xiaochuan-semi-closed-loop-eight-markets": "2021年8月",
        "xiaochuan-semi-closed-loop-closes-end-of-august": "2020年左右",
    }
    assert origin.has_no_market and not origin.markets.exists()


def test_every_fact_is_written_in_both_languages(article_data):
    for event in ModeEvent.objects.all():
        assert event.summary_zh and event.summary_en, event
    for case in SellerCase.objects.all():
        assert case.narrative_zh and case.narrative_en, case
    for figure in [*MarketFigure.objects.all(), *SellerFigure.objects.all()]:
        assert figure.metric_zh and figure.metric_en, figure


def test_fixture_records_pass_model_validation(article_data):
    for model in PROJECT_MODELS:
        for instance in model.objects.all():
            instance.full_clean()
    for event in ModeEvent.objects.prefetch_related("markets"):
        ModeEvent.validate_market_scope(event.markets.all(), event.has_no_market)
