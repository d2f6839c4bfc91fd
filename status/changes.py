"""What changed between two answers: two days, or one day as known on two days.

A question is a day and, optionally, the day by which its evidence had to be published
(``known_on``, as /api/status/ takes it). Comparing the answer to one question with the
answer to another finds every market × mode cell whose answer differs, with the events
that changed it and, where the two were asked as known on different days, the quotes
that became known in between.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from markets.dates import day_or_today, latest_day
from markets.models.choices import EventScope, Mode
from markets.models.events import EventEvidence, ModeEvent
from markets.models.markets import Market, MarketQuerySet
from status.grid import ModeStatus
from status.models import span_events
from status.selectors import status_on

#: The parameters a comparison is asked with, on the page and in the API: each one's
#: label and help.
ASKED = {
    "from": (
        _("First day"),
        _(
            "YYYY-MM-DD. May be left out with days of knowledge, and is then the last "
            "day."
        ),
    ),
    "to": (_("Last day"), _("YYYY-MM-DD; today when left out.")),
    "known_from": (
        _("First day as known on"),
        _("Answer the first day from sources surely published by this day only."),
    ),
    "known_to": (
        _("Last day as known on"),
        _("Answer the last day from sources surely published by this day only."),
    ),
}


@dataclass(frozen=True)
class Question:
    """The answer on ``day``, from the evidence published by ``known_on`` if given."""

    day: datetime.date
    known_on: datetime.date | None = None


@dataclass(frozen=True)
class Comparison:
    """The answer to ``before`` against the answer to ``after``."""

    before: Question
    after: Question

    @classmethod
    def asked(
        cls,
        first: datetime.date | None,
        last: datetime.date | None,
        known_first: datetime.date | None = None,
        known_last: datetime.date | None = None,
    ) -> "Comparison":
        """The comparison a reader asks for, by the parameters ``from``, ``to``,
        ``known_from`` and ``known_to``. ``to`` is today when left out; ``from`` may be
        left out only when knowledge dates are given, and is then ``to``: the same day
        as known on two days. Raises a ValidationError naming the parameter at fault.
        """
        last = day_or_today(last)
        if first is None:
            if known_first is None and known_last is None:
                raise ValidationError(
                    {"from": _("Give the first day, or the days of knowledge.")}
                )
            first = last
        if first > last:
            raise ValidationError({"to": _("The last day comes before the first day.")})
        if known_first and known_last and known_first > known_last:
            raise ValidationError(
                {"known_to": _("The second knowledge day comes before the first.")}
            )
        return cls(Question(first, known_first), Question(last, known_last))

    @classmethod
    def of_parameters(cls, given: Mapping[str, datetime.date | None]) -> "Comparison":
        """``asked`` with the parameters by name, as a form or a serializer cleans
        them."""
        return cls.asked(*(given.get(name) for name in ASKED))

    @property
    def learns(self) -> bool:
        """Whether the two answers rest on evidence known by different days."""
        return self.before.known_on != self.after.known_on


def answer_of(cell: ModeStatus) -> tuple:
    """What a reader is told of a cell: two cells differ when this does."""
    return (cell.status, cell.uncertain, cell.previous_status, cell.implied)


@dataclass(frozen=True)
class CellChange:
    """One market's answer in one mode, before and after, and what changed it."""

    before: ModeStatus
    after: ModeStatus
    #: The events deciding either answer, and those dated between the two days that
    #: name the market (``cells_changed_by``), oldest first, each with the evidence
    #: known by the later question.
    events: list[ModeEvent] = field(default_factory=list)
    #: The quotes of those events from sources published between the two knowledge
    #: days: what became known.
    became_known: list[EventEvidence] = field(default_factory=list)

    @property
    def market(self) -> Market:
        return self.after.market

    @property
    def mode(self) -> str:
        return self.after.mode

    def get_mode_display(self) -> str:
        return self.after.get_mode_display()

    @property
    def mode_short_label(self) -> str:
        return str(Mode(self.mode).short_label)

    @property
    def lead(self) -> ModeEvent | None:
        """The event a one-line summary names: the one deciding the answer after,
        else the latest listed."""
        decided_by = self.after.span.event_id if self.after.span else None
        for event in self.events:
            if event.pk == decided_by:
                return event
        return self.events[-1] if self.events else None


@dataclass(frozen=True)
class EventChanges:
    """One event and the changed cells it is listed under: its quotes are shown once
    however many markets it changed."""

    event: ModeEvent
    changes: list[CellChange]


