"""Fuzzy dates: a day stored with how precisely the source gave it, read as a range.

Sources say 2024年2月 (a month), 8月底 (the end of a month), 2023年底 (the end of a year),
2020年左右 (about a year), 春季 or "this spring" (a season), 第三季度 or Q3 (a quarter),
上半年 or H1 (a half), 年初, 年中, "early" or "late 2022" (a third of a year). We store the
first day of what the source names (the month, the season, the quarter, the year) and its
precision, and read every such date as the range of days it may stand for: never
sharper than the source, and ordered by the earliest day the range allows.

Seasons are the northern hemisphere's meteorological ones (spring is March to May,
winter December to February), as the trade press the record reads writes them. A season
is stored as the first day of its first month and always shown with its months
("spring 2024 (Mar–May)"), so a source written for a southern market is entered by its
months (its spring, September to November, is stored as 1 September) and no reader is
told a month the source did not mean.
"""

import calendar
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    MONTH_END = "month_end", _("End of a month")
    SEASON = "season", _("Season (three months, from the first day of the first)")
    QUARTER = "quarter", _("Quarter")
    HALF = "half", _("Half of a year")
    YEAR_EARLY = "year_early", _("Early in a year (January to April)")
    YEAR_MID = "year_mid", _("The middle of a year (May to August)")
    YEAR_LATE = "year_late", _("Late in a year (September to December)")
    YEAR = "year", _("Year")
    YEAR_END = "year_end", _("End of a year")
    APPROXIMATE = "approximate", _("About a year")


@dataclass(frozen=True)
class Period:
    """A precision that names whole months: the months it may start in, and how many
    months it lasts. Stored as the first day of its first month."""

    first_months: tuple[int, ...]
    months: int


#: The precisions that name whole months, each read the same way (date_span,
#: latest_date_ending_by, precision_error).
PERIODS = {
    DatePrecision.SEASON: Period((3, 6, 9, 12), 3),
    DatePrecision.QUARTER: Period((1, 4, 7, 10), 3),
    DatePrecision.HALF: Period((1, 7), 6),
    DatePrecision.YEAR_EARLY: Period((1,), 4),
    DatePrecision.YEAR_MID: Period((5,), 4),
    DatePrecision.YEAR_LATE: Period((9,), 4),
}


#: "The end of a month" (月底, "late August"): its last ten days or so.
MONTH_END_FIRST_DAY = 21
#: "The end of a year" (年底): its last quarter.
YEAR_END_FIRST_MONTH = 10
#: "About a year" (2020年左右): this many years either side of the year named.
APPROXIMATE_YEARS = 2

#: The precisions stored as the first day of a month, and as 1 January.
MONTH_ANCHORED = (DatePrecision.MONTH, DatePrecision.MONTH_END)
YEAR_ANCHORED = (DatePrecision.YEAR, DatePrecision.YEAR_END, DatePrecision.APPROXIMATE)


