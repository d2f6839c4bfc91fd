"""The answers read from the status index: one cell, a market's row, a mode's answer,
the grid of every market."""

import datetime
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.conf import settings

from markets.models.choices import Mode
from markets.models.events import ModeEvent
from markets.models.markets import Market
from markets.models.sources import Dispute, Source
from markets.vocabulary import Status, look_of, statuses_in_order
from status.answers import RUNNING
from status.models import StatusSpan, span_events
from status.starts import Start, start_of
from status.wording import AnswerWords, shown_as


def is_stale(day: datetime.date, evidence_on: datetime.date | None) -> bool:
    """The newest evidence is older than the day by more than the threshold.

    An answer resting on no dated source is as stale as an old one.
    """
    if evidence_on is None:
        return True
    return (day - evidence_on).days > settings.LOOPWATCH_STALE_AFTER_DAYS


def cell_drawing_key(mode: str, day: datetime.date, span: dict | None) -> tuple:
    """What a cell shows, drawn in any form, depends on this and the language alone.

    ``span``: the id, ``uncertain`` and ``evidence_on`` of the span holding on the day.
    A span is written again, under a new id, whenever an event, quote, source or
    dispute it shows changes (StatusSpan), so its id stands for all of them; the day
    counts only through staleness, and where an uncertain cell names it.
    """
    if span is None:
        return ("no-evidence", mode)
    evidence_on = span["evidence_on"]
    if isinstance(evidence_on, str):
        evidence_on = datetime.date.fromisoformat(evidence_on)
    uncertain = bool(span["uncertain"])
    return (span["id"], is_stale(day, evidence_on), day if uncertain else None)


class NamedEvents(Mapping):
    """The published events some spans name, with the evidence the reader may see,
    read when first used: first for the spans still to be drawn (``only_for``), the
    rest only if something asks for them.

    A cell drawn before (``ModeStatus.drawing_key``) needs none of them: an answer whose
    cells are all cached reads no event at all.
    """

    def __init__(
        self,
        spans: Iterable["StatusSpan | None"],
        known_on: datetime.date | None = None,
    ) -> None:
        self._named = self._ids(spans)
        self._known_on = known_on
        self._first: set[int] | None = None
        self._asked: set[int] = set()
        self._read: dict[int, ModeEvent] = {}

    @staticmethod
    def _ids(spans: Iterable["StatusSpan | None"]) -> set[int]:
        return {pk for span in spans for pk in span_events(span)}

    def only_for(self, spans: Iterable["StatusSpan | None"]) -> None:
        """Read, when first used, only the events of these spans."""
        self._first = self._ids(spans)

    def _read_events(self, ids: set[int]) -> None:
        ids = ids - self._asked
        if not ids:
            return
        self._asked |= ids
        self._read.update(
            ModeEvent.objects.published()
            .filter(pk__in=ids)
            .select_related("dispute")
            .with_evidence(self._known_on)
            .in_bulk()
        )

    def __getitem__(self, pk: int) -> ModeEvent:
        if pk not in self._asked:
            first = self._first if self._first and pk in self._first else self._named
            self._read_events(first)
        return self._read[pk]

    def __iter__(self) -> Iterator[int]:
        self._read_events(self._named)
        return iter(self._read)

    def __len__(self) -> int:
        self._read_events(self._named)
        return len(self._read)


