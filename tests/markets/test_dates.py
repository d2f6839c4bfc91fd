"""The days a fuzzy date stands for, and its inverse for queries, are one rule."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from markets.dates import DatePrecision, date_span, latest_date_ending_by
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
    return day


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
