"""The status index: the spans the rule writes, and their rewriting (the claims it
reads: status.claims)."""

import dataclasses
import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from markets.models.choices import EventScope, Mode
from markets.models.events import ModeEvent
from markets.models.markets import Market
from markets.models.sources import Dispute, Source
from markets.vocabulary import Status
from status.answers import UNKNOWN_START, Span
from status.claims import resolved_spans


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


#: A span's own fields, as the rule gives them and the row stores them.
SPAN_FIELDS = tuple(field.name for field in dataclasses.fields(Span))
_EVENT, _CLAIMS, _DISPUTE = (
    SPAN_FIELDS.index(name) for name in ("event_id", "claim_ids", "dispute_id")
)


def span_key(market_id: int, mode: str, values: Iterable) -> tuple:
    """What a span of a cell says, in SPAN_FIELDS order: comparable between a stored
    row and a worked-out span (the claims a tuple, as a list cannot be a key)."""
    values = list(values)
    values[_CLAIMS] = tuple(values[_CLAIMS])
    return (market_id, mode, *values)


def worked_out(
    modes: list[str], market_ids: list[int] | None
) -> Iterator["StatusSpan"]:
    """The spans of these modes and markets (None: all) as the rule works them out."""
    for (market, mode), spans in resolved_spans(modes, market_ids=market_ids).items():
        for span in spans:
            yield StatusSpan.of(market, mode, span)


@dataclass(frozen=True)
class Shown:
    """Events and disputes that a change altered: a span whose cell shows one is
    written again under a new id, even where the rule gives it unchanged."""

    events: frozenset[int] = frozenset()
    disputes: frozenset[int] = frozenset()

    def shown_by(
        self, event_id: int, claim_ids: Iterable[int], dispute_id: int | None
    ) -> bool:
        """Whether the span deciding by ``event_id`` on these claims shows one of them
        (as ``StatusSpanQuerySet.showing`` finds the spans showing an event)."""
        return (
            dispute_id in self.disputes
            or event_id in self.events
            or not self.events.isdisjoint(claim_ids)
        )


