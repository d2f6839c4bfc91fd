"""Fast reads of seller cases: SellerCaseSerializer's exact JSON in two queries.

The cases arrive as plain rows carrying their markets, regions, strategies and quotes
as JSON; their figures, with their own quotes, in one more query. See
markets.api.readers for why, and tests/sellers/test_api_readers.py for the proof that
the output is the serializer's.
"""

from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from typing import Any

from django.db.models import F, QuerySet, Subquery

from markets.api.readers import (
    FACT_COLUMNS,
    evidence_list,
    fact_fields,
    in_order,
    iso_date,
    keyed_codes,
    market_links,
    public_or_all,
)
from markets.models import Publication, format_figure
from sellers.models import (
    SellerCase,
    SellerCaseEvidence,
    SellerFigure,
    SellerFigureEvidence,
    event_span,
    seller_display_name,
)
from sellers.pairing import figure_placement

CASE_COLUMNS = ("id", "slug", *SellerCase.recorded_fields, *FACT_COLUMNS)
FIGURE_COLUMNS = (
    "id",
    "uuid",
    "seller_case_id",
    *SellerFigure.recorded_fields,
    *FACT_COLUMNS,
)


def case_rows(queryset: QuerySet, *, public: bool) -> QuerySet:
    """The cases of ``queryset`` as plain rows, with their lists and reacted event.

    ``public``: only published markets, and quotes of published sources, as the pages.
    """
    return queryset.prefetch_related(None).values(
        *CASE_COLUMNS,
        reacts_to_slug=F("reacts_to__slug"),
        reacts_to_publication=F("reacts_to__publication"),
        **case_lists(public),
    )


@cache
def case_lists(public: bool) -> dict[str, Subquery]:
    """The nested lists of a case row, built once: building costs more than running."""
    markets = market_links(SellerCase.target_markets.through.objects.all(), public)
    return {
        "keyed_markets": keyed_codes(markets, "sellercase", "market"),
        "keyed_regions": keyed_codes(
            SellerCase.target_regions.through.objects.all(), "sellercase", "region"
        ),
        "keyed_strategies": keyed_codes(
            SellerCase.strategies.through.objects.all(), "sellercase", "strategy"
        ),
        "keyed_evidence": evidence_list(
            public_or_all(SellerCaseEvidence.objects, public)
        ),
    }


@cache
def figure_evidence(public: bool) -> Subquery:
    return evidence_list(public_or_all(SellerFigureEvidence.objects, public))


def represent_cases(rows: Iterable[dict[str, Any]], *, public: bool) -> list[dict]:
    """SellerCaseSerializer's output for rows from ``case_rows``, and their figures."""
    rows = list(rows)
    figures = SellerFigure.objects.published() if public else SellerFigure.objects
    figure_rows = (
        figures.filter(seller_case__in=[row["id"] for row in rows])
        .order_by("seller_case_id", "id")
        .values(
            *FIGURE_COLUMNS,
            keyed_evidence=figure_evidence(public),
            event_date=F("seller_case__reacts_to__date"),
            event_precision=F("seller_case__reacts_to__date_precision"),
            event_publication=F("seller_case__reacts_to__publication"),
        )
    )
    figures_of = defaultdict(list)
    for figure in figure_rows:
        figures_of[figure["seller_case_id"]].append(figure_representation(figure))
    return [
        case_representation(row, figures_of[row["id"]], public=public) for row in rows
    ]


def case_representation(
    row: dict[str, Any], figures: list[dict], *, public: bool
) -> dict[str, Any]:
    reacts_to = row["reacts_to_slug"]
    if public and row["reacts_to_publication"] != Publication.PUBLISHED:
        # A draft event stays out of sight, as on the pages.
        reacts_to = None
    return {
        "id": row["id"],
        "slug": row["slug"],
        "display_name": seller_display_name(
            row["seller_name"],
            row["seller_name_en"],
            row["person_name"],
            row["person_name_en"],
        ),
        "seller_name": row["seller_name"],
        "seller_name_en": row["seller_name_en"],
        "person_name": row["person_name"],
        "person_name_en": row["person_name_en"],
        "person_role_zh": row["person_role_zh"],
        "person_role_en": row["person_role_en"],
        "city_zh": row["city_zh"],
        "city_en": row["city_en"],
        "category_zh": row["category_zh"],
        "category_en": row["category_en"],
        "target_markets": in_order(row["keyed_markets"]),
        "target_regions": in_order(row["keyed_regions"]),
        "reacts_to": reacts_to,
        "strategies": in_order(row["keyed_strategies"]),
        "narrative_zh": row["narrative_zh"],
        "narrative_en": row["narrative_en"],
        "figures": figures,
        **fact_fields(row),
    }


def figure_representation(row: dict[str, Any]) -> dict[str, Any]:
    unit, qualifier = row["unit"], row["qualifier"]
    return {
        "id": row["id"],
        "uuid": str(row["uuid"]),
        "metric_zh": row["metric_zh"],
        "metric_en": row["metric_en"],
        "qualifier": qualifier,
        "value_before": decimal_text(row["value_before"]),
        "value_after": decimal_text(row["value_after"]),
        "unit": unit,
        "before_display": format_figure(row["value_before"], unit, qualifier),
        "after_display": format_figure(row["value_after"], unit, qualifier),
        "is_projection": row["is_projection"],
        "period_zh": row["period_zh"],
        "period_en": row["period_en"],
        "period_date": iso_date(row["period_date"]),
        "period_precision": row["period_precision"],
        "event_side": row["event_side"],
        "event_placement": placement_of(row),
        **fact_fields(row),
    }


def placement_of(row: dict[str, Any]) -> str | None:
    """sellers.pairing's placement of a figure row, against its case's event where
    the public may see it, as SellerFigureSerializer gives it."""
    published = row["event_publication"] == Publication.PUBLISHED
    event = event_span(row["event_date"], row["event_precision"]) if published else None
    figure = SellerFigure(**{name: row[name] for name in PLACING_COLUMNS})
    placement = figure_placement(figure, event)
    return placement and str(placement)


#: What a figure's placement reads (sellers.pairing.figure_placement).
PLACING_COLUMNS = (
    "value_before",
    "value_after",
    "period_date",
    "period_precision",
    "event_side",
)


def decimal_text(value: Any) -> str | None:
    """As DRF writes a decimal: a string with every decimal place."""
    return None if value is None else f"{value:f}"
