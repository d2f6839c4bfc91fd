"""Regions and markets, and the market queries that read the status index."""

import datetime
import hashlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

import orjson
from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from markets.models.bases import (
    Bilingual,
    Content,
    PublishableQuerySet,
    Vocabulary,
    in_language,
)
from markets.models.choices import Mode, Publication, validate_country_code
from markets.vocabulary import Status
from status.answers import span_on

if TYPE_CHECKING:
    from markets.models.events import ModeEvent
    from markets.models.status import StatusSpan
    from status.grid import ModeStatus, StatusGrid


# --- Reference data ------------------------------------------------------------------


class Region(Vocabulary):
    """A group of markets that sources name as a whole (东南亚, 拉美, 中亚, …)."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


def market_label(code: str, name_zh: str, name_en: str) -> str:
    """How a market is named wherever it is picked: its code and its name."""
    return f"{code} · {in_language(name_zh, name_en)}"


def events_keeping(markets: Iterable["Market"]) -> "models.QuerySet[ModeEvent]":
    """The events that keep these markets from being deleted: a market that events
    concern is history, not a typo, and the many-to-many rows would otherwise vanish
    silently with it."""
    from markets.models.events import ModeEvent

    return ModeEvent.objects.filter(markets__in=markets).distinct()


def refuse_deleting_markets_with_events(markets: Iterable["Market"]) -> None:
    """Refuse to delete markets that events concern, naming the events."""
    events = events_keeping(markets)
    if events.exists():
        raise models.ProtectedError(
            _("Cannot delete a market that events concern: %(events)s.")
            % {"events": "; ".join(str(event) for event in events[:10])},
            set(events),
        )


class MarketQuerySet(PublishableQuerySet):
    def with_related(self) -> "MarketQuerySet":
        return self.select_related("region")

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse_deleting_markets_with_events(self)
        return super().delete()

    def public(self) -> "MarketQuerySet":
        """Published markets with what every public page shows of them."""
        return self.published().with_related()

    def with_status_on(
        self, day: datetime.date, modes: Iterable[str] | None = None
    ) -> "MarketQuerySet":
        """Annotate ``status_<mode>``: the answer on ``day`` as a column to filter on.

        The same span as ``status_on`` reads; "no_evidence" where no source speaks.
        """
        from markets.models.status import StatusSpan

        # Spans of events still published only: a filter never matches by a draft.
        spans = StatusSpan.objects.holding_on(day).filter(
            event__publication=Publication.PUBLISHED
        )
        return self.annotate(
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

    def status_grid(
        self,
        day: datetime.date,
        modes: Iterable[str] | None = None,
        known_on: datetime.date | None = None,
    ) -> "StatusGrid":
        """``status_on`` as rows of markets, those where the semi-closed loop runs first
        (StatusGrid), read when first drawn."""
        from status.grid import StatusGrid

        return StatusGrid(
            day=day, modes=list(modes or Mode.values), markets=self, known_on=known_on
        )

    def status_drawing_key(
        self, day: datetime.date, modes: Iterable[str] | None = None
    ) -> str | None:
        """What the answer on ``day`` shows, in any form, depends on this and the
        language alone: each market as shown, and in each mode the ``drawing_key`` of
        its cell (``cell_drawing_key``). One query, reading no event, and kept until a
        write reaches the spans or the markets: a write that changes none of it leaves
        every drawing of the answer in use.

        None where a span is ``unsure``: the answer is then worked out afresh.
        """
        from caching.kept import kept_drawing
        from markets.models.status import StatusSpan
        from status.grid import cell_drawing_key

        modes = list(modes or Mode.values)

        def shown() -> models.QuerySet:
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
            return self.annotate(**spans).values_list(*names, *spans)

        def key_of(markets: Iterable[tuple]) -> str | None:
            rows = []
            for market in markets:
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

        try:
            markets = self.query.sql_with_params()
        except EmptyResultSet:
            return key_of(())
        # The query of 747 subqueries costs more to build than to read kept.
        return kept_drawing(
            "status-drawing-key", (markets, day, tuple(modes)), lambda: key_of(shown())
        )

    def status_on(
        self,
        day: datetime.date,
        modes: Iterable[str] | None = None,
        known_on: datetime.date | None = None,
    ) -> list["ModeStatus"]:
        """Each market's answer in each mode on ``day``, market by market, mode by mode.

        The database finds the span holding that day for every (market, mode) in one
        query, one index seek each (see StatusSpan); the events the answers name are
        read when first used (NamedEvents), so cells drawn before cost nothing more.
        With ``known_on``, the answer is the rule's on the evidence of sources published
        by then, worked out when asked.
        """
        from status.grid import ModeStatus, NamedEvents

        modes = list(modes or Mode.values)
        if known_on is None:
            markets, spans = self._indexed_spans(day, modes)
            if any(span is not None and span.unsure for span in spans.values()):
                # Something a span shows changed without a save (SQL typed by hand):
                # never serve a draft or an old quote; work the answer out afresh.
                spans = self._resolved_spans(markets, day, modes, known_on)
        else:
            markets = list(self.with_related())
            spans = self._resolved_spans(markets, day, modes, known_on)
        events = NamedEvents(spans.values(), known_on)
        return [
            ModeStatus(market, mode, day, spans[market.pk, mode], events)
            for market in markets
            for mode in modes
        ]

    def _indexed_spans(
        self, day: datetime.date, modes: list[str]
    ) -> tuple[list["Market"], dict[tuple[int, str], "StatusSpan | None"]]:
        """The markets, and the span of each mode holding on ``day``, from the index."""
        from markets.models.status import StatusSpan

        holding = StatusSpan.objects.holding_on(day)
        markets = list(
            self.with_related().annotate(
                **{
                    f"span_{mode}": models.Subquery(
                        holding.latest_in_outer_market(mode).values("pk")[:1]
                    )
                    for mode in modes
                }
            )
        )
        found = StatusSpan.objects.in_bulk(
            {getattr(market, f"span_{mode}") for market in markets for mode in modes}
            - {None}
        )
        return markets, {
            (market.pk, mode): found.get(getattr(market, f"span_{mode}"))
            for market in markets
            for mode in modes
        }

    @staticmethod
    def _resolved_spans(
        markets: list["Market"],
        day: datetime.date,
        modes: list[str],
        known_on: datetime.date | None,
    ) -> dict[tuple[int, str], "StatusSpan | None"]:
        """The span of each market and mode holding on ``day``, worked out afresh."""
        from markets.models.status import StatusSpan, resolved_spans

        resolved = resolved_spans(modes, known_on)
        spans = {}
        for market in markets:
            for mode in modes:
                span = span_on(resolved.get((market.pk, mode), ()), day)
                spans[market.pk, mode] = (
                    StatusSpan.of(market.pk, mode, span) if span else None
                )
        return spans


class Market(Content, Bilingual):
    """A country where TikTok Shop runs, or may run, one of its modes."""

    natural_key_field = "code"

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2, upper case: DE, US, JP."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="markets",
        verbose_name=_("region"),
    )

    objects = MarketQuerySet.as_manager()

    class Meta(Content.Meta):
        ordering = ["code"]
        verbose_name = _("market")
        verbose_name_plural = _("markets")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"),
                name="market_code_upper_alpha2",
                violation_error_message=_("The code is two upper-case letters."),
            )
        ]

    def __str__(self) -> str:
        return market_label(self.code, self.name_zh, self.name_en)

    def get_absolute_url(self) -> str:
        return reverse("markets:market-detail", kwargs={"code": self.code})

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        refuse_deleting_markets_with_events(type(self).objects.filter(pk=self.pk))
        return super().delete(*args, **kwargs)
