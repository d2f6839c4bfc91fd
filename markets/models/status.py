"""The status index: the claims the rule reads, the spans it writes, and their rewriting."""

import dataclasses
import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from markets.dates import date_span
from markets.models.choices import EventScope, Mode, Publication, Status, StatusSet
from markets.models.events import EventEvidence, ModeEvent
from markets.models.markets import Market
from markets.models.sources import Dispute, Source, published_by
from status.answers import UNKNOWN_START, Claim, SourceDate, Span, resolve


@dataclass(frozen=True)
class Supposing:
    """Changes of publication not made yet, which the claims are read as if made: what
    the answer would be once these events are published, or returned to draft (a
    preview, status.preview)."""

    #: Events read as published, whatever their publication now.
    published: frozenset[int] = frozenset()
    #: Events read as drafts, whatever their publication now.
    drafts: frozenset[int] = frozenset()

    def events_setting_status(self) -> "models.QuerySet[ModeEvent]":
        """``ModeEvent.objects.setting_status()``, with these changes made."""
        if not (self.published or self.drafts):
            return ModeEvent.objects.setting_status()
        return (
            ModeEvent.objects.exclude(status_set=StatusSet.NONE)
            .filter(Q(publication=Publication.PUBLISHED) | Q(pk__in=self.published))
            .exclude(pk__in=self.drafts)
        )


#: The record as it is.
AS_IT_IS = Supposing()


def status_claims(
    mode: str,
    known_on: datetime.date | None = None,
    market_ids: Iterable[int] | None = None,
    supposing: Supposing = AS_IT_IS,
) -> tuple[dict[int, list[Claim]], list[Claim]]:
    """The claims of one mode: those naming each market, and the worldwide ones.

    Three queries, whatever the number of events. With ``known_on``, an event counts only
    if a source published by then supports it, and only those sources date it. With
    ``market_ids``, only those markets' claims (and every worldwide one) are read. With
    ``supposing``, the events it names are read as published or as drafts.
    """
    events = supposing.events_setting_status().filter(mode=mode)
    links = ModeEvent.markets.through.objects.filter(modeevent__in=events)
    if market_ids is not None:
        market_ids = list(market_ids)
        links = links.filter(market__in=market_ids)
        events = events.filter(
            Q(scope=EventScope.WORLDWIDE) | Q(pk__in=links.values("modeevent"))
        )
    evidence = EventEvidence.objects.filter(
        fact__in=events, source__publication=Publication.PUBLISHED
    )
    if known_on is not None:
        evidence = evidence.filter(published_by(known_on, "source__"))
    sources: dict[int, list[SourceDate]] = {}
    for fact, source, published_on, precision in evidence.values_list(
        "fact_id", "source_id", "source__published_on", "source__published_precision"
    ).iterator():
        sources.setdefault(fact, []).append(
            SourceDate.of(source, published_on, precision)
        )
    claims: dict[int, Claim] = {}
    for pk, status, day, precision, scheduled, scope, dispute in events.exclude(
        scope=EventScope.NONE
    ).values_list(
        "pk",
        "status_set",
        "date",
        "date_precision",
        "is_scheduled",
        "scope",
        "dispute_id",
    ):
        if known_on is not None and pk not in sources:
            continue
        first, last = date_span(day, precision)
        claims[pk] = Claim(
            event_id=pk,
            status=status,
            first=first,
            last=last,
            scheduled=scheduled,
            worldwide=scope == EventScope.WORLDWIDE,
            dispute_id=dispute,
            sources=tuple(sorted(sources.get(pk, ()), key=lambda s: s.source_id)),
        )
    by_market: dict[int, list[Claim]] = {}
    for event, market in links.values_list("modeevent_id", "market_id").iterator():
        if event in claims and not claims[event].worldwide:
            by_market.setdefault(market, []).append(claims[event])
    worldwide = [claim for claim in claims.values() if claim.worldwide]
    return by_market, worldwide


