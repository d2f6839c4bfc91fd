"""The status grid as a colour matrix: one small square per market and mode, coloured
by the same answer as the grid's cell, in the map's colours.

A phone is too narrow for even a dozen markets beside three mode names, and 250 markets
would make a strip no screen shows whole. So the modes are the rows and the markets
the columns, cut into chunks of at most ``MARKETS_PER_CHUNK`` markets, each chunk a
small SVG of its own with the mode names beside it: the chunks wrap like words, one
under another on a phone, several abreast on a laptop, and the page never scrolls
sideways. Markets stand in the order of ``column_order``, read left to right, chunk
after chunk: not the grid's order, which ranks markets by their answers and so would
move a market's column from one day to the next.
"""

import datetime
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.utils.safestring import SafeString

from markets.models import Market, Mode
from markets.vocabulary import LOOKS_OVER_STATUS, statuses_in_order
from status.badges import text_width
from status.grid import ModeStatus, StatusGrid

#: At most this many markets abreast: a chunk, with its mode names in English (the
#: longer), fits the 362 px a 390 px phone leaves for the page, unshrunk.
MARKETS_PER_CHUNK = 9
#: A square's side, and the distance from one square to the next, in pixels: a target
#: of 24 px a side, as WCAG 2.5.8 asks of what a finger taps.
SQUARE = 24
PITCH = 28
#: The size of the market codes and mode names, in pixels, and the band above the
#: squares that holds the codes.
TEXT_SIZE = 12
CODE_BAND = 18
#: Between the longest mode name and the first square.
LABEL_GAP = 6


@dataclass(frozen=True)
class MatrixSquare:
    """One market's answer in one mode, where the square stands, and the answer in
    words (``_cell_in_words.txt``), for its title."""

    cell: ModeStatus
    x: int
    y: int
    in_words: SafeString

    @property
    def shown(self) -> str:
        """The colour: the map's class suffix (``map-live``, ``map-uncertain``)."""
        return self.cell.shown

    @property
    def glyph(self) -> str:
        """The answer's glyph, drawn in the square: colour is not all that says it."""
        return self.cell.glyph

    @property
    def glyph_x(self) -> int:
        return self.x + SQUARE // 2

    @property
    def glyph_y(self) -> int:
        """The glyph's baseline, a little above the square's bottom edge."""
        return self.y + SQUARE - 7

    @property
    def hatch(self) -> str:
        """What the square is hatched for, as on the map: the day falls inside an
        imprecise date, or the newest evidence is too old; empty where neither."""
        if self.cell.uncertain:
            return "uncertain"
        return "stale" if self.cell.stale else ""

    @property
    def href(self) -> str:
        """The market's page on the same day: its timeline and the quotes."""
        return f"{self.cell.market.get_absolute_url()}?as_of={self.cell.day:%Y-%m-%d}"

    @property
    def d(self) -> str:
        """The square as a path, so that the map's colour rules fill it as they fill
        a country."""
        return f"M{self.x} {self.y}h{SQUARE}v{SQUARE}h-{SQUARE}z"


def column_order(market: Market) -> str:
    """Where a market's column stands: by its code, alphabetically.

    The code is the column's visible label, so an alphabetical run of codes is the
    one order a reader finds a market in without a key; it is the same in either
    language (names sort differently in Chinese and English) and on every day
    (answers rank the grid's rows, and change). Regions are not shown in the
    matrix, so grouping by them would read as no order at all.
    """
    return market.code


@dataclass(frozen=True)
class MatrixColumn:
    """A market's column in a chunk, labelled with its code at ``x``, the middle,
    and named in the reader's language for whoever hovers or listens."""

    market: Market
    x: int

    @property
    def name(self) -> str:
        return self.market.localized("name")


@dataclass(frozen=True)
class MatrixRow:
    """A mode's row in a chunk, named at ``y``, the text's baseline."""

    mode: str
    label: str
    y: int


@dataclass(frozen=True)
class MatrixChunk:
    """Up to ``MARKETS_PER_CHUNK`` markets in every mode: one small SVG."""

    columns: list[MatrixColumn]
    rows: list[MatrixRow]
    squares: list[MatrixSquare]
    width: int
    height: int

    @property
    def code_y(self) -> int:
        """The codes' baseline, a little above the squares."""
        return CODE_BAND - 5


@dataclass(frozen=True)
class ColourMatrix:
    """Every market's answer in every mode on the grid's day, in chunks that wrap.

    ``in_words``: each cell's answer in words, row by row in the grid's order, drawn
    apart (and kept per cell) by the caller.
    """

    grid: StatusGrid
    in_words: Sequence[SafeString]

    @property
    def day(self) -> datetime.date:
        return self.grid.day

    @cached_property
    def gutter(self) -> int:
        """Room for the longest mode name in the reader's language."""
        # text_width measures at 11 px.
        widest = max(text_width(row.label) for row in self._rows)
        return round(widest * TEXT_SIZE / 11) + LABEL_GAP

    @cached_property
    def _rows(self) -> list[MatrixRow]:
        return [
            MatrixRow(
                mode,
                str(Mode(mode).short_label),
                # The name's baseline sits a little above the square's bottom edge.
                CODE_BAND + index * PITCH + SQUARE - 8,
            )
            for index, mode in enumerate(self.grid.modes)
        ]

    @cached_property
    def chunks(self) -> list[MatrixChunk]:
        modes = len(self.grid.modes)
        # Each market's row with its cells' answers in words, put in column order.
        words = list(self.in_words)
        rows = sorted(
            (
                (row, words[index * modes : (index + 1) * modes])
                for index, row in enumerate(self.grid.rows)
            ),
            key=lambda pair: column_order(pair[0].market),
        )
        if not rows:
            return []
        # As few chunks as may be, as even as may be: 16 markets make two of 8, not
        # one of 9 and a stub of 7.
        count = math.ceil(len(rows) / MARKETS_PER_CHUNK)
        bounds = [len(rows) * number // count for number in range(count + 1)]
        chunks = []
        for start, end in itertools.pairwise(bounds):
            columns, squares = [], []
            for position, (row, in_words) in enumerate(rows[start:end]):
                x = self.gutter + position * PITCH
                columns.append(MatrixColumn(row.market, x + SQUARE // 2))
                squares += [
                    MatrixSquare(cell, x, CODE_BAND + index * PITCH, cell_words)
                    for index, (cell, cell_words) in enumerate(
                        zip(row.cells, in_words, strict=True)
                    )
                ]
            chunks.append(
                MatrixChunk(
                    columns=columns,
                    rows=self._rows,
                    squares=squares,
                    width=self.gutter + len(columns) * PITCH - (PITCH - SQUARE),
                    height=CODE_BAND + modes * PITCH - (PITCH - SQUARE),
                )
            )
        return chunks

    @property
    def legend(self) -> list[tuple[str, str, str]]:
        """Each colour, what it means and its glyph, in the map's order."""
        return [
            (status.value, status.label, status.glyph) for status in statuses_in_order()
        ] + [
            (shown, look.short_label, look.glyph)
            for shown, look in LOOKS_OVER_STATUS.items()
        ]
