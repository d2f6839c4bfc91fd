"""What publishing drafts (or returning published records to draft) would change in the
public answer, before it is done.

The answer is worked out twice by the one rule (status.answers, through
``resolved_spans``): from the record as it is, and from the record as if the change were
made (``Supposing``). Only the cells the change can reach are read, the same cells a
publication rewrites (``StatusSpanQuerySet.reach_of``), and each is compared day by day:
a preview lists every market × mode whose answer differs, on which days, from what to
what. Only events set statuses: records of any other kind preview no change.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from markets.dates import format_day_range
from markets.models import Content, Market, Mode, ModeEvent, Publication
from markets.vocabulary import Status
from status.answers import ONE_DAY, UNKNOWN_START, Span, span_on
from status.claims import Supposing, resolved_spans
from status.models import StatusSpan


@dataclass(frozen=True)
class PreviewAnswer:
    """What a reader is told of a cell on a day: two answers differ when this does.

    The fields of /api/status/ that say what the answer is, not which evidence
    decides it.
    """

    status: str
    uncertain: bool = False
    #: While uncertain, the status the day may still have; else empty.
    previous_status: str = ""
    implied: bool = False
    scheduled: bool = False

    @classmethod
    def of(cls, span: Span | None) -> "PreviewAnswer":
        """The answer a span gives, as ``ModeStatus`` tells it; no span: no evidence."""
        if span is None:
            return cls(Status.NO_EVIDENCE)
        return cls(
            status=span.status,
            uncertain=span.uncertain,
            previous_status=(
                (span.previous_status or Status.NO_EVIDENCE) if span.uncertain else ""
            ),
            implied=span.implied,
            scheduled=span.scheduled,
        )

    def get_status_display(self) -> str:
        return Status(self.status).label

    @property
    def in_words(self) -> str:
        """The answer in a few words: "beta", "live (implied)", "uncertain: live or
        closed", "closed (scheduled)"."""
        status = self.get_status_display().lower()
        if self.uncertain:
            return _("uncertain: %(before)s or %(after)s") % {
                "before": Status(self.previous_status).label.lower(),
                "after": status,
            }
        if self.implied:
            return _("%(status)s (implied)") % {"status": status}
        if self.scheduled:
            return _("%(status)s (scheduled)") % {"status": status}
        return status


@dataclass(frozen=True)
class ChangedDays:
    """Days over which a cell's answer would change from ``before`` to ``after``."""

    #: The first day; None where it is a day no source gives (an implied answer).
    first: datetime.date | None
    #: The last day; None where the change lasts until a claim says otherwise.
    last: datetime.date | None
    before: PreviewAnswer
    after: PreviewAnswer

    @property
    def days_display(self) -> str:
        """The days as a reader reads them: "2024-02-01 – 2024-02-29", "from
        2025-06-15", "until 2023-08-20" (since a day no source gives)."""
        if self.first and self.last:
            return format_day_range(self.first, self.last)
        if self.first:
            return _("from %(first)s") % {"first": self.first.isoformat()}
        if self.last:
            return _("until %(last)s") % {"last": self.last.isoformat()}
        return _("every day")

    @property
    def a_day(self) -> datetime.date:
        """A day inside the period, to ask the public answer about: its first day,
        else its last, else today."""
        return self.first or self.last or timezone.localdate()


@dataclass(frozen=True)
class CellPreview:
    """One market × mode whose answer would change, and the days it would change on."""

    market: Market
    mode: str
    periods: list[ChangedDays]

    def get_mode_display(self) -> str:
        return Mode(self.mode).label


def changed_days(before: list[Span], after: list[Span]) -> list[ChangedDays]:
    """The days on which the answer of one cell differs between two lists of spans.

    The spans of a cell follow one another without a gap (status.answers.resolve), so
    the answer can change only where a span of either list starts.
    """
    starts = sorted(
        {UNKNOWN_START}
        | {span.start for span in before}
        | {span.start for span in after}
    )
    periods: list[ChangedDays] = []
    for index, start in enumerate(starts):
        last = starts[index + 1] - ONE_DAY if index + 1 < len(starts) else None
        was = PreviewAnswer.of(span_on(before, start))
        now = PreviewAnswer.of(span_on(after, start))
        if was == now:
            continue
        previous = periods[-1] if periods else None
        if (
            previous is not None
            and (previous.before, previous.after) == (was, now)
            and previous.last == start - ONE_DAY
        ):
            periods[-1] = ChangedDays(previous.first, last, was, now)
            continue
        first = None if start == UNKNOWN_START else start
        periods.append(ChangedDays(first, last, was, now))
    return periods


def changing_events(
    records: Iterable[Content], state: str = Publication.PUBLISHED
) -> list[ModeEvent]:
    """Of these records, the events whose publication the change would alter: the
    others (figures, cases, sources, events already so) change no status here."""
    state = Publication(state)
    return [
        record
        for record in records
        if isinstance(record, ModeEvent) and record.publication != state
    ]


def publication_preview(
    records: Iterable[Content], state: str = Publication.PUBLISHED
) -> list[CellPreview]:
    """Every cell whose public answer would differ once these records are set to
    ``state`` (published by default; draft to preview a return to draft), by market
    code, then in the modes' order; empty where none would.

    Reads what ``content_set_publication`` then rewrites, by the same rule: about ten
    queries, whatever the number of records.
    """
    state = Publication(state)
    events = {event.pk for event in changing_events(records, state)}
    if not events:
        return []
    modes, market_ids = StatusSpan.objects.reach_of(events)
    if not modes:
        return []
    supposing = (
        Supposing(published=frozenset(events))
        if state == Publication.PUBLISHED
        else Supposing(drafts=frozenset(events))
    )
    now = resolved_spans(modes, market_ids=market_ids)
    then = resolved_spans(modes, market_ids=market_ids, supposing=supposing)
    changed = {}
    for cell in now.keys() | then.keys():
        periods = changed_days(now.get(cell, []), then.get(cell, []))
        if periods:
            changed[cell] = periods
    markets = Market.objects.with_related().in_bulk({market for market, _ in changed})
    order = {mode: index for index, mode in enumerate(Mode.values)}
    return sorted(
        (
            CellPreview(markets[market], mode, periods)
            for (market, mode), periods in changed.items()
        ),
        key=lambda cell: (cell.market.code, order[cell.mode]),
    )
