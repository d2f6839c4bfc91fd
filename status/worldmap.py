"""The world map of the answer on a day: country outlines from the geometry that the
pygal_maps_world package ships (no download), scaled down and rounded once per process,
each tracked market coloured by its status in one mode."""

import datetime
import functools
import hashlib
import math
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
#: Half a unit, in tenths: curves become straight steps, none shorter than this. The
#: difference shows only zoomed in on a region; the outlines take a third of the bytes
#: (the land 151 KB rather than 465 KB, 50 KB rather than 150 KB gzipped).
SHORTEST = 5
MARKER_RADIUS = 5
#: A region's margin around its markets, as a share of its larger side.
REGION_MARGIN = 0.08
#: In units of the world view, 1000 wide: a phone draws one about 0.36 px wide, a
#: laptop about 1 px. The hatching's pitch, and the labels' size.
HATCH_PITCH = 12
LABEL_SIZE = 36

_NUMBER = re.compile(r"[a-zA-Z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_ARITY = {"m": 2, "l": 2, "c": 6, "s": 4, "q": 4, "t": 2, "h": 1, "v": 1}


@dataclass(frozen=True)
class Box:
    """A rectangle in the map's units: around an outline, or what a view shows."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.bottom - self.top

    @property
    def centre(self) -> tuple[float, float]:
        return (
            round((self.left + self.right) / 2, DIGITS),
            round((self.top + self.bottom) / 2, DIGITS),
        )

    def around(self, other: "Box") -> "Box":
        return Box(
            min(self.left, other.left),
            min(self.top, other.top),
            max(self.right, other.right),
            max(self.bottom, other.bottom),
        )

    def overlaps(self, other: "Box") -> bool:
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )


@dataclass(frozen=True)
class Outline:
    """One country's shape, as an SVG path, the box around it, and the box around
    its largest part: Spain without the Canaries, the United States without the
    Aleutians, which wrap round the map's edge."""

    d: str
    box: Box
    mainland: Box

    @property
    def is_tiny(self) -> bool:
        return max(self.box.width, self.box.height) < SMALLEST_TARGET

    @property
    def centre(self) -> tuple[float, float]:
        return self.box.centre


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


def scaled_path(d: str, scale: float, shortest: int = 0) -> Outline:
    """The path ``d`` (any of its commands, relative or absolute, no arcs) scaled by
    ``scale`` and written in relative commands, rounded to tenths.

    Points are followed exactly and rounded one by one, each written as the step from
    the one rounded before, so that rounding never drifts along a coastline; steps that
    round to nothing are dropped. With ``shortest`` (in tenths), curves are drawn as
    straight steps to their ends and a step shorter than that is dropped too, as is
    an island left with fewer than three steps: what a map of this size can lose.

    Long because the pen's position, the current command and the rounding are one
    state carried through the path's commands: split, that state would travel through
    every helper and the walk would no longer read as one.
    """
    tokens, written = _NUMBER.findall(d), []
    x = y = 0.0  # where the pen is, in the geometry's units
    pen = (0, 0)  # where it is, rounded, in tenths of the map's units
    xs, ys = [], []
    command, position = "M", 0
    ring = 0  # where the outline being written starts in ``written``

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
        if shortest and kind != "m":
            kind, points = "l", points[-1:]
        steps = []
        for point in points:
            target = rounded(*point)
            steps += [target[0] - pen[0], target[1] - pen[1]]
        x, y = points[-1]
        end = rounded(x, y)
        if kind == "m":
            # Every outline starts where it is, wherever the path before it ended.
            if shortest:
                drop_island(written, ring)
            ring = len(written)
            written.append(f"M{_numbers(end)}")
            command = "l" if relative else "L"
        elif any(steps) and math.dist(end, pen) >= shortest:
            written.append(f"{kind}{_numbers(steps)}")
        else:
            continue
        pen = end
        xs.append(end[0])
        ys.append(end[1])
    if shortest:
        drop_island(written, ring)
    unit = 10**DIGITS
    box = Box(min(xs) / unit, min(ys) / unit, max(xs) / unit, max(ys) / unit)
    return Outline("".join(written), box, box)


def drop_island(written: list[str], start: int) -> None:
    """Drop the outline written from ``start`` if too few steps are left of it to
    enclose anything once short steps were dropped (``scaled_path``'s ``shortest``)."""
    if sum(1 for part in written[start:] if part[0] == "l") < 3:
        del written[start:]


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
        paths = [path.get("d") for path in group.iter(f"{SVG}path")]
        parts = [scaled_path(d, scale, SHORTEST) for d in paths]
        if not any(part.d for part in parts):
            # Too small to lose a step (Singapore, Bahrain): drawn as it is.
            parts = [scaled_path(d, scale) for d in paths]
        outlines[classes[0].upper()] = Outline(
            "".join(part.d for part in parts),
            functools.reduce(Box.around, (part.box for part in parts)),
            max((part.box for part in parts), key=lambda box: box.width * box.height),
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


@functools.cache
def land_fingerprint() -> str:
    """A digest of the land, in its address: a browser keeps the file for good, and
    other geometry comes under another address."""
    return hashlib.blake2b(land_svg(), digest_size=8).hexdigest()


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

    @property
    def name(self) -> str:
        return self.market.localized("name")

    @property
    def label_at(self) -> tuple[float, float]:
        """Where its code and name are written: the middle of its largest part."""
        return self.outline.mainland.centre


@dataclass(frozen=True)
class MapRegion:
    """A region of markets the map can show alone, zoomed to them."""

    code: str
    name: str
    shapes: list[MapShape]

    @property
    def box(self) -> Box:
        """Around the largest part of each of its markets, with a margin, and at
        least as wide as it is tall, so that a laptop's screen is not all height."""
        box = functools.reduce(Box.around, (s.outline.mainland for s in self.shapes))
        margin = max(box.width, box.height, MARKER_RADIUS * 4) * REGION_MARGIN
        width = max(box.width, box.height) + 2 * margin
        height = box.height + 2 * margin
        left, top = box.centre[0] - width / 2, box.centre[1] - height / 2
        return Box(left, top, left + width, top + height)


@dataclass(frozen=True)
class WorldMap:
    """The answer in one mode on one day, on the map: each market with an outline
    shaped and coloured by its status; those the geometry lacks, listed. With a
    ``region`` (a region's code), the map shows that region alone, zoomed."""

    day: datetime.date
    mode: str
    cells: list[ModeStatus]
    region: str = ""

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
    def land_fingerprint(self) -> str:
        return land_fingerprint()

    @functools.cached_property
    def _every_shape(self) -> list[MapShape]:
        return [
            MapShape(cell, self._outlines[cell.market.code])
            for cell in self.cells
            if cell.market.code in self._outlines
        ]

    @functools.cached_property
    def regions(self) -> list[MapRegion]:
        """The regions with markets on the map, the one with most first."""
        by_region: dict[str, list[MapShape]] = {}
        names = {}
        for shape in self._every_shape:
            region = shape.market.region
            by_region.setdefault(region.code, []).append(shape)
            names[region.code] = str(region)
        return sorted(
            (
                MapRegion(code, names[code], shapes)
                for code, shapes in by_region.items()
            ),
            key=lambda region: (-len(region.shapes), region.name),
        )

    @functools.cached_property
    def shown_region(self) -> MapRegion | None:
        """The region asked for, if it has markets on the map; else the world."""
        return next((r for r in self.regions if r.code == self.region), None)

    @functools.cached_property
    def view(self) -> Box:
        """What the map shows, in its units: the region's box, or the world."""
        if self.shown_region:
            return self.shown_region.box
        return Box(0, 0, WIDTH, self.height)

    @property
    def view_box(self) -> str:
        view = self.view
        return " ".join(
            f"{round(value, DIGITS):g}"
            for value in (view.left, view.top, view.width, view.height)
        )

    @property
    def zoom(self) -> float:
        """How many times larger than the world a unit is drawn."""
        return round(WIDTH / self.view.width, 2)

    def scaled(self, units: float) -> float:
        """``units`` of the world view, as drawn as large in this view."""
        return round(units / self.zoom, 2)

    @property
    def marker_radius(self) -> float:
        return self.scaled(MARKER_RADIUS)

    @property
    def hatch(self) -> float:
        """The hatching's pitch: as many screen pixels in every view, wide enough
        to be seen on a phone's world map (about 4 px there)."""
        return self.scaled(HATCH_PITCH)

    @property
    def label_size(self) -> float:
        """The labels' size: about 13 px on a phone's screen, in every view."""
        return self.scaled(LABEL_SIZE)

    @functools.cached_property
    def shapes(self) -> list[MapShape]:
        """The markets in view: in a region's, those that reach into it
        by their largest part, so that no link waits out of sight for a keyboard."""
        if not self.shown_region:
            return self._every_shape
        return [s for s in self._every_shape if s.outline.mainland.overlaps(self.view)]

    @functools.cached_property
    def labelled(self) -> frozenset[str]:
        """The codes of the markets wide enough in this view to carry them, with room
        to spare, so that neighbours' codes stand apart (Mexico's under the US's)."""
        return frozenset(
            shape.market.code
            for shape in self.shapes
            if shape.outline.mainland.width * self.zoom >= LABEL_SIZE * 3
        )

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
