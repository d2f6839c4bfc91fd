"""The article fixtures: complete, evidenced, verbatim, and safe to load again."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import translation

from markets.models import (
    Dispute,
    EventScope,
    Market,
    MarketFigure,
    ModeEvent,
    Publication,
    Source,
    Status,
    Tombstone,
)
from sellers.models import SellerCase, SellerFigure

ARTICLES = Path(__file__).resolve().parents[2] / "fixtures" / "articles"
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
    # Deleted records' tombstones are no article data.
    and model is not Tombstone
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


def test_the_first_attempt_is_two_claims_tied_in_one_dispute(article_data):
    dispute = Dispute.objects.get(slug="semi-closed-loop-first-attempt-date")
    claims = {
        event.date_wording: {evidence.source.slug for evidence in event.evidence.all()}
        for event in ModeEvent.objects.filter(dispute=dispute)
    }
    assert claims == {
        "2021年8月": {"xiaochuan-semi-closed-loop-eight-markets"},
        "2020年左右": {"xiaochuan-semi-closed-loop-closes-end-of-august"},
    }
    assert dispute.note_zh and dispute.note_en


def test_the_closure_is_disputed_between_september_and_the_end_of_august(
    article_data,
):
    """Article 1: US and UK, 2023年9月. Article 2: 8月底, ahead, no market named."""
    events = ModeEvent.objects.filter(
        dispute__slug="semi-closed-loop-us-gb-closure-date"
    )
    by_wording = {event.date_wording: event for event in events}
    assert set(by_wording) == {"2023年9月", "8月底"}
    september, end_of_august = by_wording["2023年9月"], by_wording["8月底"]
    assert set(september.markets.values_list("code", flat=True)) == {"GB", "US"}
    assert (end_of_august.scope, end_of_august.is_scheduled) == (
        EventScope.WORLDWIDE,
        True,
    )
    assert end_of_august.date_span == (
        datetime.date(2023, 8, 21),
        datetime.date(2023, 8, 31),
    )
    # "TikTok says", in the future, in both languages.
    assert end_of_august.summary_zh.startswith("TikTok表示")
    assert "将" in end_of_august.summary_zh
    assert end_of_august.summary_en.startswith("TikTok says")
    assert "will" in end_of_august.summary_en


def test_the_article_dates_only_the_us_shop_to_2023(article_data):
    us_shop = ModeEvent.objects.get(slug="closed-loop-shop-us-2023")
    assert list(us_shop.markets.values_list("code", flat=True)) == ["US"]
    assert not ModeEvent.objects.filter(
        markets__code="GB", mode="closed_loop", date__year=2023
    ).exists()


def test_indonesias_return_is_the_end_of_2023(article_data):
    event = ModeEvent.objects.get(slug="closed-loop-returns-id-tokopedia-2023")
    assert (event.date_precision, event.date_wording) == ("year_end", "2023年底")
    assert event.date_span == (datetime.date(2023, 10, 1), datetime.date(2023, 12, 31))


def test_top_five_is_at_most_rank_five(article_data):
    figure = MarketFigure.objects.get(metric_zh__contains="全球前五")
    assert (figure.value, figure.unit, figure.qualifier) == (5, "rank", "at_most")


def test_latin_americas_figures_describe_the_region(article_data):
    for metric in ("人口", "智能手机普及率"):
        figure = MarketFigure.objects.get(metric_zh=metric)
        assert figure.region.code == "latin-america"
        assert not figure.markets.exists()


def test_the_list_of_markets_being_evaluated(article_data):
    event = ModeEvent.objects.get(status_set=Status.CONSIDERING)
    assert "the list of markets being evaluated" in event.summary_en
    assert event.scope == EventScope.REGION
    assert set(event.markets.values_list("code", flat=True)) == {
        "BR",
        "MX",
        "KZ",
        "UZ",
        "NZ",
    }


def test_bigcommerce_is_named_beside_shopify(article_data):
    beta = ModeEvent.objects.get(slug="semi-closed-loop-beta-eight-markets-2024-02")
    assert "BigCommerce" in beta.summary_zh and "BigCommerce" in beta.summary_en
    assert any("BigCommerce" in evidence.quote for evidence in beta.evidence.all())


def test_the_meizhuang_puzi_cases_share_one_dispute(article_data):
    cases = SellerCase.objects.filter(dispute__slug="meizhuang-puzi-city")
    assert {case.city_en for case in cases} == {"Guangzhou", "Hangzhou"}


def test_every_fact_is_written_in_both_languages(article_data):
    for event in ModeEvent.objects.all():
        assert event.summary_zh and event.summary_en, event
    for case in SellerCase.objects.all():
        assert case.narrative_zh and case.narrative_en, case
    for figure in [*MarketFigure.objects.all(), *SellerFigure.objects.all()]:
        assert figure.metric_zh and figure.metric_en, figure


def test_every_date_note_is_written_in_both_languages(article_data):
    notes = [
        *ModeEvent.objects.values_list("date_note", "date_note_zh"),
        *Source.objects.values_list("published_note", "published_note_zh"),
    ]
    assert any(english for english, _ in notes)
    for english, chinese in notes:
        assert bool(english) == bool(chinese), english or chinese


def test_fixture_records_pass_model_validation(article_data):
    for model in PROJECT_MODELS:
        for instance in model.objects.all():
            instance.full_clean()
    for event in ModeEvent.objects.prefetch_related("markets"):
        ModeEvent.validate_market_scope(event.markets.all(), event.scope)


def test_the_shortlist_names_two_regions_and_new_zealand_never_oceania(article_data):
    event = ModeEvent.objects.get(status_set=Status.CONSIDERING)
    with translation.override("en"):
        english = event.headline
    with translation.override("zh-hans"):
        chinese = event.headline
    assert "Latin America" in english and "Central Asia" in english
    assert "New Zealand" in english and "Oceania" not in english
    assert "新西兰" in chinese and "大洋洲" not in chinese


def test_the_us_fully_managed_launch_expected_in_september_is_announced_ahead(
    article_data,
):
    event = ModeEvent.objects.get(slug="fully-managed-us-launch-planned-2023-09")
    assert "预计2023年9月上线" in event.summary_zh
    assert event.is_scheduled


def test_the_uk_and_us_share_of_gmv_does_not_say_whose_share_it_is(article_data):
    figure = MarketFigure.objects.get(uuid="a35ce4b4-a81b-5d07-9266-81fea13a9c54")
    assert (figure.metric_zh, figure.metric_en) == ("GMV占比", "Share of GMV")