def resolved_spans(
    modes: Iterable[str],
    known_on: datetime.date | None = None,
    market_ids: Iterable[int] | None = None,
    supposing: Supposing = AS_IT_IS,
) -> dict[tuple[int, str], list[Span]]:
    """Every market's spans (or these markets') in each mode, by status.answers;
    a market and mode no claim speaks of has no key."""
    market_ids = None if market_ids is None else list(market_ids)
    found = {}
    for mode in modes:
        by_market, worldwide = status_claims(mode, known_on, market_ids, supposing)
        for market, claims in by_market.items():
            found[market, mode] = resolve([*claims, *worldwide])
    return found


@dataclass
class PendingRewrites:
    """What the changes inside ``rewrites_deferred()`` alter, rewritten at its end."""

    events: set[int] = dataclasses.field(default_factory=set)
    markets: set[int] = dataclasses.field(default_factory=set)
    modes: set[str] = dataclasses.field(default_factory=set)


_pending_rewrites: ContextVar[PendingRewrites | None] = ContextVar(
    "status_span_rewrites", default=None
)


def span_events(span: "StatusSpan | None") -> tuple[int, ...]:
    """The events a span names: the one deciding it and every claim it rests on."""
    if span is None:
        return ()
    return (span.event_id, *span.claim_ids)


class StatusSpanQuerySet(models.QuerySet):
    def holding_on(self, day: datetime.date) -> "StatusSpanQuerySet":
        """Spans started by ``day``: the latest one of each market and mode holds then."""
        return self.filter(start__lte=day)

    def latest_in_outer_market(self, mode: str) -> "StatusSpanQuerySet":
        """For a subquery over markets: this mode's spans there, the latest first."""
        return self.filter(market=models.OuterRef("pk"), mode=mode).order_by("-start")

    def rebuild(
        self,
        modes: Iterable[str] | None = None,
        market_ids: Iterable[int] | None = None,
    ) -> None:
        """Write the spans of these modes and markets (all by default) again."""
        modes = list(modes or Mode.values)
        market_ids = None if market_ids is None else list(market_ids)
        stale = self.filter(mode__in=modes)
        if market_ids is not None:
            stale = stale.filter(market__in=market_ids)
        with transaction.atomic():
            stale.delete()
            self.bulk_create(
                (
                    StatusSpan.of(market, mode, span)
                    for (market, mode), spans in resolved_spans(
                        modes, market_ids=market_ids
                    ).items()
                    for span in spans
                ),
                batch_size=5_000,
            )

    @contextmanager
    def rewrites_deferred(self) -> Iterator[None]:
        """Within, each change only notes what it alters; the spans are rewritten once,
        at the end, for all of them: for bulk writes (imports, data sets)."""
        if _pending_rewrites.get() is not None:
            yield
            return
        pending = PendingRewrites()
        token = _pending_rewrites.set(pending)
        try:
            yield
        finally:
            _pending_rewrites.reset(token)
        if pending.modes:
            self.rebuild(pending.modes)
        self.rewrite_for(pending.events, pending.markets)

    def rebuild_mode(self, mode: str) -> None:
        """Every span of a mode again (after a deletion), or once a deferral ends."""
        pending = _pending_rewrites.get()
        if pending is not None:
            pending.modes.add(mode)
        else:
            self.rebuild([mode])

    def rewrite_for(
        self, event_ids: Iterable[int], also_markets: Iterable[int] = ()
    ) -> None:
        """Rewrite the spans a change of these events can alter, and no others.

        Those are the spans of their modes, in the markets they and the other claims of
        their disputes name now or shaped before (``also_markets`` adds markets a link
        change just removed); a worldwide claim among them can alter every market.
        """
        event_ids, also_markets = list(event_ids), list(also_markets)
        pending = _pending_rewrites.get()
        if pending is not None:
            pending.events.update(event_ids)
            pending.markets.update(also_markets)
            return
        modes, markets = self.reach_of(event_ids, also_markets)
        if modes:
            self.rebuild(modes, markets)

    def reach_of(
        self, event_ids: Iterable[int], also_markets: Iterable[int] = ()
    ) -> tuple[set[str], set[int] | None]:
        """The modes, and the markets (None for every one), whose spans a change of
        these events can alter: see ``rewrite_for``, and a preview, which reads the
        same cells."""
        events = ModeEvent.objects.filter(pk__in=list(event_ids))
        related = ModeEvent.objects.filter(
            Q(pk__in=events.values("pk"))
            | Q(dispute__in=events.exclude(dispute=None).values("dispute"))
        )
        rows = list(related.values_list("pk", "mode", "scope"))
        ids = [pk for pk, _mode, _scope in rows]
        earlier = list(self.filter(event__in=ids).values_list("mode", "market"))
        modes = {mode for _pk, mode, _scope in rows} | {mode for mode, _m in earlier}
        if not modes:
            return set(), set()
        if any(scope == EventScope.WORLDWIDE for _pk, _mode, scope in rows):
            return modes, None
        linked = ModeEvent.markets.through.objects.filter(modeevent__in=ids)
        markets = (
            set(linked.values_list("market", flat=True))
            | {market for _mode, market in earlier}
            | set(also_markets)
        )
        return modes, markets


