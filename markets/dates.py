"""Fuzzy dates: a day stored with how precisely the source gave it.

Sources say 2024年2月 (a month), 2023年底 (a year) or 2020年左右 (about a year). We store the
earliest day the precision allows, so that dates order and compare, and keep the precision
so that nobody reads a day the source never gave.
"""

import calendar
import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")
    APPROXIMATE = "approximate", _("About a year")


def date_span(
    day: datetime.date, precision: str
) -> tuple[datetime.date, datetime.date]:
    """The first and last day that a date of this precision may stand for."""
    if precision == DatePrecision.DAY:
        return day, day
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(day.year, day.month)[1]
        return day, day.replace(day=last)
    # An approximate date names a year, like a year-precision one; the source hedges it.
    return day, day.replace(month=12, day=31)


def precision_error(day: datetime.date, precision: str) -> str | None:
    """Why this date cannot carry this precision, or None when it can."""
    if precision == DatePrecision.MONTH and day.day != 1:
        return _("A month-precision date is stored as the first day of its month.")
    if precision in (DatePrecision.YEAR, DatePrecision.APPROXIMATE) and (
        day.month,
        day.day,
    ) != (1, 1):
        return _(
            "A year-precision or approximate date is stored as 1 January of its year."
        )
    return None


def format_fuzzy_date(day: datetime.date, precision: str) -> str:
    """The date as precisely as the source gave it, and no more."""
    if precision == DatePrecision.DAY:
        return day.isoformat()
    if precision == DatePrecision.MONTH:
        return day.strftime("%Y-%m")
    if precision == DatePrecision.YEAR:
        return str(day.year)
    return _("about %(year)s") % {"year": day.year}
