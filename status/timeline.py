"""A market's events drawn as an SVG timeline, laid out on the server.

The page must read without JavaScript, so the geometry is computed here and the template
only writes it out. A date the source gives to the month or the year is drawn as the span
of days it may stand for, never as a point: the reader sees how much is not known.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from markets.models import Mode, ModeEvent
from markets.vocabulary import SCHEDULED, SCHEDULED_LOOK, Status, statuses_in_order
from status.badges import text_width
from status.models import StatusSpan

WIDTH = 960
LABEL_WIDTH = 150
RIGHT_PAD = 24
AXIS_HEIGHT = 34
LANE_HEIGHT = 64
BAND_HEIGHT = 12
MARK_HEIGHT = 24
#: The least room, in px, between two numbers on one side of a lane.
LABEL_GAP = 4


@dataclass(frozen=True)
class Mark:
    """One event: a dot where the source gives the day, else a bar over its span."""

    number: int
    event: ModeEvent
    x: float
    width: float

    @property
    def is_span(self) -> bool:
        return self.width > 0

    @property
    def center(self) -> float:
        return self.x + self.width / 2


@dataclass
class Label:
    """The numbers of one or more marks, above or below their lane. Marks too close
    for a number each share one label ("3, 4"), so that no two labels overlap."""

    marks: list[Mark]
    above: bool
    y: float = 0

    @property
    def text(self) -> str:
        return ", ".join(str(mark.number) for mark in self.marks)

    @property
    def x(self) -> float:
        """The middle of the marks it numbers, kept inside the plot."""
        middle = (self.marks[0].center + self.marks[-1].center) / 2
        half = self.width / 2
        return round(min(max(middle, LABEL_WIDTH + half), WIDTH - half), 1)

    @property
    def width(self) -> int:
        return text_width(self.text)

    @property
    def left(self) -> float:
        return self.x - self.width / 2

    @property
    def right(self) -> float:
        return self.x + self.width / 2

    @property
    def event(self) -> ModeEvent | None:
        """The one event a label of one number leads to."""
        return self.marks[0].event if len(self.marks) == 1 else None


@dataclass(frozen=True)
class Band:
    """The stretch of time over which one answer held, as the status rule gives it.

    ``kind`` is "certain", "uncertain" (between the claims, or inside an imprecise
    date), "implied" (a later closure implies it), "scheduled" (announced ahead, not
    reported done) or "unconfirmed" (past the newest evidence: it may still hold, but
    no source says so).
    """

    x: float
    width: float
    status: str
    kind: str = "certain"
    title: str = ""


@dataclass(frozen=True)
class Lane:
    mode: str
    label: str
    y: float
    bands: list[Band]
    marks: list[Mark]
    labels: list[Label]

    @property
    def center_y(self) -> float:
        return self.y + LANE_HEIGHT / 2

    @property
    def band_y(self) -> float:
        return self.center_y - BAND_HEIGHT / 2

    @property
    def mark_y(self) -> float:
        return self.center_y - MARK_HEIGHT / 2


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    label_width: int
    axis_height: int
    start: datetime.date
    end: datetime.date
    lanes: list[Lane]
    ticks: list[Tick]
    today: datetime.date
    today_x: float | None
    marks: list[Mark]
    lane_height: int = LANE_HEIGHT
    band_height: int = BAND_HEIGHT
    mark_height: int = MARK_HEIGHT

    @property
    def plot_bottom(self) -> int:
        return self.height - 4

    @property
    def scheduled_label(self) -> str:
        """The legend's name for a band announced ahead and not reported done."""
        return str(SCHEDULED_LOOK.short_label)

    @property
    def legend(self) -> list[Status]:
        """The statuses a band may show, in the vocabulary's order."""
        return [
            status for status in statuses_in_order() if status != Status.NO_EVIDENCE
        ]


