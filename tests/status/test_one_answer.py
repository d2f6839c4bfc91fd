"""One answer, said one way: on random records, every surface says what the one value
says (status.grid.ModeStatus, worded by status.wording).

Each example builds a small record (two markets; claims of every date precision,
announced ahead or reported done, disputed, worldwide, from sources fresh or old), then
asks on random days the API, the badge, the map, the home page's grid and colour matrix
and the market page, and holds each to the cell's status, start, scheduled mark and
stale mark.
"""

import datetime
import html
import re

import pytest
from django.db import transaction
from django.test import Client
from django.utils import translation
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from caching.kept import forget_everything_kept
from markets.dates import PERIODS, DatePrecision, precision_error
from markets.models import EventKind, EventScope, Market, Mode
from markets.vocabulary import Status
from status.badges import Badge
from status.selectors import status_on
from tests.factories import (
    DisputeFactory,
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db(transaction=False)

MODE = Mode.SEMI_CLOSED_LOOP
CODES = ("DE", "FR")
KIND_OF = {
    Status.LIVE: EventKind.LAUNCH,
    Status.BETA: EventKind.BETA_LAUNCH,
    Status.CLOSED: EventKind.CLOSURE_EFFECTIVE,
    Status.CONSIDERING: EventKind.UNDER_CONSIDERATION,
}


def stored_date(year: int, month: int, day: int, precision: str) -> datetime.date:
    """The day a date of ``precision`` is stored as (markets.dates.precision_error)."""
    if precision == DatePrecision.DAY:
        return datetime.date(year, month, day)
    if precision in (DatePrecision.MONTH, DatePrecision.MONTH_END):
        return datetime.date(year, month, 1)
    if precision in PERIODS:
        months = PERIODS[precision].first_months
        return datetime.date(year, months[month % len(months)], 1)
    return datetime.date(year, 1, 1)


claims = st.lists(
    st.fixed_dictionaries(
        {
            "status": st.sampled_from(list(KIND_OF)),
            "year": st.integers(2022, 2024),
            "month": st.integers(1, 12),
            "day": st.integers(1, 28),
            "precision": st.sampled_from(DatePrecision.values),
            "scheduled": st.booleans(),
            "worldwide": st.booleans(),
            "markets": st.sampled_from([CODES[:1], CODES[1:], CODES]),
            # Days from the claim's stored date to its source's publication.
            "published_after": st.integers(-60, 400),
            "disputes_previous": st.booleans(),
        }
    ),
    min_size=1,
    max_size=4,
)
days = st.lists(
    st.dates(datetime.date(2022, 1, 1), datetime.date(2026, 6, 30)),
    min_size=2,
    max_size=3,
)


def build(record: list[dict]) -> None:
    markets = {code: MarketFactory(code=code) for code in CODES}
    previous = None
    for number, claim in enumerate(record):
        date = stored_date(
            claim["year"], claim["month"], claim["day"], claim["precision"]
        )
        assert precision_error(date, claim["precision"]) is None
        dispute = None
        if previous is not None and claim["disputes_previous"]:
            dispute = previous.dispute or DisputeFactory()
            if previous.dispute_id is None:
                previous.dispute = dispute
                previous.save()
        event = ModeEventFactory(
            slug=f"claim-{number}",
            mode=MODE,
            kind=KIND_OF[claim["status"]],
            status_set=claim["status"],
            date=date,
            date_precision=claim["precision"],
            is_scheduled=claim["scheduled"],
            scope=EventScope.WORLDWIDE if claim["worldwide"] else EventScope.MARKETS,
            markets=(
                [] if claim["worldwide"] else [markets[c] for c in claim["markets"]]
            ),
            dispute=dispute,
        )
        published = date + datetime.timedelta(days=claim["published_after"])
        EventEvidenceFactory(
            fact=event,
            source=SourceFactory(
                published_on=published, published_precision=DatePrecision.DAY
            ),
        )
        previous = event


def one_value(code: str, day: datetime.date):
    (cell,) = status_on(Market.objects.filter(code=code), day, [MODE])
    return cell


def element(page: str, pattern: str) -> str:
    found = re.search(pattern, page, re.S)
    assert found, pattern
    return found.group(0)


def check_surfaces(reader: Client, day: datetime.date) -> None:
    """Every surface, on ``day``, says what each cell's one value says."""
    iso = day.isoformat()
    api = {
        cell["market"]: cell
        for cell in reader.get("/api/status/", {"as_of": iso, "mode": MODE}).json()
    }
    home = reader.get("/", {"as_of": iso}).content.decode()
    world = reader.get("/map/", {"as_of": iso, "mode": MODE}).content.decode()
    for code in CODES:
        cell = one_value(code, day)
        words = cell.words
        start = cell.start
        # What the examples reach (--hypothesis-show-statistics).
        event(f"shown as {cell.shown}{', stale' if cell.stale else ''}")
        # The start is the deciding claims' own dates: a day only where they give it.
        if cell.since is not None:
            assert start.earliest == cell.since == start.latest
            assert start.precision == DatePrecision.DAY
        if cell.scheduled:
            assert cell.certain_from is None
            assert " since " not in words.title and " since " not in words.brief

        given_by_api = api[code]
        assert given_by_api["status"] == cell.status
        assert given_by_api["shown_as"] == cell.shown
        assert given_by_api["scheduled"] == cell.scheduled
        assert given_by_api["stale"] == cell.stale
        assert given_by_api["since"] == (cell.since and cell.since.isoformat())
        assert given_by_api["start"] == (
            start
            and {
                "text": start.text,
                "precision": start.precision,
                "earliest": start.earliest.isoformat(),
                "latest": start.latest.isoformat(),
                "disputed": start.disputed,
            }
        )
        assert given_by_api["in_words"] == words.title

        badge = reader.get(f"/badges/{code}/{MODE}.svg", {"as_of": iso})
        title = element(badge.content.decode(), r"<title>.*?</title>")
        assert title.endswith(html.escape(Badge.value_of(cell)) + "</title>")
        assert ("stale" in title) == cell.stale

        shape = element(world, rf'<a [^>]*data-market="{code}".*?</title>')
        assert f"map-{cell.shown} " in shape or f'map-{cell.shown}"' in shape
        assert shape.endswith(html.escape(words.title) + "</title>")

        if cell.span is None:
            # No source speaks of the market in any mode: no row, a line names it.
            line = element(home, r'<p class="no-evidence-yet">.*?</p>')
            assert f"/markets/{code}/?as_of={iso}" in line
        else:
            row = element(
                home, rf'<td [^>]*data-market="{code}" data-mode="{MODE}".*?</td>'
            )
            assert f'data-status="{cell.status}"' in row
            assert html.escape(words.label) in row
            assert html.escape(words.detail) in row
            assert ("badge--stale" in row) == cell.stale
        square = element(
            home,
            rf'<a [^>]*colour-matrix__square[^>]*data-market="{code}"'
            rf'[^>]*data-mode="{MODE}".*?</title>',
        )
        assert f"map-{cell.shown}" in square
        assert square.endswith(html.escape(words.title) + "</title>")

        market = reader.get(f"/markets/{code}/", {"as_of": iso}).content.decode()
        card = element(market, rf'<li class="status-card" data-mode="{MODE}".*?</li>')
        assert html.escape(words.label) in card and html.escape(words.detail) in card


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@given(record=claims, asked=days)
def test_every_surface_says_what_the_one_answer_says(record, asked):
    with transaction.atomic():
        forget_everything_kept()
        build(record)
        reader = Client(headers={"accept-language": "en"})
        with translation.override("en"):
            for day in asked:
                check_surfaces(reader, day)
        transaction.set_rollback(True)