@dataclass(frozen=True)
class ModeStatus:
    """The answer for one mode in one market on one day, and the evidence behind it."""

    market: Market
    mode: str
    day: datetime.date
    span: StatusSpan | None
    #: The events the answer names, by id, with the evidence the reader may see.
    events: Mapping[int, "ModeEvent"]

    @property
    def drawing_key(self) -> tuple | None:
        """See ``cell_drawing_key``; None where the drawing may not be kept: a span
        worked out for the asking (``known_on``), or one marked ``unsure``."""
        span = self.span
        if span is not None and (span.pk is None or span.unsure):
            return None
        return cell_drawing_key(
            self.mode,
            self.day,
            span
            and {
                "id": span.pk,
                "uncertain": span.uncertain,
                "evidence_on": span.evidence_on,
            },
        )

    @property
    def status(self) -> str:
        return self.span.status if self.span else Status.NO_EVIDENCE

    @property
    def event(self) -> "ModeEvent | None":
        """The event that decides the answer, or implies it."""
        return self.events.get(self.span.event_id) if self.span else None

    @property
    def claims(self) -> list["ModeEvent"]:
        """Every claim the answer rests on: the disputed ones side by side, or one."""
        if self.span is None:
            return []
        ids = self.span.claim_ids or [self.span.event_id]
        return [self.events[pk] for pk in ids if pk in self.events]

    @property
    def disputed_claims(self) -> list["ModeEvent"]:
        """The claims side by side where a dispute makes more than one; else none."""
        claims = self.claims
        return claims if len(claims) > 1 else []

    @property
    def dispute(self) -> "Dispute | None":
        for event in self.claims:
            if event.dispute_id:
                return event.dispute
        return None

    @property
    def uncertain(self) -> bool:
        return bool(self.span and self.span.uncertain)

    @property
    def implied(self) -> bool:
        return bool(self.span and self.span.implied)

    @property
    def scheduled(self) -> bool:
        return bool(self.span and self.span.scheduled)

    @property
    def since(self) -> datetime.date | None:
        """The day the answer began, where its sources give that day; else None."""
        return self.start.day if self.start else None

    @property
    def certain_from(self) -> datetime.date | None:
        return self.span.certain_from if self.span else None

    @property
    def previous_status(self) -> str:
        if not self.uncertain:
            return ""
        return self.span.previous_status or Status.NO_EVIDENCE

    @property
    def evidence_on(self) -> datetime.date | None:
        """The last day the newest source behind the answer may have been published."""
        return self.span.evidence_on if self.span else None

    @property
    def evidence_source(self) -> "Source | None":
        """The newest source behind the answer, where the reader may see it."""
        if self.span is None or self.span.evidence_source_id is None:
            return None
        for event in self.claims or [self.event]:
            for evidence in event.evidence.all():
                if evidence.source_id == self.span.evidence_source_id:
                    return evidence.source
        return None

    @property
    def stale(self) -> bool:
        """The newest evidence is too old for the day (``is_stale``)."""
        return self.span is not None and is_stale(self.day, self.evidence_on)

    def get_status_display(self) -> str:
        return Status(self.status).label

    def get_previous_status_display(self) -> str:
        return Status(self.previous_status).label if self.previous_status else ""

    def get_mode_display(self) -> str:
        return Mode(self.mode).label

    @property
    def is_running(self) -> bool:
        """The mode is open to sellers here: live or in beta."""
        return self.status in RUNNING

    @property
    def may_run(self) -> bool:
        """The mode runs, or may: implied, or on either side of an uncertain day."""
        return self.is_running or self.previous_status in RUNNING

    @cached_property
    def start(self) -> Start | None:
        """When the answer began, as its deciding claims date it; None where no
        source speaks, or the answer is implied since a day no source gives."""
        if self.span is None or self.implied or self.event is None:
            return None
        others = [claim for claim in self.claims if claim is not self.event]
        return start_of([self.event, *others])

    @cached_property
    def words(self) -> AnswerWords:
        """The answer worded at every length, in the active language
        (status.wording)."""
        return AnswerWords(self)

    @property
    def shown(self) -> str:
        """How the answer is drawn: uncertain, scheduled, or its status."""
        return shown_as(self)

    @property
    def glyph(self) -> str:
        """The answer's glyph, which says it where colour cannot."""
        return look_of(self.shown).glyph


