"""A seller's figures as small before/after bar charts, drawn on the server as SVG.

A bar's length stands for a quantity counted from zero, so a figure is drawn only
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
    """One value as a bar: which (``before`` or ``after``), its label, its value as
    the table writes it, where it stands and how long it is."""

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
    """A figure's value before and after the change as two bars, scaled to the
    figure: the larger value takes the full length."""

    figure: SellerFigure

    @classmethod
    def of(cls, figure: SellerFigure) -> "BeforeAfterChart | None":
        """The figure's chart, or None where its values make no pair of bars."""
        before, after = figure.value_before, figure.value_after
        if before is None or after is None or figure.unit in NOT_LENGTHS:
            return None
        if before < 0 or after < 0:
            return None
        return cls(figure)

    @cached_property
    def label_width(self) -> int:
        """Room for "Before" and "After" in the reader's language."""
        return max(text_width(_("Before")), text_width(_("After"))) + GAP

    @cached_property
    def track(self) -> int:
        """The longest a bar may be: what the labels and the longer value leave."""
        values = (self.figure.before_display, self.figure.after_display)
        return WIDTH - self.label_width - max(map(value_width, values)) - GAP

    def length(self, value: Decimal) -> float:
        """``value``'s bar, in proportion to the larger of the two values."""
        largest = max(self.figure.value_before, self.figure.value_after)
        if not largest:
            return 0.0
        return round(float(value / largest) * self.track, 1)

    @property
    def bars(self) -> list[ChartBar]:
        figure = self.figure
        return [
            ChartBar(
                "before",
                _("Before"),
                figure.before_display,
                0,
                self.label_width,
                self.length(figure.value_before),
            ),
            ChartBar(
                "after",
                _("After"),
                figure.after_display,
                ROW,
                self.label_width,
                self.length(figure.value_after),
                # What a target or an expectation foresees is the value after.
                projected=figure.is_projection,
            ),
        ]

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
        figure = self.figure
        values = {
            "metric": figure.localized("metric"),
            "before": figure.before_display,
            "after": figure.after_display,
        }
        if figure.is_projection:
            return _("%(metric)s (target): before %(before)s, after %(after)s") % values
        return _("%(metric)s: before %(before)s, after %(after)s") % values


def before_after_charts(figures: Iterable[SellerFigure]) -> list[BeforeAfterChart]:
    """A chart for each figure that makes a pair of bars, in the figures' order."""
    return [
        chart
        for figure in figures
        if (chart := BeforeAfterChart.of(figure)) is not None
    ]
