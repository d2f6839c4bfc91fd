"""The answer's reads: each market's status in each mode on a day, from the status index.

Plain functions over a queryset of markets, named for what they return, so that pages,
the API, feeds and commands read the same spans the same way. Pure: they read the
database and keep nothing; status.kept wraps the costly ones in the cache, from outside.
"""

import datetime
import hashlib
from collections.abc import Callable, Iterable

import orjson
from django.db import models

from markets.dates import date_span, format_fuzzy_date
from markets.models import Market, Mode, ModeEvent, Publication
from markets.vocabulary import Status
from status.answers import span_on
from status.claims import resolved_spans
from status.grid import ModeStatus, NamedEvents, StatusGrid, cell_drawing_key
from status.models import StatusSpan

#: How a queryset's rows are read: at once, or kept (status.kept).
RowReader = Callable[[models.QuerySet], list]


def with_status_on(
    markets: "models.QuerySet[Market]",
    day: datetime.date,
    modes: Iterable[str] | None = None,
) -> "models.QuerySet[Market]":
    """The markets, each annotated ``status_<mode>``: the answer on ``day`` as a
    column to filter on.

    The same span as ``status_on`` reads; "no_evidence" where no source speaks.
    """
    # Spans of events still published only: a filter never matches by a draft.
    spans = StatusSpan.objects.holding_on(day).filter(
        event__publication=Publication.PUBLISHED
    )
    return markets.annotate(
        **{
            f"status_{mode}": models.functions.Coalesce(
                models.Subquery(
                    spans.latest_in_outer_market(mode).values("status")[:1]
                ),
                models.Value(Status.NO_EVIDENCE),
            )
            for mode in (modes or Mode.values)
        }
    )


def status_on(
    markets: "models.QuerySet[Market]",
    day: datetime.date,
    modes: Iterable[str] | None = None,
    known_on: datetime.date | None = None,
) -> list[ModeStatus]:
    """Each market's answer in each mode on ``day``, market by market, mode by mode.

    The database finds the span holding that day for every (market, mode) in one
    query, one index seek each (see StatusSpan); the events the answers name are
    read when first used (NamedEvents), so cells drawn before cost nothing more.
    With ``known_on``, the answer is the rule's on the evidence of sources published
    by then, worked out when asked.
    """
    modes = list(modes or Mode.values)
    if known_on is None:
        rows, spans = indexed_spans(markets, day, modes)
        if any(span is not None and span.unsure for span in spans.values()):
            # Something a span shows changed without a save (SQL typed by hand):
            # never serve a draft or an old quote; work the answer out afresh.
            spans = spans_worked_out(rows, day, modes, known_on)
    else:
        rows = list(markets.with_related())
        spans = spans_worked_out(rows, day, modes, known_on)
    events = NamedEvents(spans.values(), known_on)
    return [
        ModeStatus(market, mode, day, spans[market.pk, mode], events)
        for market in rows
        for mode in modes
    ]


def status_drawing_key(
    markets: "models.QuerySet[Market]",
    day: datetime.date,
    modes: Iterable[str] | None = None,
) -> str | None:
    """What the answer on ``day`` shows, in any form, depends on this and the
    language alone: each market as shown, and in each mode the ``drawing_key`` of
    its cell (``cell_drawing_key``). One query, reading no event: a write that changes
    none of it leaves every drawing of the answer in use.

    None where a span is ``unsure``: the answer is then worked out afresh.
    """
    modes = list(modes or Mode.values)
    holding = StatusSpan.objects.holding_on(day)
    spans = {
        f"span_{mode}": models.Subquery(
            holding.latest_in_outer_market(mode)
            .annotate(
                drawn=models.functions.JSONObject(
                    id="pk",
                    uncertain="uncertain",
                    evidence_on="evidence_on",
                    unsure="unsure",
                )
            )
            .values("drawn")[:1],
            # As text, parsed by orjson: Django's JSON decoding costs several
            # times more over 747 cells.
            output_field=models.TextField(),
        )
        for mode in modes
    }
    names = ("code", "name_zh", "name_en", "region__name_zh", "region__name_en")
    rows = []
    for market in markets.annotate(**spans).values_list(*names, *spans):
        cells = []
        for mode, drawn in zip(modes, market[5:], strict=True):
            span = None if drawn is None else orjson.loads(drawn)
            if span is not None and span["unsure"]:
                return None
            cells.append(cell_drawing_key(mode, day, span))
        rows.append((*market[:5], tuple(cells)))
    # A digest: the key of 747 cells is long to keep and to hash again.
    shows = repr((day, tuple(modes), tuple(rows))).encode()
    return hashlib.blake2b(shows, digest_size=16).hexdigest()


def status_grid(
    markets: "models.QuerySet[Market]",
    day: datetime.date,
    modes: Iterable[str] | None = None,
    known_on: datetime.date | None = None,
    *,
    drawing_key: Callable[..., str | None] = status_drawing_key,
) -> StatusGrid:
    """``status_on`` as rows of markets, those where the semi-closed loop runs first
    (StatusGrid), read when first drawn. ``drawing_key`` works out what the grid
    shows (``status_drawing_key``, or status.kept's kept one)."""
    modes = list(modes or Mode.values)
    return StatusGrid(
        day=day,
        modes=modes,
        known_on=known_on,
        read_cells=lambda: status_on(markets, day, modes, known_on),
        read_drawing_key=lambda: drawing_key(markets, day, modes),
    )


def key_dates(
    latest: int, *, read: RowReader = list
) -> list[tuple[datetime.date, str]]:
    """The ``latest`` dates on which a status changed, each as precise as given.

    Oldest first, as (the last day the date stands for, the date as the source gives
    it): a reader sent to "2023年底" sees the answer once the change has happened by its
    wording, 2023-12-31, not on the 1 January it is stored as. ``read`` reads the rows
    (status.kept keeps them).
    """
    dates = (
        ModeEvent.objects.setting_status()
        .order_by("-date", "-date_precision")
        .values_list("date", "date_precision")
        .distinct()[:latest]
    )
    return [
        (date_span(day, precision)[1], format_fuzzy_date(day, precision))
        for day, precision in reversed(read(dates))
    ]


def indexed_spans(
    markets: "models.QuerySet[Market]", day: datetime.date, modes: list[str]
) -> tuple[list[Market], dict[tuple[int, str], StatusSpan | None]]:
    """The markets, and the span of each mode holding on ``day``, from the index."""
    holding = StatusSpan.objects.holding_on(day)
    rows = list(
        markets.with_related().annotate(
            **{
                f"span_{mode}": models.Subquery(
                    holding.latest_in_outer_market(mode).values("pk")[:1]
                )
                for mode in modes
            }
        )
    )
    found = StatusSpan.objects.in_bulk(
        {getattr(market, f"span_{mode}") for market in rows for mode in modes} - {None}
    )
    return rows, {
        (market.pk, mode): found.get(getattr(market, f"span_{mode}"))
        for market in rows
        for mode in modes
    }


def spans_worked_out(
    markets: list[Market],
    day: datetime.date,
    modes: list[str],
    known_on: datetime.date | None,
) -> dict[tuple[int, str], StatusSpan | None]:
    """The span of each market and mode holding on ``day``, worked out afresh."""
    resolved = resolved_spans(modes, known_on)
    spans = {}
    for market in markets:
        for mode in modes:
            span = span_on(resolved.get((market.pk, mode), ()), day)
            spans[market.pk, mode] = (
                StatusSpan.of(market.pk, mode, span) if span else None
            )
    return spans
