"""The answer's reads, kept: the selectors of status.selectors wrapped in the cache.

Caching wraps, it is never wrapped: the selectors keep nothing themselves; the pages,
the API and the template tags call these where a read is worth keeping, under the
revisions of the tables it read (caching.kept).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet

from caching.kept import kept_drawing, kept_read
from markets.models import Market, Mode
from status.grid import StatusGrid
from status.selectors import key_dates, status_drawing_key, status_grid


def kept_status_drawing_key(
    markets: "QuerySet[Market]",
    day: datetime.date,
    modes: Iterable[str] | None = None,
) -> str | None:
    """``status_drawing_key``, kept until a write reaches the spans or the markets:
    the query of 747 subqueries costs more to build than to read kept."""
    modes = list(modes or Mode.values)
    try:
        query = markets.query.sql_with_params()
    except EmptyResultSet:
        return status_drawing_key(markets, day, modes)
    return kept_drawing(
        "status-drawing-key",
        (query, day, tuple(modes)),
        lambda: status_drawing_key(markets, day, modes),
    )


def kept_status_grid(
    markets: "QuerySet[Market]",
    day: datetime.date,
    modes: Iterable[str] | None = None,
    known_on: datetime.date | None = None,
) -> StatusGrid:
    """``status_grid`` whose drawing key is kept (``kept_status_drawing_key``)."""
    return status_grid(
        markets, day, modes, known_on, drawing_key=kept_status_drawing_key
    )


def kept_key_dates(latest: int) -> list[tuple[datetime.date, str]]:
    """``key_dates``, its rows kept until a write reaches the events."""
    return key_dates(latest, read=lambda dates: kept_read("key-dates", dates))