@dataclass(frozen=True)
class MarketStatusRow:
    """One market's cells in the status grid, one per mode, in the grid's mode order."""

    market: Market
    cells: list[ModeStatus]

    @property
    def drawing_key(self) -> tuple | None:
        """What the row's HTML shows: the market's code, names, region and day, and each
        cell's drawing (``ModeStatus.drawing_key``); None where a cell may not be kept."""
        cells = tuple(cell.drawing_key for cell in self.cells)
        if None in cells:
            return None
        market, region = self.market, self.market.region
        names = (market.code, market.name_zh, market.name_en)
        # The market's link keeps the day: the row is drawn per day, its cells are not.
        names += (self.day,)
        return (market.pk, *names, region.pk, region.name_zh, region.name_en, cells)

    @property
    def day(self) -> datetime.date:
        return self.cells[0].day

    @property
    def has_evidence(self) -> bool:
        """Some source speaks of a mode here by the day: the market has a row (a card
        on a phone); the others are named once, together (StatusGrid)."""
        return any(cell.span is not None for cell in self.cells)

    @property
    def modes_without_evidence(self) -> list[str]:
        """The modes no source speaks of here: named in one line on a phone, not a
        "No evidence" pill each."""
        return [cell.get_mode_display() for cell in self.cells if cell.span is None]

    @property
    def stale_said_once(self) -> bool:
        """Several answers here rest on evidence too old, and no answer on fresher:
        the card says "stale" once for them all, not once per answer."""
        answered = [cell for cell in self.cells if cell.span is not None]
        return len(answered) > 1 and all(cell.stale for cell in answered)

    @property
    def rank(self) -> int:
        """0 where the semi-closed loop surely runs, 1 where it may, 2 elsewhere."""
        for cell in self.cells:
            if cell.mode != Mode.SEMI_CLOSED_LOOP:
                continue
            if cell.is_running and not (cell.uncertain or cell.implied):
                return 0
            if cell.may_run:
                return 1
        return 2


@dataclass(frozen=True)
class ModeAnswer:
    """Where one mode stands on the grid's day: the markets by answer."""

    mode: str
    #: The day answered: the markets' links keep it.
    day: datetime.date
    #: The markets whose answer is certain and not implied, by that answer.
    by_status: dict[str, list[Market]]
    uncertain: list[ModeStatus]
    implied: list[ModeStatus]
    #: Cells whose answer was only announced ahead: never counted as done.
    scheduled: list[ModeStatus]
    stale: list[Market]
    #: What the sentences show: each market's code and names and each cell's drawing
    #: (``ModeStatus.drawing_key``), in the grid's order; None where a cell may not be
    #: kept.
    drawing_key: tuple | None = None

    def get_mode_display(self) -> str:
        return Mode(self.mode).label

    @property
    def running(self) -> list[tuple[Status, list[Market]]]:
        """Each status in which the mode runs, with its markets: said even where it
        is none ("in no market")."""
        return [
            (status, self.by_status[status])
            for status in statuses_in_order()
            if status.running
        ]

    @property
    def not_running(self) -> list[tuple[Status, list[Market]]]:
        """Each other status some market has, with those markets; "no evidence" is
        left to the grid, which shows every market."""
        return [
            (status, self.by_status[status])
            for status in statuses_in_order()
            if not status.running
            and status != Status.NO_EVIDENCE
            and self.by_status[status]
        ]

    @property
    def stale_after_days(self) -> int:
        return settings.LOOPWATCH_STALE_AFTER_DAYS

    @staticmethod
    def _by_event(cells: list[ModeStatus]) -> list[tuple[ModeStatus, list[Market]]]:
        groups: dict[int, tuple[ModeStatus, list[Market]]] = {}
        for cell in cells:
            key = cell.span.dispute_id or cell.span.event_id
            groups.setdefault(key, (cell, []))[1].append(cell.market)
        return list(groups.values())

    @property
    def uncertain_by_event(self) -> list[tuple[ModeStatus, list[Market]]]:
        """Uncertain cells grouped by the claims that make them so: one reason each."""
        return self._by_event(self.uncertain)

    @property
    def implied_by_event(self) -> list[tuple[ModeStatus, list[Market]]]:
        """Cells where a later transition implies the mode ran, by that transition."""
        return self._by_event(self.implied)

    @property
    def scheduled_by_event(self) -> list[tuple[ModeStatus, list[Market]]]:
        """Cells whose answer was announced ahead and not reported done, by the
        announcement."""
        return self._by_event(self.scheduled)


