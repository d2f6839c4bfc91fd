"""Bad input gets a clear, field-level error, in the model and in the admin."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from markets.dates import DatePrecision
from markets.models import Dispute, FigureUnit, Market, ModeEvent, Source
from tests.factories import (
    MarketFactory,
    MarketFigureFactory,
    ModeEventFactory,
    RegionFactory,
    SellerCaseFactory,
    SellerFigureFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


def field_errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


@pytest.mark.parametrize("code", ["XX", "EU", "ZZ"])
def test_market_rejects_codes_outside_iso_3166(code):
    market = MarketFactory.build(code=code, region=RegionFactory())
    assert "not an ISO 3166-1 alpha-2" in field_errors(market)["code"][0]


def test_market_asks_for_upper_case_code():
    market = MarketFactory.build(code="de", region=RegionFactory())
    assert field_errors(market)["code"] == ["Write the code in upper case, e.g. DE."]


def test_market_accepts_real_code():
    MarketFactory.build(code="DE", region=RegionFactory()).full_clean()


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.com/a"]
)
def test_source_rejects_non_web_urls(url):
    source = SourceFactory.build(url=url)
    assert "url" in field_errors(source)


def test_source_date_needs_its_precision():
    source = SourceFactory.build(published_precision="")
    assert "published_precision" in field_errors(source)


def test_source_cannot_skip_url_check_in_database():
    source = SourceFactory()
    source.url = "javascript:alert(1)"
    with pytest.raises(IntegrityError), transaction.atomic():
        source.save()


def test_figure_rejects_negative_count():
    figure = MarketFigureFactory.build(value=Decimal(-5), unit=FigureUnit.COUNT)
    assert field_errors(figure)["value"] == ["A value in Count cannot be below 0."]


def test_figure_rejects_percentage_over_100():
    figure = MarketFigureFactory.build(value=Decimal(120), unit=FigureUnit.PERCENT)
    assert "cannot be above 100" in field_errors(figure)["value"][0]


def test_percent_change_may_exceed_100():
    MarketFigureFactory.build(
        value=Decimal(120), unit=FigureUnit.PERCENT_CHANGE
    ).full_clean()


def test_figure_requires_a_unit():
    figure = MarketFigureFactory.build(unit="")
    assert "unit" in field_errors(figure)


def test_database_refuses_percentage_over_100_written_around_validation():
    figure = MarketFigureFactory(unit=FigureUnit.PERCENT, value=Decimal(50))
    figure.value = Decimal(150)
    with pytest.raises(IntegrityError), transaction.atomic():
        figure.save()


def test_seller_figure_needs_a_value():
    figure = SellerFigureFactory.build(
        seller_case=SellerCaseFactory(), value_before=None, value_after=None
    )
    assert "value_after" in field_errors(figure)


def test_seller_figure_checks_both_values_against_unit():
    figure = SellerFigureFactory(
        unit=FigureUnit.PERCENT, value_before=20, value_after=28
    )
    figure.value_before = Decimal(101)
    assert "value_before" in field_errors(figure)


@pytest.mark.parametrize(
    ("day", "precision"),
    [
        (datetime.date(2024, 2, 15), DatePrecision.MONTH),
        (datetime.date(2024, 3, 1), DatePrecision.YEAR),
        (datetime.date(2020, 6, 1), DatePrecision.APPROXIMATE),
    ],
)
def test_event_date_must_agree_with_its_precision(day, precision):
    event = ModeEventFactory.build(date=day, date_precision=precision)
    assert "date" in field_errors(event)


def test_day_precision_accepts_any_day():
    ModeEventFactory.build(
        date=datetime.date(2024, 2, 15), date_precision=DatePrecision.DAY
    ).full_clean()


@pytest.mark.parametrize("scope", ["markets", "region"])
def test_an_event_of_named_markets_or_a_region_names_its_markets(scope):
    with pytest.raises(ValidationError) as caught:
        ModeEvent.validate_market_scope([], scope)
    assert "markets" in caught.value.message_dict


@pytest.mark.parametrize("scope", ["worldwide", "none"])
def test_a_worldwide_or_no_market_event_names_no_market(scope):
    ModeEvent.validate_market_scope([], scope)
    with pytest.raises(ValidationError) as caught:
        ModeEvent.validate_market_scope([MarketFactory()], scope)
    assert "scope" in caught.value.message_dict


def test_a_dispute_says_what_the_sources_disagree_on():
    assert "note_en" in field_errors(Dispute(slug="closure-date"))


@pytest.mark.parametrize(
    ("precision", "day"),
    [("month_end", "2023-08-21"), ("year_end", "2023-10-01")],
)
def test_the_end_of_a_month_or_year_is_stored_as_the_first_day_it_names(precision, day):
    event = ModeEventFactory.build(
        date=datetime.date.fromisoformat(day), date_precision=precision
    )
    assert "date" in field_errors(event)


# --- The same rules, seen from the admin -----------------------------------------------


def test_admin_shows_field_error_for_unknown_country_and_saves_nothing(analyst_client):
    region = RegionFactory()
    response = analyst_client.post(
        "/admin/markets/market/add/",
        {"code": "XX", "name_zh": "某国", "name_en": "Nowhere", "region": region.pk},
    )
    assert response.status_code == 200
    assert (
        "XX is not an ISO 3166-1 alpha-2 country code."
        in response.context["adminform"].form.errors["code"]
    )
    assert not Market.objects.exists()


def test_admin_refuses_javascript_url(analyst_client):
    response = analyst_client.post(
        "/admin/markets/source/add/",
        {
            "title": "标题",
            "slug": "bad-source",
            "publisher": "某媒体",
            "kind": "article",
            "url": "javascript:alert(1)",
            "language": "zh-Hans",
            "publication": "draft",
        },
    )
    assert response.status_code == 200
    assert "url" in response.context["adminform"].form.errors
    assert not Source.objects.exists()


def test_admin_refuses_event_without_markets_and_saves_no_evidence(analyst_client):
    source = SourceFactory()
    response = analyst_client.post(
        "/admin/markets/modeevent/add/",
        {
            "mode": "semi_closed_loop",
            "kind": "launch",
            "status_set": "live",
            "date": "2024-02-15",
            "date_precision": "month",
            "summary_en": "A launch.",
            "slug": "a-launch",
            "publication": "draft",
            "evidence-TOTAL_FORMS": "1",
            "evidence-INITIAL_FORMS": "0",
            "evidence-0-source": source.pk,
            "evidence-0-quote": "原文",
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "markets" in errors
    assert errors["date"] == [
        "A month-precision date is stored as the first day of its month."
    ]
    assert not ModeEvent.objects.exists()
    assert not source.eventevidence_set.exists()
