"""The claims the status rule reads, from the record: each published event setting a
status, with its markets, its dispute and the sources dating it; and the spans the rule
(status.answers) works out from them, as the record is or as it would be (Supposing)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q

from markets.dates import date_span, published_by
from markets.models.choices import EventScope, Publication, StatusSet
from markets.models.events import EventEvidence, ModeEvent
from status.answers import Claim, SourceDate, Span, resolve


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
    ``market_ids``, only those markets' claims (and every worldwide one) are read,
    starting from those markets (``events_reaching``). With ``supposing``, the events
    it names are read as published or as drafts.
    """
    events = supposing.events_setting_status().filter(mode=mode)
    if market_ids is not None:
        market_ids = list(market_ids)
        events = events.filter(pk__in=events_reaching(mode, market_ids))
    links = ModeEvent.markets.through.objects.filter(modeevent__in=events)
    if market_ids is not None:
        links = links.filter(market__in=market_ids)
    claims = _claims(events, _source_dates(events, known_on), known_on)
    by_market: dict[int, list[Claim]] = {}
    for event, market in links.values_list("modeevent_id", "market_id").iterator():
        if event in claims and not claims[event].worldwide:
            by_market.setdefault(market, []).append(claims[event])
    worldwide = [claim for claim in claims.values() if claim.worldwide]
    return by_market, worldwide


def events_reaching(mode: str, market_ids: list[int]) -> "models.QuerySet":
    """The ids of the events of ``mode`` that can speak of these markets: those the
    market links name (any mode's, narrowed by the caller) and the mode's worldwide
    ones (its own index, modeevent_worldwide).

    A UNION, not an OR: an OR of the two asks the planner to read every event of the
    mode and probe each one's links, where the union seeks a few hundred rows. A
    region's events name their markets through the links, as named markets do.
    """
    named = (
        ModeEvent.markets.through.objects.filter(market__in=market_ids)
        .values("modeevent_id")
        .order_by()
    )
    worldwide = (
        ModeEvent.objects.filter(mode=mode, scope=EventScope.WORLDWIDE)
        .values("pk")
        .order_by()
    )
    return named.union(worldwide)


def _source_dates(
    events: "models.QuerySet[ModeEvent]", known_on: datetime.date | None
) -> dict[int, list[SourceDate]]:
    """The published sources behind each event (those published by ``known_on``)."""
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
    return sources


def _claims(
    events: "models.QuerySet[ModeEvent]",
    sources: dict[int, list[SourceDate]],
    known_on: datetime.date | None,
) -> dict[int, Claim]:
    """Each event concerning some market as a claim; with ``known_on``, only those a
    source then published supports."""
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
    return claims


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
