"""A seller's figures as small bar charts, drawn on the server as SVG.

Which values share a chart, and whether it shows the event's effect (a value before
it and one after) or growth on one side of it, is sellers.pairing's rule. A bar's length stands for a quantity counted from zero, so a figure is drawn only
where its two values are such quantities: both given, not negative, and not a rank
(where #1 beats #20, a longer bar would read as better). The table beside the charts
still lists every figure.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from django.utils.translation import gettext as _

from markets.models import FigureUnit
from sellers.models import SellerFigure
from sellers.pairing import Comparison, Placement, Point, Span, compare_around_event
from status.badges import text_width

#: The chart's width in SVG units: a pixel each at its natural size, which fits a
#: 390 px phone inside a card.
WIDTH = 320
#: Each bar's height, and the distance from one bar's top to the next.
BAR = 16
ROW = 22
#: Between a label or a bar and the text beside it.
GAP = 6
#: Units whose values are not lengths from zero.
NOT_LENGTHS = frozenset({FigureUnit.RANK})


def value_width(text: str) -> int:
    """About how wide a value is written: bold digits, which most faces draw wider
    than the average letter ``text_width`` allows for, and "%" wider still."""
    return round(text_width(text) * 1.4)


@dataclass(frozen=True)
class ChartBar:
    """One value as a bar: which (``before`` or ``after`` around the event, ``from``
    or ``to`` on one side of it), its label, its value as the table writes it, where it stands and how long it is."""

    which: str
    label: str
    display: str
    y: int
    x: int
    width: float
    #: A target or an expectation, drawn dashed.
    projected: bool = False

    @property
    def text_y(self) -> int:
        """The baseline of the bar's texts: about its middle, for 11 px text."""
        return self.y + BAR - 4

    @property
    def value_x(self) -> float:
        """Where the value is written: just past the bar's end."""
        return round(self.x + self.width + GAP, 1)


@dataclass(frozen=True)
class BeforeAfterChart:
    """Two values of one metric as two bars, scaled so that the larger value takes
    the full length: before and after the event, or earlier and later on one side
    of it."""

    comparison: Comparison

    @classmethod
    def of(cls, comparison: Comparison) -> "BeforeAfterChart | None":
        """The comparison's chart, or None where its values make no pair of bars."""
        first, then = comparison.first, comparison.then
        if then is None or first.figure.unit in NOT_LENGTHS:
            return None
        if first.value < 0 or then.value < 0:
            return None
        return cls(comparison)

    @property
    def figure(self) -> SellerFigure:
        return self.comparison.figure

    @property
    def placement(self) -> str:
        return self.comparison.placement

    @property
    def is_pair(self) -> bool:
        """Whether the chart shows a value before the event and one after it."""
        return self.placement == Placement.AROUND

    @property
    def placement_label(self) -> str:
        return Placement(self.placement).label

    @cached_property
    def labels(self) -> tuple[str, str]:
        if self.is_pair:
            return _("Before"), _("After")
        return _("Earlier"), _("Later")

    @cached_property
    def label_width(self) -> int:
        """Room for the bars' labels in the reader's language."""
        return max(map(text_width, self.labels)) + GAP

    @property
    def points(self) -> tuple[Point, Point]:
        return self.comparison.first, self.comparison.then

    @cached_property
    def track(self) -> int:
        """The longest a bar may be: what the labels and the longer value leave."""
        values = [point.display for point in self.points]
        return WIDTH - self.label_width - max(map(value_width, values)) - GAP

    def length(self, value: Decimal) -> float:
        """``value``'s bar, in proportion to the larger of the two values."""
        largest = max(point.value for point in self.points)
        if not largest:
            return 0.0
        return round(float(value / largest) * self.track, 1)

    @property
    def bars(self) -> list[ChartBar]:
        names = ("before", "after") if self.is_pair else ("from", "to")
        return [
            ChartBar(
                which,
                label,
                point.display,
                row * ROW,
                self.label_width,
                self.length(point.value),
                # What a target or an expectation foresees is the later value.
                projected=bool(row) and point.figure.is_projection,
            )
            for row, (which, label, point) in enumerate(
                zip(names, self.labels, self.points, strict=True)
            )
        ]

    @property
    def periods(self) -> list[SellerFigure]:
        """The figures whose periods the caption names: one, or both of a pair."""
        return self.comparison.figures

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> int:
        return ROW + BAR

    @property
    def bar_height(self) -> int:
        return BAR

    @property
    def title(self) -> str:
        """The chart in words, for readers who cannot see it."""
        first, then = self.points
        values = {
            "metric": first.figure.localized("metric"),
            "before": first.display,
            "after": then.display,
        }
        projection = then.figure.is_projection
        if self.is_pair and projection:
            return _("%(metric)s (target): before %(before)s, after %(after)s") % values
        if self.is_pair:
            return _("%(metric)s: before %(before)s, after %(after)s") % values
        if self.placement == Placement.BEFORE:
            return (
                _("%(metric)s, before the event: from %(before)s to %(after)s") % values
            )
        return _("%(metric)s, after the event: from %(before)s to %(after)s") % values


def before_after_charts(
    figures: Iterable[SellerFigure], event: Span | None = None
) -> list[BeforeAfterChart]:
    """A chart for each comparison of the figures that makes a pair of bars, in the
    figures' order, placed against the event whose days are ``event``."""
    return [
        chart
        for comparison in compare_around_event(figures, event)
        if (chart := BeforeAfterChart.of(comparison)) is not None
    ]