def by_event(changes: Iterable[CellChange]) -> list[EventChanges]:
    """Each event listed under any change, once, oldest first, with its changes."""
    found: dict[int, EventChanges] = {}
    for change in changes:
        for event in change.events:
            found.setdefault(event.pk, EventChanges(event, [])).changes.append(change)
    return sorted(found.values(), key=lambda item: (item.event.date, item.event.slug))


def known_by(evidence: EventEvidence, day: datetime.date | None) -> bool:
    """Whether the quote's source was surely published by ``day`` (always, for no day),
    by the rule ``published_by`` asks the database."""
    if day is None:
        return True
    source = evidence.source
    last = latest_day(source.published_on, source.published_precision)
    return last is not None and last <= day


def changes_between(
    markets: MarketQuerySet,
    comparison: Comparison,
    modes: Iterable[str] | None = None,
) -> list[CellChange]:
    """Every cell of ``markets`` whose answer to ``comparison.after`` differs from its
    answer to ``comparison.before``, market by market, mode by mode."""
    before, after = comparison.before, comparison.after
    earlier = {
        (cell.market.pk, cell.mode): cell
        for cell in status_on(markets, before.day, modes, before.known_on)
    }
    changed = [
        (earlier[cell.market.pk, cell.mode], cell)
        for cell in status_on(markets, after.day, modes, after.known_on)
        if answer_of(earlier[cell.market.pk, cell.mode]) != answer_of(cell)
    ]
    if not changed:
        return []
    events = _events_changing(changed, comparison)
    changes = []
    for was, now in changed:
        shown = events[now.market.pk, now.mode]
        changes.append(
            CellChange(
                before=was,
                after=now,
                events=shown,
                became_known=[
                    evidence
                    for event in shown
                    for evidence in event.evidence.all()
                    if comparison.learns
                    and not known_by(evidence, before.known_on)
                    and known_by(evidence, after.known_on)
                ],
            )
        )
    return changes


#: A market × mode cell, by the market's id.
Cell = tuple[int, str]


def cells_changed_by(
    event: ModeEvent,
    deciding: Mapping[int, set[Cell]],
    changed: set[Cell],
    comparison: Comparison,
) -> set[Cell]:
    """The changed cells ``event`` is listed as a cause of: those whose answer before
    or after it decides (``deciding`` maps each event to those cells, by
    ``status.models.span_events``), whatever its date, and, if it is dated after the
    first day up to the last, the cells of its mode in the markets it names.

    Why not every event of the mode dated in between: a worldwide claim concerns only
    the markets where the mode runs at that point (the rule, ``status.answers``), so a
    worldwide closure changes nothing where the mode was not running, and listing it
    under a market whose change was, say, a launch misleads. Where it decides one of
    the two answers, the rule found it concerned the market then, and it is listed.
    Every claim of a dispute is listed by the same token: the span names them all.
    """
    cells = set(deciding.get(event.pk, ()))
    before, after = comparison.before.day, comparison.after.day
    if before < event.date <= after and event.scope != EventScope.WORLDWIDE:
        cells |= changed & {(market.pk, event.mode) for market in event.markets.all()}
    return cells


def _events_changing(
    changed: list[tuple[ModeStatus, ModeStatus]], comparison: Comparison
) -> dict[Cell, list[ModeEvent]]:
    """For each changed cell, the events ``cells_changed_by`` lists it under, oldest
    first; read in one query, with their markets and evidence."""
    before, after = comparison.before, comparison.after
    cells = {(now.market.pk, now.mode) for _was, now in changed}
    deciding: dict[int, set[Cell]] = defaultdict(set)
    for was, now in changed:
        for pk in {*span_events(was.span), *span_events(now.span)}:
            deciding[pk].add((now.market.pk, now.mode))
    # Only what cells_changed_by may keep: the deciding events, and those dated in
    # between that name a changed cell's market in its mode.
    named_between = Q(
        date__gt=before.day,
        date__lte=after.day,
        mode__in={mode for _market, mode in cells},
        markets__in={market for market, _mode in cells},
    ) & ~Q(scope=EventScope.WORLDWIDE)
    events = (
        ModeEvent.objects.published()
        .filter(named_between | Q(pk__in=list(deciding)))
        .distinct()
        .select_related("dispute")
        # The one-line summaries name each event by its headline, which names regions.
        .prefetch_related(
            Prefetch("markets", queryset=Market.objects.select_related("region"))
        )
        .with_evidence(after.known_on)
        .order_by("date", "slug")
    )
    found: dict[Cell, list[ModeEvent]] = defaultdict(list)
    for event in events:
        for cell in cells_changed_by(event, deciding, cells, comparison):
            found[cell].append(event)
    return found
