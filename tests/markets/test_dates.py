"""The days a fuzzy date stands for, and its inverse for queries, are one rule."""

import datetime

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from markets.dates import (
    PERIODS,
    DatePrecision,
    date_span,
    format_fuzzy_date,
    latest_date_ending_by,
    precision_error,
)
from markets.models import Source, published_by
from tests.factories import SourceFactory

DAYS = st.dates(
    min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)
)


def stored(day: datetime.date, precision: str) -> datetime.date:
    """A date as an analyst stores it at this precision: month dates on the 1st, …"""
    if precision in (DatePrecision.MONTH,):
        return day.replace(day=1)
    if precision == DatePrecision.MONTH_END:
        return day.replace(day=21)
    if precision in (DatePrecision.YEAR, DatePrecision.APPROXIMATE):
        return day.replace(month=1, day=1)
    if precision == DatePrecision.YEAR_END:
        return day.replace(month=10, day=1)
    if precision in PERIODS:
        return period_start(day, precision)
    return day


def period_start(day: datetime.date, precision: str) -> datetime.date:
    """The first day of the season, quarter, half or third of a year holding ``day``
    (a winter's January is the winter of the December before)."""
    first_months = PERIODS[precision].first_months
    earlier = [month for month in first_months if month <= day.month]
    if earlier:
        return datetime.date(day.year, max(earlier), 1)
    return datetime.date(day.year - 1, max(first_months), 1)


@given(
    date=DAYS,
    asked=DAYS,
    precision=st.sampled_from(DatePrecision.values),
)
def test_a_date_ends_by_a_day_exactly_when_the_inverse_says_so(date, asked, precision):
    date = stored(date, precision)
    latest = latest_date_ending_by(asked, precision)
    ends_by = date_span(date, precision)[1] <= asked
    assert ends_by == (latest is not None and date <= latest)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("published_on", "precision", "surely_by_2024_06_30"),
    [
        ("2024-06-30", DatePrecision.DAY, True),
        ("2024-07-01", DatePrecision.DAY, False),
        ("2024-06-01", DatePrecision.MONTH, True),
        ("2024-07-01", DatePrecision.MONTH, False),
        ("2024-01-01", DatePrecision.YEAR, False),
        ("2023-10-01", DatePrecision.YEAR_END, True),
        ("2022-01-01", DatePrecision.APPROXIMATE, False),
        ("2021-01-01", DatePrecision.APPROXIMATE, True),
    ],
)
def test_sources_surely_published_by_a_day(
    published_on, precision, surely_by_2024_06_30
):
    source = SourceFactory(
        published_on=datetime.date.fromisoformat(published_on),
        published_precision=precision,
    )
    found = Source.objects.filter(published_by(datetime.date(2024, 6, 30)))
    assert (source in found) is surely_by_2024_06_30


@given(day=DAYS, precision=st.sampled_from(sorted(PERIODS)))
def test_a_period_stored_as_its_first_day_holds_the_day_it_was_read_from(
    day, precision
):
    start = period_start(day, precision)
    first, last = date_span(start, precision)
    assert precision_error(start, precision) is None
    assert first == start
    if precision in (DatePrecision.SEASON, DatePrecision.QUARTER, DatePrecision.HALF):
        # These tile the calendar; the thirds of a year each name their own months.
        assert first <= day <= last


@pytest.mark.parametrize(
    ("stored_on", "precision", "first", "last", "english", "chinese"),
    [
        (
            "2024-03-01",
            "season",
            "2024-03-01",
            "2024-05-31",
            "spring 2024 (Mar–May)",
            "2024年春季（3月–5月）",
        ),
        (
            "2024-12-01",
            "season",
            "2024-12-01",
            "2025-02-28",
            "winter 2024–2025 (Dec–Feb)",
            "2024–2025年冬季（12月–2月）",
        ),
        (
            "2024-07-01",
            "quarter",
            "2024-07-01",
            "2024-09-30",
            "Q3 2024",
            "2024年第三季度",
        ),
        (
            "2024-01-01",
            "half",
            "2024-01-01",
            "2024-06-30",
            "first half of 2024",
            "2024年上半年",
        ),
        (
            "2022-01-01",
            "year_early",
            "2022-01-01",
            "2022-04-30",
            "early 2022",
            "2022年初",
        ),
        (
            "2022-05-01",
            "year_mid",
            "2022-05-01",
            "2022-08-31",
            "mid-2022",
            "2022年年中",
        ),
        (
            "2024-09-01",
            "year_late",
            "2024-09-01",
            "2024-12-31",
            "late 2024",
            "2024年末",
        ),
    ],
)
def test_seasons_quarters_halves_and_thirds_read_as_their_sources_word_them(
    stored_on, precision, first, last, english, chinese
):
    day = datetime.date.fromisoformat(stored_on)
    assert date_span(day, precision) == (
        datetime.date.fromisoformat(first),
        datetime.date.fromisoformat(last),
    )
    with translation.override("en"):
        assert format_fuzzy_date(day, precision) == english
    with translation.override("zh-hans"):
        assert format_fuzzy_date(day, precision) == chinese


@pytest.mark.parametrize("precision", sorted(PERIODS))
def test_a_period_not_stored_on_its_first_day_is_refused(precision):
    assert precision_error(datetime.date(2024, 2, 2), precision)


@pytest.mark.django_db
def test_a_source_of_a_quarter_is_surely_published_once_the_quarter_ends():
    source = SourceFactory(
        published_on=datetime.date(2024, 4, 1), published_precision="quarter"
    )
    by = Source.objects.filter
    assert source not in by(published_by(datetime.date(2024, 6, 29)))
    assert source in by(published_by(datetime.date(2024, 6, 30)))
