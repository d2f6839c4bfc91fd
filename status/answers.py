"""The status rule: from the dated claims about a mode in a market to the answer on a day.

This module is the one place that says what the sources mean for "is the mode live in
this market on day D". It works on plain values, with no query of its own, so the
status index (StatusSpan, written after every change of the record) and the answers
for an earlier knowledge date (``known_on``, computed when asked) share every line.

- A claim is a published event that sets a status, read as the range of days its
  wording allows. A claim of something that already happened ends, at the latest, on the
  last day its earliest source may have been published; a claim of something announced
  ahead (``is_scheduled``) does not, and the answer calls what follows it scheduled.
- Claims tied in one dispute act as one transition, spanning from the earliest day any of
  them allows to the latest: between those days the answer is uncertain.
- A closure implies that the mode ran before it, since a day no source gives.
- A worldwide claim concerns every market where the mode runs (or is implied to run)
  at that point; where no source says the mode ever ran, it changes nothing.
- Where no claim speaks, there is no evidence, which is not the same as "not running".
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from markets.dates import latest_day, latest_done_by
from markets.vocabulary import RUNNING, Status

ONE_DAY = datetime.timedelta(days=1)
#: The start of a span that runs "since a day no source gives".
UNKNOWN_START = datetime.date.min


@dataclass(frozen=True)
class SourceDate:
    """One source behind a claim: its id and the last day its publication date allows."""

    source_id: int
    published_by: datetime.date | None

    @classmethod
    def of(
        cls, source_id: int, published_on: datetime.date | None, precision: str
    ) -> "SourceDate":
        return cls(source_id, latest_day(published_on, precision))


@dataclass(frozen=True)
class Claim:
    """A published event's status, for the markets it concerns, as a range of days."""

    event_id: int
    status: str
    #: The earliest and the latest day the claim's wording allows.
    first: datetime.date
    last: datetime.date
    scheduled: bool = False
    worldwide: bool = False
    dispute_id: int | None = None
    sources: tuple[SourceDate, ...] = ()

    @property
    def latest(self) -> datetime.date:
        """The last day the claim allows: its wording's, or its source's publication.

        What a source reports as done happened by the time it was published; what it
        announces ahead may come later than that, or never.
        """
        return latest_done_by(
            self.first,
            self.last,
            [source.published_by for source in self.sources],
            self.scheduled,
        )

    @property
    def newest_source(self) -> SourceDate | None:
        """The source published last, by the last day its date allows."""
        dated = [source for source in self.sources if source.published_by]
        return max(dated, key=lambda source: source.published_by, default=None)


@dataclass
class Transition:
    """One claim, or the claims of one dispute: a change of status over a range of days."""

    claims: list[Claim]

    @property
    def earliest(self) -> datetime.date:
        return min(claim.first for claim in self.claims)

    @property
    def latest(self) -> datetime.date:
        return max(claim.latest for claim in self.claims)

    @property
    def status(self) -> str:
        # The claims of a dispute disagree on a date or a number, not on what happened;
        # should they differ, the latest claim's status is the one that lasts.
        return max(self.claims, key=lambda claim: claim.latest).status

    @property
    def worldwide_only(self) -> bool:
        return all(claim.worldwide for claim in self.claims)

    @property
    def scheduled(self) -> bool:
        return all(claim.scheduled for claim in self.claims)

    @property
    def lead(self) -> Claim:
        """The claim a reader is sent to first: one that names the market, if any."""
        named = [claim for claim in self.claims if not claim.worldwide]
        return min(
            named or self.claims, key=lambda claim: (claim.first, claim.event_id)
        )

    @property
    def sort_key(self) -> tuple:
        return (self.earliest, self.latest, min(c.event_id for c in self.claims))

    @property
    def newest_source(self) -> SourceDate | None:
        dated = [claim.newest_source for claim in self.claims if claim.newest_source]
        return max(dated, key=lambda source: source.published_by, default=None)


@dataclass
class Span:
    """Days over which the answer stays the same, and why.

    ``end`` is None for the last span, which lasts until a claim says otherwise.
    """

    start: datetime.date
    status: str
    event_id: int
    end: datetime.date | None = None
    previous_status: str = ""
    uncertain: bool = False
    implied: bool = False
    scheduled: bool = False
    claim_ids: list[int] = field(default_factory=list)
    dispute_id: int | None = None
    evidence_on: datetime.date | None = None
    evidence_source_id: int | None = None


def transitions(claims: Iterable[Claim]) -> list[Transition]:
    """The claims grouped by dispute, each group one transition, in the order of days."""
    grouped: dict[object, Transition] = {}
    for claim in claims:
        key = ("dispute", claim.dispute_id) if claim.dispute_id else ("event", claim)
        grouped.setdefault(key, Transition([])).claims.append(claim)
    return sorted(grouped.values(), key=lambda transition: transition.sort_key)


def resolve(claims: Iterable[Claim]) -> list[Span]:
    """The spans of one mode in one market, from the claims that concern it.

    ``claims`` holds the claims naming the market and the mode's worldwide ones.
    """
    ordered = transitions(claims)
    named = [transition for transition in ordered if not transition.worldwide_only]
    if not named:
        # Worldwide changes alone say nothing of a market no source says it ran in.
        return []
    spans: list[Span] = []

    def push(span: Span) -> None:
        # A transition that starts before the last one ended cuts that one short.
        while spans and spans[-1].start >= span.start:
            spans.pop()
        spans.append(span)

    status = ""
    first = named[0]
    if first.status == Status.CLOSED:
        status = Status.LIVE
        push(_span(first, UNKNOWN_START, status, implied=True))
    for transition in ordered:
        if transition.worldwide_only and status not in RUNNING:
            continue
        uncertain_days = transition.latest > transition.earliest or (
            len(transition.claims) > 1
        )
        if uncertain_days and transition.status != status:
            push(
                _span(
                    transition,
                    transition.earliest,
                    transition.status,
                    previous_status=status,
                    uncertain=True,
                    scheduled=transition.scheduled,
                )
            )
            start = transition.latest + ONE_DAY
        else:
            start = transition.earliest
        push(
            _span(transition, start, transition.status, scheduled=transition.scheduled)
        )
        status = transition.status
    for span, following in zip(spans, spans[1:], strict=False):
        span.end = following.start - ONE_DAY
    return spans


def _span(
    transition: Transition, start: datetime.date, status: str, **flags: object
) -> Span:
    newest = transition.newest_source
    claim_ids = sorted(claim.event_id for claim in transition.claims)
    return Span(
        start=start,
        status=status,
        event_id=transition.lead.event_id,
        claim_ids=claim_ids if len(claim_ids) > 1 else [],
        dispute_id=transition.claims[0].dispute_id,
        evidence_on=newest.published_by if newest else None,
        evidence_source_id=newest.source_id if newest else None,
        **flags,
    )


def span_on(spans: Iterable[Span], day: datetime.date) -> Span | None:
    """The span that holds on ``day``, or None where no source speaks yet."""
    found = None
    for span in spans:
        if span.start > day:
            break
        found = span
    return found