def build_timeline(
    events: Iterable[ModeEvent],
    spans: Iterable[StatusSpan],
    today: datetime.date,
    modes: Iterable[str] | None = None,
) -> Timeline | None:
    """Lay out ``events`` (of one market) in one lane per mode; None when there are none.

    Bands are the market's status spans, the same the answer on any day reads; each
    is drawn as certain only up to its newest evidence.
    """
    spans = list(spans)
    events = sorted(events, key=lambda event: (event.date, event.pk))
    if not events:
        return None
    modes = list(modes or Mode.values)
    last_day = max(event.date_span[1] for event in events)
    start = datetime.date(events[0].date.year, 1, 1)
    end = datetime.date(max(last_day.year, today.year), 12, 31)
    plot_width = WIDTH - LABEL_WIDTH - RIGHT_PAD
    total_days = (end - start).days + 1

    def x_of(day: datetime.date) -> float:
        return round(LABEL_WIDTH + plot_width * (day - start).days / total_days, 1)

    numbers = {event.pk: number for number, event in enumerate(events, start=1)}
    # Statuses run to today, not beyond: what comes next is not known yet.
    status_end_x = x_of(min(today, end) + datetime.timedelta(days=1))
    lanes = [
        _lane(
            mode,
            AXIS_HEIGHT + index * LANE_HEIGHT,
            [event for event in events if event.mode == mode],
            [span for span in spans if span.mode == mode],
            numbers,
            x_of,
            (start, status_end_x),
        )
        for index, mode in enumerate(modes)
    ]
    ticks = [
        Tick(x=x_of(datetime.date(year, 1, 1)), label=str(year))
        for year in range(start.year, end.year + 1)
    ]
    return Timeline(
        width=WIDTH,
        height=AXIS_HEIGHT + len(modes) * LANE_HEIGHT + 8,
        label_width=LABEL_WIDTH,
        axis_height=AXIS_HEIGHT,
        start=start,
        end=end,
        lanes=lanes,
        ticks=ticks,
        today=today,
        today_x=x_of(today) if start <= today <= end else None,
        marks=sorted(
            (mark for lane in lanes for mark in lane.marks),
            key=lambda mark: mark.number,
        ),
    )


def _lane(
    mode: str,
    y: float,
    events: list[ModeEvent],
    spans: list[StatusSpan],
    numbers: dict[int, int],
    x_of: Callable[[datetime.date], float],
    bands_from_to: tuple[datetime.date, float],
) -> Lane:
    """One mode's lane: its status bands, its events' marks and their labels."""
    marks = _marks(events, numbers, x_of)
    start, status_end_x = bands_from_to
    return Lane(
        mode=mode,
        label=Mode(mode).label,
        y=y,
        bands=_bands(spans, x_of, start, status_end_x),
        marks=marks,
        labels=_labels(marks, y),
    )


def _bands(
    spans: list[StatusSpan], x_of, start: datetime.date, status_end_x: float
) -> list[Band]:
    bands = []
    for span in sorted(spans, key=lambda span: span.start):
        x = x_of(max(span.start, start))
        end_x = (
            x_of(span.end + datetime.timedelta(days=1)) if span.end else status_end_x
        )
        end_x = min(end_x, status_end_x)
        if end_x <= x:
            continue
        label = Status(span.status).label
        if span.uncertain:
            bands.append(Band(x, round(end_x - x, 1), span.status, "uncertain", label))
            continue
        if span.scheduled:
            # Announced ahead, never reported done: not drawn as the status it names.
            width = round(end_x - x, 1)
            bands.append(Band(x, width, SCHEDULED, "scheduled", label))
            continue
        kind = "implied" if span.implied else "certain"
        # Certainty ends with the newest evidence; what follows may hold, unconfirmed.
        evidence_x = (
            x_of(span.evidence_on + datetime.timedelta(days=1))
            if span.evidence_on
            else x
        )
        certain_end = max(x, min(end_x, evidence_x))
        if certain_end > x:
            bands.append(Band(x, round(certain_end - x, 1), span.status, kind, label))
        if end_x > certain_end:
            bands.append(
                Band(
                    certain_end,
                    round(end_x - certain_end, 1),
                    span.status,
                    "unconfirmed",
                    label,
                )
            )
    return bands


def _marks(
    events: list[ModeEvent], numbers: dict[int, int], x_of: Callable
) -> list[Mark]:
    marks = []
    for event in events:
        first, last = event.date_span
        x = x_of(first)
        width = 0.0 if first == last else round(x_of(last) - x, 1) or 2.0
        marks.append(Mark(number=numbers[event.pk], event=event, x=x, width=width))
    return sorted(marks, key=lambda mark: (mark.center, mark.number))


def _labels(marks: list[Mark], lane_y: float) -> list[Label]:
    """Number the marks above their lane, else below where the number above would
    overlap the one before it; where neither side has room, the number joins the
    label before it (which then may need to join the one before that, and so on)."""
    sides: dict[bool, list[Label]] = {True: [], False: []}
    placed: list[Label] = []
    for mark in marks:
        for above in (True, False):
            label = Label([mark], above)
            row = sides[above]
            if not row or row[-1].right + LABEL_GAP <= label.left:
                row.append(label)
                placed.append(label)
                break
        else:
            label = placed[-1]
            label.marks.append(mark)
            row = sides[label.above]
            while len(row) > 1 and row[-2].right + LABEL_GAP > row[-1].left:
                merged = row.pop()
                row[-1].marks.extend(merged.marks)
                placed.remove(merged)
    for label in placed:
        label.y = lane_y + 12 if label.above else lane_y + LANE_HEIGHT - 4
    return placed