def _months_later(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _period_end(day: datetime.date, period: Period) -> datetime.date:
    return _months_later(day, period.months) - datetime.timedelta(days=1)


def date_span(
    day: datetime.date, precision: str
) -> tuple[datetime.date, datetime.date]:
    """The earliest and the latest day a date of this precision may stand for."""
    if precision == DatePrecision.DAY:
        return day, day
    if precision in PERIODS:
        if day.year == datetime.MAXYEAR and day.month > 12 - PERIODS[precision].months:
            return day, datetime.date.max
        return day, _period_end(day, PERIODS[precision])
    if precision in MONTH_ANCHORED:
        last = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        if precision == DatePrecision.MONTH_END:
            return day.replace(day=MONTH_END_FIRST_DAY), last
        return day, last
    year_end = day.replace(month=12, day=31)
    if precision == DatePrecision.YEAR_END:
        return day.replace(month=YEAR_END_FIRST_MONTH, day=1), year_end
    if precision == DatePrecision.APPROXIMATE:
        first = max(day.year - APPROXIMATE_YEARS, datetime.MINYEAR)
        last = min(day.year + APPROXIMATE_YEARS, datetime.MAXYEAR)
        return datetime.date(first, 1, 1), datetime.date(last, 12, 31)
    return day, year_end


def latest_date_ending_by(day: datetime.date, precision: str) -> datetime.date | None:
    """The latest date of this precision whose every possible day is on or before ``day``.

    ``date_span``'s rule turned around for queries: a stored date ``d`` of this precision
    ends by ``day`` exactly when ``d <= latest_date_ending_by(day, precision)``, so an
    index on the stored date serves. None when no such date exists.
    """
    if precision in PERIODS:
        # The latest first day of the period that ends by ``day``: it starts in this
        # year or one of the two before (no period is longer than a year).
        period = PERIODS[precision]
        ending = [
            start
            for year in range(max(day.year - 2, datetime.MINYEAR), day.year + 1)
            for month in period.first_months
            if _period_end(start := datetime.date(year, month, 1), period) <= day
        ]
        return max(ending, default=None)
    next_day = day + datetime.timedelta(days=1)
    if precision == DatePrecision.DAY:
        last_start = next_day
    elif precision in MONTH_ANCHORED:
        last_start = next_day.replace(day=1)
    elif precision == DatePrecision.APPROXIMATE:
        if next_day.year - APPROXIMATE_YEARS <= datetime.MINYEAR:
            return None
        last_start = datetime.date(next_day.year - APPROXIMATE_YEARS, 1, 1)
    else:
        last_start = next_day.replace(month=1, day=1)
    if last_start == datetime.date.min:
        return None
    return last_start - datetime.timedelta(days=1)


def published_by(day: datetime.date, prefix: str = "") -> models.Q:
    """Sources surely published by ``day``: the last day their date allows is not after it.

    A source dated only "2024" may have appeared on 31 December 2024, so on 15 January 2024
    nobody could yet rely on it. Computed from ``day`` alone, so indexes on the date serve.
    """
    surely = models.Q(pk__in=[])
    for precision in DatePrecision.values:
        latest = latest_date_ending_by(day, precision)
        if latest is not None:
            surely |= models.Q(
                **{
                    f"{prefix}published_precision": precision,
                    f"{prefix}published_on__lte": latest,
                }
            )
    return surely


def latest_done_by(
    first: datetime.date,
    last: datetime.date,
    published_by: "list[datetime.date | None]",
    scheduled: bool,
) -> datetime.date:
    """The last day a dated fact may have happened: its wording's last day, or, for a
    fact reported as done, the last day its earliest source may have been published.

    What a source reports as done happened by the time it was published; what it
    announces ahead (``scheduled``) may come later than that, or never. A source of
    unknown date bounds nothing. The one rule for the status rule's claims
    (status.answers), an event's page and the API's ``date_latest``.
    """
    if scheduled or not published_by or None in published_by:
        return last
    return max(first, min(last, min(published_by)))


def sane_dates() -> tuple[datetime.date, datetime.date]:
    """The first and last day any date of the record or of a question may be."""
    first, last = settings.LOOPWATCH_DATE_RANGE
    return datetime.date.fromisoformat(first), datetime.date.fromisoformat(last)


def day_or_today(day: datetime.date | None) -> datetime.date:
    """The day a reader asked about, or today when they asked about none."""
    return day or timezone.localdate()


def validate_sane_date(day: datetime.date | None) -> None:
    """Refuse a day outside LOOPWATCH_DATE_RANGE: a typo, not a fact (year 9999)."""
    if day is None:
        return
    if isinstance(day, datetime.datetime):
        # A from-to filter's ends are the first and last moments of their days.
        day = day.date()
    first, last = sane_dates()
    if not first <= day <= last:
        raise ValidationError(
            _("Give a day from %(first)s to %(last)s."),
            code="date_out_of_range",
            params={"first": first.isoformat(), "last": last.isoformat()},
        )


def validate_sane_day_range(days: slice | None) -> None:
    """Both ends of a from-to filter within LOOPWATCH_DATE_RANGE."""
    if days is not None:
        validate_sane_date(days.start)
        validate_sane_date(days.stop)


def latest_day(day: datetime.date | None, precision: str) -> datetime.date | None:
    """The last day a date may stand for; None for an unknown date."""
    if day is None or not precision:
        return None
    return date_span(day, precision)[1]


def precision_error(day: datetime.date, precision: str) -> str | None:
    """Why this date cannot carry this precision, or None when it can."""
    if precision in MONTH_ANCHORED and day.day != 1:
        return _("A month-precision date is stored as the first day of its month.")
    if precision in PERIODS and (
        day.day != 1 or day.month not in PERIODS[precision].first_months
    ):
        return _(
            "A date of this precision is stored as the first day of the month it "
            "starts in: %(months)s."
        ) % {
            "months": ", ".join(
                str(MONTH_ABBREVIATIONS[month - 1])
                for month in PERIODS[precision].first_months
            ),
        }
    if precision in YEAR_ANCHORED and (day.month, day.day) != (1, 1):
        return _(
            "A year-precision or approximate date is stored as 1 January of its year."
        )
    return None


def format_fuzzy_date(day: datetime.date, precision: str) -> str:
    """The date as precisely as the source gave it, and no more, in the reader's
    words: "Feb 2024" (2024年2月), "end of Aug 2023", "2024"."""
    if precision == DatePrecision.DAY:
        return day.isoformat()
    if precision == DatePrecision.MONTH:
        return format_month(day)
    if precision == DatePrecision.MONTH_END:
        return _("end of %(month)s") % {"month": format_month(day)}
    if precision in PERIODS:
        return format_period(day, precision)
    if precision == DatePrecision.YEAR:
        return pgettext_lazy("a year", "%(year)s") % {"year": day.year}
    if precision == DatePrecision.YEAR_END:
        return _("end of %(year)s") % {"year": day.year}
    return _("about %(year)s") % {"year": day.year}


def format_day_range(first: datetime.date, last: datetime.date) -> str:
    """A range of days as a reader reads it: one day, or "first – last"."""
    if first == last:
        return first.isoformat()
    return f"{first.isoformat()} – {last.isoformat()}"


#: Months as the periods' wording shows them ("spring 2024 (Mar–May)").
MONTH_ABBREVIATIONS = (
    pgettext_lazy("month, short", "Jan"),
    pgettext_lazy("month, short", "Feb"),
    pgettext_lazy("month, short", "Mar"),
    pgettext_lazy("month, short", "Apr"),
    pgettext_lazy("month, short", "May"),
    pgettext_lazy("month, short", "Jun"),
    pgettext_lazy("month, short", "Jul"),
    pgettext_lazy("month, short", "Aug"),
    pgettext_lazy("month, short", "Sep"),
    pgettext_lazy("month, short", "Oct"),
    pgettext_lazy("month, short", "Nov"),
    pgettext_lazy("month, short", "Dec"),
)


def format_month(day: datetime.date) -> str:
    """A month as readers name it: "Feb 2024", "2024年2月"."""
    return pgettext_lazy("month and year", "%(month)s %(year)s") % {
        "month": MONTH_ABBREVIATIONS[day.month - 1],
        "year": day.year,
    }


def format_period(day: datetime.date, precision: str) -> str:
    """A season, quarter, half or third of a year as a source words it, with its
    months where the name alone could mislead (a season)."""
    year = day.year
    if precision == DatePrecision.SEASON:
        months = {
            "first": MONTH_ABBREVIATIONS[day.month - 1],
            "last": MONTH_ABBREVIATIONS[(day.month + 1) % 12],
            "year": year,
        }
        if day.month == 3:
            return _("spring %(year)s (%(first)s–%(last)s)") % months
        if day.month == 6:
            return _("summer %(year)s (%(first)s–%(last)s)") % months
        if day.month == 9:
            return _("autumn %(year)s (%(first)s–%(last)s)") % months
        months["next_year"] = year + 1
        return _("winter %(year)s–%(next_year)s (%(first)s–%(last)s)") % months
    if precision == DatePrecision.QUARTER:
        quarter = (day.month - 1) // 3 + 1
        return [
            _("Q1 %(year)s"),
            _("Q2 %(year)s"),
            _("Q3 %(year)s"),
            _("Q4 %(year)s"),
        ][quarter - 1] % {"year": year}
    if precision == DatePrecision.HALF:
        if day.month == 1:
            return _("first half of %(year)s") % {"year": year}
        return _("second half of %(year)s") % {"year": year}
    if precision == DatePrecision.YEAR_EARLY:
        return _("early %(year)s") % {"year": year}
    if precision == DatePrecision.YEAR_MID:
        return _("mid-%(year)s") % {"year": year}
    return _("late %(year)s") % {"year": year}


#: The words a slug gives a period, by its first month (markets.models.bases: an
#: address in ASCII, the same in every language).
SLUG_PERIODS = {
    DatePrecision.SEASON: {3: "spring", 6: "summer", 9: "autumn", 12: "winter"},
    DatePrecision.QUARTER: {1: "q1", 4: "q2", 7: "q3", 10: "q4"},
    DatePrecision.HALF: {1: "h1", 7: "h2"},
    DatePrecision.YEAR_EARLY: {1: "early"},
    DatePrecision.YEAR_MID: {5: "mid"},
    DatePrecision.YEAR_LATE: {9: "late"},
}


def date_slug(day: datetime.date | None, precision: str) -> str:
    """The date as an address names it, at its own precision and never sharper: a day
    2024-10-07, a month 2024-10, its end 2024-10-end, a period 2024-spring or
    2024-q3, a year 2024, its end 2024-end, about a year 2024-approx. An address is
    read as a date: one ending in a day (2024-10-01) would say a day no source
    gives."""
    if day is None:
        return ""
    if precision == DatePrecision.DAY:
        return day.isoformat()
    if precision == DatePrecision.MONTH:
        return f"{day.year}-{day.month:02d}"
    if precision == DatePrecision.MONTH_END:
        return f"{day.year}-{day.month:02d}-end"
    if precision in SLUG_PERIODS:
        name = SLUG_PERIODS[precision].get(day.month, f"{day.month:02d}")
        return f"{day.year}-{name}"
    if precision == DatePrecision.YEAR_END:
        return f"{day.year}-end"
    if precision == DatePrecision.APPROXIMATE:
        return f"{day.year}-approx"
    return str(day.year)
