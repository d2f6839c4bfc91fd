"""Template helpers for the seller pages: the cards of a list, kept per revision, and
a case's figures as charts."""

from collections.abc import Iterable, Sequence
from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from caching.kept import drawn_once
from sellers.charts import before_after_charts
from sellers.models import SellerCase, SellerFigure, Span
from sellers.pairing import Placement, figure_placement

register = template.Library()

CARD = "sellers/includes/_sellercase_card.html"


@register.filter
def drawn_cards(
    cases: Iterable[SellerCase | dict[str, Any]], heading_level: int = 3
) -> list[SafeString]:
    """Each case's card (``_sellercase_card.html``), its name a heading of
    ``heading_level``: one below the heading the list stands under (the seller list's
    own page puts it under its title, other pages under a section's).

    Cases given by their keys (a page of caching.kept.keyed_rows) are drawn once
    per revision and read only when not kept: after a write, only the cards it
    changed are drawn again. Cases given as records are drawn as they are. A card
    shows nothing of the visitor.
    """
    cases = list(cases)

    def key_of(case: SellerCase | dict[str, Any]) -> tuple | None:
        if isinstance(case, SellerCase):
            return None
        return (
            case["id"],
            case["created_at"].isoformat(),
            case["revision"],
            heading_level,
        )

    def draw(missing: Sequence[SellerCase | dict[str, Any]]) -> list[str]:
        ids = [case["id"] for case in missing if isinstance(case, dict)]
        read = SellerCase.objects.listed().in_bulk(ids) if ids else {}
        records = [
            read.get(case["id"]) if isinstance(case, dict) else case for case in missing
        ]
        # A case gone since its key was read is left out; its revision has moved on.
        return [
            render_to_string(CARD, {"case": record, "heading_level": heading_level})
            if record
            else ""
            for record in records
        ]

    cards = drawn_once("seller-card", cases, key_of, draw)
    return [mark_safe(card) for card in cards if card]  # noqa: S308


# A case's figures as charts (sellers.charts), from the figures the page has read
# already: no query of their own. The argument is the case's public_event_span.
register.filter("before_after_charts", before_after_charts)


@register.filter
def event_placement(figure: SellerFigure, event: Span | None) -> str:
    """Where the figure lies against the case's event, in words: "Before the
    event", "After the event", "Before and after the event", or nothing."""
    placement = figure_placement(figure, event)
    return str(Placement(placement).label) if placement else ""
