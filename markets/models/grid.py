"""The answers read from the status index: one cell, a market's row, a mode's answer,
the grid of every market."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from markets.answers import RUNNING, Answer
from markets.models.choices import Mode
from markets.models.events import ModeEvent
from markets.models.markets import Market
from markets.models.sources import Dispute, Source
from markets.models.status import StatusSpan


@dataclass(frozen=True)
class ModeStatus:
    """The answer for one mode in one market on one day, and the evidence behind it."""

    market: Market
    mode: str
    day: datetime.date
    span: StatusSpan | None
    #: The events the answer names, by id, with the evidence the reader may see.
    events: dict[int, "ModeEvent"]

    @property
    def status(self) -> str:
        return self.span.status if self.span else Answer.NO_EVIDENCE

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
        return self.span.since if self.span else None

    @property
    def certain_from(self) -> datetime.date | None:
        return self.span.certain_from if self.span else None

    @property
    def previous_status(self) -> str:
        if not self.uncertain:
            return ""
        return self.span.previous_status or Answer.NO_EVIDENCE

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
        """The newest evidence is older than the day by more than the threshold.

        An answer resting on no dated source is as stale as an old one.
        """
        if self.span is None:
            return False
        if self.evidence_on is None:
            return True
        return (self.day - self.evidence_on).days > settings.LOOPWATCH_STALE_AFTER_DAYS

    def get_status_display(self) -> str:
        return Answer(self.status).label

    def get_previous_status_display(self) -> str:
        return Answer(self.previous_status).label if self.previous_status else ""

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

    @property
    def uncertainty_note(self) -> str:
        """Why the status on this day cannot be told, in the reader's language."""
        if not self.uncertain:
            return ""
        if len(self.claims) > 1:
            return _(
                "The sources disagree on when this happened: the claims span the days "
                "up to %(last)s, so on %(day)s it may still be %(before)s. It is "
                "certain from %(after)s."
            ) % {
                "last": self.span.end.isoformat(),
                "day": self.day.isoformat(),
                "before": self.get_previous_status_display().lower(),
                "after": self.certain_from.isoformat(),
            }
        return _(
            "The source dates “%(kind)s” only to %(date)s, not to the day, so on "
            "%(day)s it may not have happened yet. It is certain from %(after)s."
        ) % {
            "kind": self.event.get_kind_display(),
            "date": self.event.date_display,
            "day": self.day.isoformat(),
            "after": self.certain_from.isoformat(),
        }


@dataclass(frozen=True)
class MarketStatusRow:
    """One market's cells in the status grid, one per mode, in the grid's mode order."""

    market: Market
    cells: list[ModeStatus]

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
    live: list[Market]
    beta: list[Market]
    closed: list[Market]
    considering: list[Market]
    uncertain: list[ModeStatus]
    implied: list[ModeStatus]
    stale: list[Market]

    def get_mode_display(self) -> str:
        return Mode(self.mode).label

    @property
    def stale_after_days(self) -> int:
        return settings.LOOPWATCH_STALE_AFTER_DAYS

    @staticmethod
    def _by_event(cells: list[ModeStatus]) -> list[tuple[ModeStatus, list[Market]]]:
        groups: dict[int, tuple[ModeStatus, list[Market]]] = {}
        for cell in cells:
            key = cell.span.dispute_id or cell.event.pk
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


@dataclass(frozen=True)
class StatusGrid:
    """Every market's status in every mode on one day: the first article's answer."""

    day: datetime.date
    modes: list[str]
    rows: list[MarketStatusRow]

    @property
    def mode_labels(self) -> list[tuple[str, str]]:
        return [(mode, Mode(mode).label) for mode in self.modes]

    @property
    def answers(self) -> list[ModeAnswer]:
        by_mode: dict[str, dict[str, list]] = {
            mode: {status: [] for status in Answer.values}
            | {"uncertain": [], "implied": [], "stale": []}
            for mode in self.modes
        }
        for row in self.rows:
            for cell in row.cells:
                found = by_mode[cell.mode]
                if cell.uncertain:
                    found["uncertain"].append(cell)
                elif cell.implied:
                    found["implied"].append(cell)
                else:
                    found[cell.status].append(row.market)
                if cell.stale and cell.is_running:
                    found["stale"].append(row.market)
        return [
            ModeAnswer(
                mode=mode,
                live=found[Answer.LIVE],
                beta=found[Answer.BETA],
                closed=found[Answer.CLOSED],
                considering=found[Answer.CONSIDERING],
                uncertain=found["uncertain"],
                implied=found["implied"],
                stale=found["stale"],
            )
            for mode, found in by_mode.items()
        ]
