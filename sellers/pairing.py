"""Which of a seller's figures compare around the event the case reacts to.

A before/after chart says "this is what the event did": the value before must lie
before the event and the value after after it. A figure's two fields are named
``value_before`` and ``value_after``, but a source often gives growth inside one period
(2023年上半年, 500 → 1,500 monthly orders) that ended before the closure it is filed
under; drawn as "before" and "after", it reads as the closure's effect, the opposite
of what happened. So every surface (the case page, its charts, the API and the
dataset) places a figure with ``figure_placement`` and pairs figures with
``compare_around_event``, and nowhere else.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from markets.dates import date_span
from sellers.models import EventSide, SellerFigure, Span


class Placement(models.TextChoices):
    """A figure's values against the event, as every surface names it."""

    BEFORE = EventSide.BEFORE.value, _("Before the event")
    AFTER = EventSide.AFTER.value, _("After the event")
    AROUND = "around", _("Before and after the event")


#: What a figure's placement means, wherever it is published (API, dataset).
PLACEMENT_HELP = _(
    "Where the values lie against the event the case reacts to: “around” (the value "
    "before precedes it, the value after follows it), “before” or “after” (both on "
    "one side: not the event's effect), or null where neither a date nor the "
    "source's words place them."
)


def figure_placement(figure: SellerFigure, event: Span | None) -> str | None:
    """Where ``figure``'s values lie against the event whose days are ``event``.

    A dated period decides when it lies wholly on one side of every day the event's
    wording allows: a period that may overlap the event places nothing. Where no
    date decides, the source's words do (``event_side``: 之前, 外链没了之后). Where
    neither does, a figure with two values keeps what its fields say, a value before
    and one after the change, since that is how the source gave them; a figure with
    one value is placed nowhere. The event's span is its wording's, not narrowed by
    its sources' publication: a figure is put on a side only when the event's every
    possible day allows it.
    """
    if event is not None and figure.period_date and figure.period_precision:
        first, last = date_span(figure.period_date, figure.period_precision)
        if last < event[0]:
            return Placement.BEFORE
        if first > event[1]:
            return Placement.AFTER
    if figure.event_side:
        return figure.event_side
    if figure.value_before is not None and figure.value_after is not None:
        return Placement.AROUND
    return None


@dataclass(frozen=True)
class Point:
    """One value of a figure, as it is written."""

    figure: SellerFigure
    value: Decimal
    display: str


@dataclass(frozen=True)
class Comparison:
    """Two values of one metric (``first`` then ``then``), or one value alone,
    placed against the event: ``AROUND`` pairs a value before the event with one
    after it; ``BEFORE`` and ``AFTER`` hold values on one side only (growth within
    a period, or a single value), never shown as the event's effect."""

    placement: str
    first: Point
    then: Point | None = None

    @property
    def figure(self) -> SellerFigure:
        """The figure the comparison is named after: the earlier one of a pair."""
        return self.first.figure

    @property
    def figures(self) -> list[SellerFigure]:
        return [self.first.figure] + (
            [self.then.figure] if self.then and self.then.figure != self.figure else []
        )


def _points(figure: SellerFigure) -> list[Point]:
    values = (
        (figure.value_before, figure.before_display),
        (figure.value_after, figure.after_display),
    )
    return [Point(figure, value, text) for value, text in values if value is not None]


def _metric(figure: SellerFigure) -> tuple:
    """What makes two figures the same metric: its name in both languages, its
    unit, and whether it is measured or foreseen."""
    return (
        figure.metric_zh.strip(),
        figure.metric_en.strip().casefold(),
        figure.unit,
        figure.is_projection,
    )


def compare_around_event(
    figures: Iterable[SellerFigure], event: Span | None
) -> list[Comparison]:
    """The case's figures as comparisons, in the figures' order.

    A figure with two values around the event is a pair; two one-valued figures of
    the same metric, the first before the event and the other after, are a pair
    too (the latest before with the earliest after, in the figures' order). Every
    other placed value stays on its side: growth before the event is not its effect.
    Unplaced one-valued figures make no comparison; the table still lists them.
    """
    figures = list(figures)
    sides = [figure_placement(figure, event) for figure in figures]
    points = [_points(figure) for figure in figures]
    # By position in ``figures``: the latest one-valued figure before the event and
    # the earliest after it, for each metric.
    befores: dict[tuple, int] = {}
    afters: dict[tuple, int] = {}
    for at, figure in enumerate(figures):
        if len(points[at]) != 1:
            continue
        if sides[at] == Placement.BEFORE:
            befores[_metric(figure)] = at
        elif sides[at] == Placement.AFTER:
            afters.setdefault(_metric(figure), at)
    partner = {at: afters[metric] for metric, at in befores.items() if metric in afters}
    partnered = set(partner.values())
    comparisons = []
    for at, side in enumerate(sides):
        if side is None or at in partnered:
            continue
        if at in partner:
            (before,), (after,) = points[at], points[partner[at]]
            comparisons.append(Comparison(Placement.AROUND, before, after))
        else:
            comparisons.append(Comparison(side, *points[at]))
    return comparisons
