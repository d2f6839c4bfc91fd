"""What a dataset release holds: the public record, read through the public querysets
and serializers the pages and the API use, as tables with a Table Schema each.

No rule of its own decides what is public: every row comes from a model's
``public()`` read (published rows, their published markets, the quotes of published
sources), and every related record named in a row is one the public may see
(``public_reported_via``, ``public_reacts_to``). A draft therefore never reaches a
release, as it never reaches a page.

The tables themselves, their columns and schemas, are datasets.tables.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django.db import models

from datasets.tables import BOOKKEEPING, RESOURCES, Row
from markets.api.serializers import (
    DisputeSerializer,
    MarketFigureSerializer,
    MarketSerializer,
    ModeEventSerializer,
    SourceSerializer,
)
from markets.models import (
    Dispute,
    Market,
    MarketFigure,
    ModeEvent,
    Region,
    Source,
)
from sellers.api.serializers import SellerCaseSerializer, SellerFigureSerializer
from sellers.models import SellerCase, SellerFigure, Strategy
from sellers.pairing import figure_placement


def natural_key(record: models.Model | None) -> str | None:
    return None if record is None else str(record.natural_key()[0])


class PublicRecord:
    """The record as the public sees it, read once, in one consistent state: each
    model's ``public()`` read, its prefetches giving each row only what the public
    may see of its relations."""

    def __init__(self) -> None:
        self.markets = list(Market.objects.public().order_by("code"))
        self.sources = list(Source.objects.public().order_by("slug"))
        self.disputes = list(Dispute.objects.public().order_by("slug"))
        self.events = list(ModeEvent.objects.public().order_by("date", "slug"))
        self.market_figures = list(
            MarketFigure.objects.public().order_by("metric_en", "uuid")
        )
        self.seller_cases = list(
            SellerCase.objects.public().with_public_figures().order_by("slug")
        )
        self.seller_figures = list(
            SellerFigure.objects.public().order_by("seller_case__slug", "id")
        )
        # The vocabularies have no drafts: the public sees the entries its records
        # name, and a release holds no others.
        regions: dict[str, Region] = {}
        for market in self.markets:
            regions.setdefault(market.region.code, market.region)
        for figure in self.market_figures:
            if figure.region is not None:
                regions.setdefault(figure.region.code, figure.region)
        for case in self.seller_cases:
            for region in case.target_regions.all():
                regions.setdefault(region.code, region)
        self.regions = [regions[code] for code in sorted(regions)]
        strategies = {
            strategy.code: strategy
            for case in self.seller_cases
            for strategy in case.strategies.all()
        }
        self.strategies: list[Strategy] = [
            strategies[code] for code in sorted(strategies)
        ]

    def tables(self) -> dict[str, list[Row]]:
        """Each resource's rows, as Python values, keyed by resource name."""
        builders: dict[str, Callable[[], Iterable[Row]]] = {
            **self.record_tables(),
            **self.seller_tables(),
            "evidence": self.evidence_rows,
        }
        return {
            resource.name: list(builders[resource.name]()) for resource in RESOURCES
        }

    def record_tables(self) -> dict[str, Callable[[], Iterable[Row]]]:
        """How the rows of the markets' tables are read: regions to market figures."""
        return {
            "regions": lambda: map(vocabulary_row, self.regions),
            "markets": lambda: (
                content_row(market, ("code", "name_zh", "name_en"))
                | {"region": market.region.code}
                for market in self.markets
            ),
            "sources": lambda: (
                content_row(source, ("slug", *Source.recorded_fields))
                | {"reported_via": natural_key(source.public_reported_via)}
                for source in self.sources
            ),
            "disputes": lambda: (
                values(dispute, ("slug", "note_zh", "note_en", "created_at"))
                | {"updated_at": dispute.updated_at}
                for dispute in self.disputes
            ),
            "mode-events": lambda: (
                content_row(event, ("slug", *ModeEvent.recorded_fields))
                | {
                    "date_earliest": event.date_earliest,
                    "date_latest": event.date_latest,
                    "dispute": natural_key(event.dispute),
                }
                for event in self.events
            ),
            "mode-event-markets": lambda: (
                {"mode_event": event.slug, "market": market.code}
                for event in self.events
                for market in event.markets.all()
            ),
            "market-figures": lambda: (
                content_row(figure, ("uuid", *MarketFigure.recorded_fields))
                | {
                    "region": natural_key(figure.region),
                    "dispute": natural_key(figure.dispute),
                }
                for figure in self.market_figures
            ),
            "market-figure-markets": lambda: (
                {"market_figure": str(figure.uuid), "market": market.code}
                for figure in self.market_figures
                for market in figure.markets.all()
            ),
        }

    def seller_tables(self) -> dict[str, Callable[[], Iterable[Row]]]:
        """How the rows of the sellers' tables are read: strategies to seller figures."""
        return {
            "strategies": lambda: map(vocabulary_row, self.strategies),
            "seller-cases": lambda: (
                content_row(case, ("slug", *SellerCase.recorded_fields))
                | {
                    "reacts_to": natural_key(case.public_reacts_to),
                    "dispute": natural_key(case.dispute),
                }
                for case in self.seller_cases
            ),
            "seller-case-markets": lambda: (
                {"seller_case": case.slug, "market": market.code}
                for case in self.seller_cases
                for market in case.target_markets.all()
            ),
            "seller-case-regions": lambda: (
                {"seller_case": case.slug, "region": region.code}
                for case in self.seller_cases
                for region in case.target_regions.all()
            ),
            "seller-case-strategies": lambda: (
                {"seller_case": case.slug, "strategy": strategy.code}
                for case in self.seller_cases
                for strategy in case.strategies.all()
            ),
            "seller-figures": lambda: (
                content_row(figure, ("uuid", *SellerFigure.recorded_fields))
                | {
                    "seller_case": figure.seller_case.slug,
                    "event_placement": figure_placement(
                        figure, figure.seller_case.public_event_span
                    ),
                    "dispute": natural_key(figure.dispute),
                }
                for figure in self.seller_figures
            ),
        }

    def evidence_rows(self) -> Iterable[Row]:
        facts: tuple[tuple[str, list[models.Model]], ...] = (
            ("mode-events", self.events),
            ("market-figures", self.market_figures),
            ("seller-cases", self.seller_cases),
            ("seller-figures", self.seller_figures),
        )
        for fact_type, records in facts:
            for fact in records:
                # The public() reads prefetch only quotes of published sources.
                for quote in fact.evidence.all():
                    yield {
                        "uuid": str(quote.uuid),
                        "fact_type": fact_type,
                        "fact_key": natural_key(fact),
                        "source": quote.source.slug,
                        "quote": quote.quote,
                        "claim": quote.claim,
                    }

    def as_the_api_shows_it(self) -> dict[str, list[dict[str, Any]]]:
        """Each record as the public API's serializers write it, evidence nested."""
        context = {"public": True}

        def serialized(serializer: type, records: list) -> list[dict[str, Any]]:
            return serializer(records, many=True, context=context).data

        return {
            "regions": [vocabulary_row(region) for region in self.regions],
            "markets": serialized(MarketSerializer, self.markets),
            "sources": serialized(SourceSerializer, self.sources),
            "disputes": serialized(DisputeSerializer, self.disputes),
            "mode-events": serialized(ModeEventSerializer, self.events),
            "market-figures": serialized(MarketFigureSerializer, self.market_figures),
            "strategies": [vocabulary_row(strategy) for strategy in self.strategies],
            "seller-cases": serialized(SellerCaseSerializer, self.seller_cases),
            "seller-figures": serialized(SellerFigureSerializer, self.seller_figures),
        }


def values(record: models.Model, names: Iterable[str]) -> Row:
    return {name: getattr(record, name) for name in names}


def content_row(record: models.Model, names: Iterable[str]) -> Row:
    return values(record, (*names, *BOOKKEEPING))


def vocabulary_row(entry: Region | Strategy) -> Row:
    return values(entry, ("code", "name_zh", "name_en"))