@dataclass(frozen=True)
class StatusGrid:
    """Every market's status in every mode on one day: the first article's answer.

    Markets where the semi-closed loop runs lead, the ones whose answer is uncertain
    or implied follow, then the rest. The cells are read when first used: a grid drawn
    before (``drawing_key``) reads none. Made by status.selectors.status_grid, which
    says how the cells and the key are read.
    """

    day: datetime.date
    modes: list[str]
    #: Reads every cell of the grid (status.selectors.status_on).
    read_cells: Callable[[], list[ModeStatus]]
    #: Works out what the grid shows (status.selectors.status_drawing_key).
    read_drawing_key: Callable[[], str | None]
    known_on: datetime.date | None = None

    @cached_property
    def rows(self) -> list[MarketStatusRow]:
        rows: dict[int, list[ModeStatus]] = {}
        markets: dict[int, Market] = {}
        for cell in self.read_cells():
            rows.setdefault(cell.market.pk, []).append(cell)
            markets[cell.market.pk] = cell.market
        grid = [MarketStatusRow(markets[pk], cells) for pk, cells in rows.items()]
        grid.sort(key=lambda row: (row.rank, row.market.code))
        return grid

    @cached_property
    def drawing_key(self) -> str | None:
        """What the grid shows depends on this and the language alone
        (status.selectors.status_drawing_key); None for a grid of evidence known by a
        day, worked out when asked."""
        if self.known_on is not None:
            return None
        return self.read_drawing_key()

    @property
    def rows_with_evidence(self) -> list[MarketStatusRow]:
        return [row for row in self.rows if row.has_evidence]

    @property
    def markets_without_evidence(self) -> list[Market]:
        """Markets no source speaks of in any mode by the day: one line names them
        all, rather than a row of "No evidence" each."""
        return [row.market for row in self.rows if not row.has_evidence]

    @property
    def mode_labels(self) -> list[tuple[str, str]]:
        return [(mode, Mode(mode).label) for mode in self.modes]

    @property
    def answers(self) -> list[ModeAnswer]:
        by_mode: dict[str, dict[str, Any]] = {
            mode: {"by_status": {status: [] for status in Status.values}}
            | {"uncertain": [], "implied": [], "scheduled": [], "stale": []}
            for mode in self.modes
        }
        shown: dict[str, list[tuple]] = {mode: [] for mode in self.modes}
        for row in self.rows:
            market = row.market
            for cell in row.cells:
                shown[cell.mode].append(
                    (market.pk, market.code, market.name_zh, market.name_en)
                    + (cell.drawing_key,)
                )
                found = by_mode[cell.mode]
                if cell.uncertain:
                    found["uncertain"].append(cell)
                elif cell.implied:
                    found["implied"].append(cell)
                elif cell.scheduled:
                    found["scheduled"].append(cell)
                else:
                    found["by_status"][cell.status].append(row.market)
                if cell.stale and cell.is_running:
                    found["stale"].append(row.market)
        # The sentences name the events of the uncertain, implied and scheduled cells
        # alone.
        named = [
            cell.span
            for found in by_mode.values()
            for group in ("uncertain", "implied", "scheduled")
            for cell in found[group]
        ]
        if named:
            self.rows[0].cells[0].events.only_for(named)
        return [
            ModeAnswer(
                mode=mode,
                day=self.day,
                by_status=found["by_status"],
                uncertain=found["uncertain"],
                implied=found["implied"],
                scheduled=found["scheduled"],
                stale=found["stale"],
                drawing_key=(
                    None
                    if any(key[-1] is None for key in shown[mode])
                    else (mode, self.day, tuple(shown[mode]))
                ),
            )
            for mode, found in by_mode.items()
        ]
