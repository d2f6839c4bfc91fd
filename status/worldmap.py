"""The world map of the answer on a day: country outlines from the geometry that the
pygal_maps_world package ships (no download), scaled down and rounded once per process,
each tracked market coloured by its status in one mode."""

import datetime
import functools
import re
import xml.etree.ElementTree as ET  # noqa: S405 (a file of an installed package)
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pygal_maps_world

from markets.models import Market, Mode
from markets.vocabulary import LOOKS_OVER_STATUS, statuses_in_order
from status.grid import ModeStatus

GEOMETRY = Path(pygal_maps_world.__file__).with_name("worldmap.svg")
SVG = "{http://www.w3.org/2000/svg}"
#: The map's width in SVG units; its height follows the geometry's proportions.
WIDTH = 1000
#: Tenths of a unit: finer than a phone's pixel at full width, a third of the size.
DIGITS = 1
#: A market whose outline is smaller than this, in units, also gets a marker that a
#: finger can find (Singapore, Hong Kong, Bahrain).
SMALLEST_TARGET = 6
MARKER_RADIUS = 5

_NUMBER = re.compile(r"[a-zA-Z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"m": 2, "l": 2, "c": 6, "s": 4, "q": 4, "t": 2, "h": 1, "v": 1}


@dataclass(frozen=True)
class Outline:
    """One country's shape, as an SVG path, and the box around it."""

    d: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def is_tiny(self) -> bool:
        return max(self.right - self.left, self.bottom - self.top) < SMALLEST_TARGET

    @property
    def centre(self) -> tuple[float, float]:
        return (
            round((self.left + self.right) / 2, DIGITS),
            round((self.top + self.bottom) / 2, DIGITS),
        )


def _number(units: int) -> str:
    """Tenths as the shortest SVG number: 5 -> .5, -15 -> -1.5, 20 -> 2."""
    text = f"{units / 10**DIGITS:.{DIGITS}f}".rstrip("0").rstrip(".")
    if text.startswith(("0.", "-0.")):
        text = text.replace("0.", ".", 1)
    return "0" if text in ("", "-0") else text


def _numbers(values: Iterable[int]) -> str:
    written = ""
    for value in values:
        number = _number(value)
        # A sign, or a second decimal point, already ends the number before.
        last = re.split(r"[ \-]", written)[-1] if written else ""
        glued = number.startswith("-") or (number.startswith(".") and "." in last)
        written += number if not written or glued else f" {number}"
    return written


def scaled_path(d: str, scale: float) -> Outline:
    """The path ``d`` (any of its commands, relative or absolute, no arcs) scaled by
    ``scale`` and written in relative commands, rounded to tenths.

    Points are followed exactly and rounded one by one, each written as the step from
    the one rounded before, so that rounding never drifts along a coastline; steps that
    round to nothing are dropped.

    Long because the pen's position, the current command and the rounding are one
    state carried through the path's commands: split, that state would travel through
    every helper and the walk would no longer read as one.
    """
    tokens, written = _NUMBER.findall(d), []
    x = y = 0.0  # where the pen is, in the geometry's units
    pen = (0, 0)  # where it is, rounded, in tenths of the map's units
    xs, ys = [], []
    command, position = "M", 0

    def rounded(px: float, py: float) -> tuple[int, int]:
        return round(px * scale * 10**DIGITS), round(py * scale * 10**DIGITS)

    while position < len(tokens):
        if tokens[position].isalpha():
            command = tokens[position]
            position += 1
        kind, relative = command.lower(), command.islower()
        if kind == "z":
            written.append("z")
            continue
        count = _ARITY[kind]
        values = [float(value) for value in tokens[position : position + count]]
        position += count
        if kind == "h":
            kind, values = "l", [values[0], 0.0] if relative else [values[0], y]
        elif kind == "v":
            kind, values = "l", [0.0, values[0]] if relative else [x, values[0]]
        points = [
            (px + x, py + y) if relative else (px, py)
            for px, py in zip(values[::2], values[1::2], strict=True)
        ]
        steps = []
        for point in points:
            target = rounded(*point)
            steps += [target[0] - pen[0], target[1] - pen[1]]
        x, y = points[-1]
        end = rounded(x, y)
        if kind == "m":
            # Every outline starts where it is, wherever the path before it ended.
            written.append(f"M{_numbers(end)}")
            command = "l" if relative else "L"
        elif any(steps):
            written.append(f"{kind}{_numbers(steps)}")
        else:
            continue
        pen = end
        xs.append(end[0])
        ys.append(end[1])
    unit = 10**DIGITS
    return Outline(
        "".join(written),
        min(xs) / unit,
        min(ys) / unit,
        max(xs) / unit,
        max(ys) / unit,
    )


@functools.cache
def geometry() -> tuple[dict[str, Outline], float]:
    """Each country's outline by upper-case ISO 3166-1 code, and the map's height."""
    root = ET.parse(GEOMETRY).getroot()  # noqa: S314 (a file of an installed package)
    _, _, width, height = (float(value) for value in root.get("viewBox").split())
    scale = WIDTH / width
    outlines = {}
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if "country" not in classes:
            continue
        parts = [scaled_path(path.get("d"), scale) for path in group.iter(f"{SVG}path")]
        outlines[classes[0].upper()] = Outline(
            "".join(part.d for part in parts),
            min(part.left for part in parts),
            min(part.top for part in parts),
            max(part.right for part in parts),
            max(part.bottom for part in parts),
        )
    return outlines, round(height * scale, DIGITS)


@functools.cache
def land_svg() -> bytes:
    """Every country as grey land, the map's background: the same for every day and
    reader, so kept by browsers apart from the page, which draws the markets on top."""
    outlines, height = geometry()
    land = "".join(outline.d for _, outline in sorted(outlines.items()))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}">'
        f'<path fill="#e4e6ea" stroke="#fff" stroke-width=".3" d="{land}"/></svg>'
    ).encode()


@dataclass(frozen=True)
class MapShape:
    """A market on the map: its outline, and its answer."""

    cell: ModeStatus
    outline: Outline

    @property
    def market(self) -> Market:
        return self.cell.market

    @property
    def hatched(self) -> bool:
        return self.cell.uncertain or self.cell.stale


@dataclass(frozen=True)
class WorldMap:
    """The answer in one mode on one day, on the map: each market with an outline
    shaped and coloured by its status; those the geometry lacks, listed."""

    day: datetime.date
    mode: str
    cells: list[ModeStatus]

    @functools.cached_property
    def _outlines(self) -> dict[str, Outline]:
        return geometry()[0]

    @property
    def width(self) -> int:
        return WIDTH

    @property
    def height(self) -> float:
        return geometry()[1]

    @property
    def marker_radius(self) -> int:
        return MARKER_RADIUS

    @functools.cached_property
    def shapes(self) -> list[MapShape]:
        return [
            MapShape(cell, self._outlines[cell.market.code])
            for cell in self.cells
            if cell.market.code in self._outlines
        ]

    @property
    def missing(self) -> list[ModeStatus]:
        """Markets the geometry has no outline for (a territory it leaves out)."""
        return [cell for cell in self.cells if cell.market.code not in self._outlines]

    @property
    def mode_label(self) -> str:
        return Mode(self.mode).label

    @property
    def legend(self) -> list[tuple[str, str, int]]:
        """Each colour, what it means and how many markets have it."""
        counts = Counter(cell.shown for cell in self.cells)
        return [
            (status.value, status.label, counts[status.value])
            for status in statuses_in_order()
        ] + [
            (shown, look.short_label, counts[shown])
            for shown, look in LOOKS_OVER_STATUS.items()
        ]