class StatusSpan(models.Model):
    """Days over which a mode's status in a market stays the same: the status index.

    Derived from the published events, their markets, disputes and sources, which stay
    the record (and have the history), by the one rule in status.answers. With market,
    mode and start side by side, the answer for any day is one index seek per market and
    mode. Every change of what the rule reads, or of what a cell shows (an event, its
    quotes, their sources, a dispute), rewrites the spans concerned under new ids
    (markets.signals), so a span's id stands for everything its cell shows; a change
    typed in SQL marks them ``unsure`` instead. A test holds the table to the rule
    after every kind of edit.
    """

    market = models.ForeignKey(
        Market, on_delete=models.CASCADE, related_name="status_spans", db_index=False
    )
    mode = models.CharField(max_length=20, choices=Mode.choices)
    start = models.DateField(help_text=_("The first day; 0001-01-01 for unknown."))
    end = models.DateField(
        null=True, blank=True, help_text=_("The last day; null while it lasts.")
    )
    status = models.CharField(max_length=12, choices=Status.choices)
    previous_status = models.CharField(max_length=12, blank=True)
    uncertain = models.BooleanField(default=False)
    implied = models.BooleanField(default=False)
    scheduled = models.BooleanField(default=False)
    event = models.ForeignKey(
        ModeEvent, on_delete=models.CASCADE, related_name="status_spans"
    )
    claim_ids = models.JSONField(default=list, blank=True)
    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    evidence_on = models.DateField(null=True, blank=True)
    evidence_source = models.ForeignKey(
        Source, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    unsure = models.BooleanField(
        default=False,
        help_text=_(
            "Something the span shows changed in SQL, without a save (caching.triggers): "
            "its answer is worked out afresh until the span is written again."
        ),
    )

    objects = StatusSpanQuerySet.as_manager()

    class Meta:
        verbose_name = _("status span")
        verbose_name_plural = _("status spans")
        indexes = [
            models.Index(fields=["market", "mode", "-start"], name="statusspan_latest")
        ]

    def __str__(self) -> str:
        return (
            f"{self.market_id} · {self.mode} · {self.start}–{self.end}: {self.status}"
        )

    @classmethod
    def of(cls, market_id: int, mode: str, span: Span) -> "StatusSpan":
        # The row's columns are the span's fields, name for name.
        return cls(market_id=market_id, mode=mode, **vars(span))

    @property
    def since(self) -> datetime.date | None:
        """The first day, or None where it is a day no source gives."""
        return None if self.start == UNKNOWN_START else self.start

    @property
    def certain_from(self) -> datetime.date | None:
        """The first day the answer is certain again: the one rule for every reader."""
        if not self.uncertain or self.end is None:
            return None
        return self.end + datetime.timedelta(days=1)