@dataclass(frozen=True)
class Reach:
    """What a change of some events can alter: the modes, the markets (None: every
    one) and what the cells show."""

    modes: set[str]
    markets: set[int] | None
    shown: Shown


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
            self.bulk_create(worked_out(modes, market_ids), batch_size=5_000)

    def bring_up_to_date(
        self,
        modes: Iterable[str],
        market_ids: Iterable[int] | None,
        renewing: "Shown",
    ) -> None:
        """Write only the spans of these modes and markets (None: all) that differ from
        what the rule works out now, and those showing what ``renewing`` names.

        A span the rule still gives and that shows nothing changed keeps its row and
        its id, so its drawn cell stays kept; every other stored span is deleted and
        each worked-out span without a kept match is inserted. A differing span is
        never UPDATEd in place: its id must change with what its cell shows
        (ModeStatus.drawing_key), and an ``unsure`` one is always written again.
        """
        modes = list(modes)
        market_ids = None if market_ids is None else list(market_ids)
        stored = self.filter(mode__in=modes)
        if market_ids is not None:
            stored = stored.filter(market__in=market_ids)
        kept: dict[tuple, list[int]] = {}
        stale: list[int] = []
        for pk, unsure, market, mode, *values in stored.values_list(
            "pk", "unsure", "market", "mode", *SPAN_FIELDS
        ):
            if unsure or renewing.shown_by(
                values[_EVENT], values[_CLAIMS], values[_DISPUTE]
            ):
                stale.append(pk)
            else:
                kept.setdefault(span_key(market, mode, values), []).append(pk)
        # Compared as the rule's spans: a model instance is made only for a new row.
        fresh = []
        for (market, mode), spans in resolved_spans(
            modes, market_ids=market_ids
        ).items():
            for span in spans:
                key = span_key(market, mode, (getattr(span, f) for f in SPAN_FIELDS))
                if same := kept.get(key):
                    same.pop()
                else:
                    fresh.append(StatusSpan.of(market, mode, span))
        stale += (pk for left in kept.values() for pk in left)
        with transaction.atomic():
            # In batches: SQLite takes at most 999 parameters a statement.
            for first in range(0, len(stale), 900):
                self.filter(pk__in=stale[first : first + 900]).delete()
            self.bulk_create(fresh, batch_size=5_000)

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
        reach = self.reach(event_ids, also_markets)
        if reach.modes:
            self.bring_up_to_date(reach.modes, reach.markets, reach.shown)

    def showing(
        self,
        event_id: "int | models.OuterRef",
        dispute_id: "int | models.OuterRef | None",
    ) -> "StatusSpanQuerySet":
        """The spans whose cells show the event: those it decides and, where it is
        disputed, its dispute's, whose cells list every claim (caching.triggers marks
        the same)."""
        shown = Q(event=event_id)
        if dispute_id is not None:
            shown |= Q(dispute=dispute_id)
        return self.filter(shown)

    def renew_showing(self, event_id: int, dispute_id: int | None) -> None:
        """Write the spans showing the event again as they are, under new ids, and no
        longer ``unsure``: after a save changing what their cells show but not what the
        rule reads (status.receivers), so each cell is drawn afresh (a drawing is kept
        by span id) and no span is worked out again."""
        pending = _pending_rewrites.get()
        if pending is not None:
            pending.events.add(event_id)
            return
        with transaction.atomic():
            spans = list(self.showing(event_id, dispute_id))
            self.showing(event_id, dispute_id).delete()
            for span in spans:
                span.pk = None
                span.unsure = False
            self.bulk_create(spans, batch_size=5_000)

    def reach_of(
        self, event_ids: Iterable[int], also_markets: Iterable[int] = ()
    ) -> tuple[set[str], set[int] | None]:
        """The modes, and the markets (None for every one), whose spans a change of
        these events can alter: see ``rewrite_for``, and a preview, which reads the
        same cells."""
        reach = self.reach(event_ids, also_markets)
        return reach.modes, reach.markets

    def reach(
        self, event_ids: Iterable[int], also_markets: Iterable[int] = ()
    ) -> "Reach":
        """``reach_of``, with the events and disputes whose cells the change alters."""
        events = ModeEvent.objects.filter(pk__in=list(event_ids))
        related = ModeEvent.objects.filter(
            Q(pk__in=events.values("pk"))
            | Q(dispute__in=events.exclude(dispute=None).values("dispute"))
        )
        rows = list(related.values_list("pk", "mode", "scope", "dispute"))
        ids = [pk for pk, _mode, _scope, _dispute in rows]
        shown = Shown(
            events=frozenset(ids),
            disputes=frozenset(dispute for *_row, dispute in rows if dispute),
        )
        earlier = list(self.filter(event__in=ids).values_list("mode", "market"))
        modes = {row[1] for row in rows} | {mode for mode, _m in earlier}
        if not modes:
            return Reach(set(), set(), shown)
        if any(row[2] == EventScope.WORLDWIDE for row in rows):
            return Reach(modes, None, shown)
        linked = ModeEvent.markets.through.objects.filter(modeevent__in=ids)
        markets = (
            set(linked.values_list("market", flat=True))
            | {market for _mode, market in earlier}
            | set(also_markets)
        )
        return Reach(modes, markets, shown)


class StatusSpan(models.Model):
    """Days over which a mode's status in a market stays the same: the status index.

    Derived from the published events, their markets, disputes and sources, which stay
    the record (and have the history), by the one rule in status.answers. With market,
    mode and start side by side, the answer for any day is one index seek per market and
    mode. Every change of what the rule reads, or of what a cell shows (an event, its
    quotes, their sources, a dispute), rewrites the spans concerned under new ids
    (status.receivers), so a span's id stands for everything its cell shows; a change
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
        # Kept from when the index lived with the record: a derived table moved in
        # the state only (status/migrations/0001_initial.py), with no SQL.
        db_table = "markets_statusspan"
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
        """The first day the answer is certain again: the one rule for every reader.

        None where nothing reported can make it certain: a change announced ahead stays
        unconfirmed after its announced days, however many pass.
        """
        if not self.uncertain or self.end is None or self.scheduled:
            return None
        return self.end + datetime.timedelta(days=1)
