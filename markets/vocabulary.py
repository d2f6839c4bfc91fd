"""The two vocabularies every surface speaks: the modes, and the statuses of a mode.

Each mode and each status is declared here once, with everything a surface needs to
show it: its label in both languages (gettext), a short label, the colours it is drawn
in, a glyph that carries it where colour alone would (a colour-blind reader, a
grey-scale print), whether it counts as running, and its place in lists. The filters
(one per mode, on the pages and in the API), the stylesheet of status colours
(``manage.py write_status_css``), the badges, the colour matrix, the map, the timeline
and the home page's sentences are all generated from these tables, so a status or a
mode is added here, and nowhere else by hand (docs/contributing.md).

The record (an event's ``status_set``), the status index and the rule (status.answers)
all store and return these values. This module imports nothing of the project, so the
record and the rule can both read it.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class Mode(models.TextChoices):
    """A way TikTok Shop lets a seller sell: the lanes of every grid and timeline."""

    SEMI_CLOSED_LOOP = "semi_closed_loop", _("Semi-closed loop")
    CLOSED_LOOP = "closed_loop", _("Closed loop (in-app shop)")
    FULLY_MANAGED = "fully_managed", _("Fully managed")

    @property
    def short_label(self) -> Promise:
        """A name short enough to stand beside a row of squares on a phone."""
        return MODE_SHORT_LABELS[self]


#: Each mode's short name (the colour matrix's rows).
MODE_SHORT_LABELS: dict[Mode, Promise] = {
    Mode.SEMI_CLOSED_LOOP: _("Semi-closed"),
    Mode.CLOSED_LOOP: _("Closed loop"),
    Mode.FULLY_MANAGED: _("Fully managed"),
}


class Status(models.TextChoices):
    """What the record says of a mode in a market on a day: the rule's answer, the
    status index's column, and what an event sets (``StatusSet``)."""

    LIVE = "live", _("Live")
    BETA = "beta", _("Beta")
    CLOSED = "closed", _("Closed")
    CONSIDERING = "considering", _("Under consideration")
    #: No source speaks of the mode there yet: not the same as "not running".
    NO_EVIDENCE = "no_evidence", _("No evidence")

    @property
    def look(self) -> "Look":
        return STATUS_LOOKS[self]

    @property
    def short_label(self) -> Promise:
        return self.look.short_label

    @property
    def glyph(self) -> str:
        return self.look.glyph

    @property
    def announced(self) -> Promise | str:
        """What a change to this status is called while only announced ahead."""
        return self.look.announced

    @property
    def running(self) -> bool:
        """The mode is open to sellers: what counts as "runs" everywhere."""
        return self.look.running

    @property
    def rank(self) -> int:
        return self.look.rank


@dataclass(frozen=True)
class Look:
    """How an answer is drawn.

    ``colour`` fills a country on the map, a square of the colour matrix, a band of the
    timeline and the answer half of a badge, with ``on_colour`` for text drawn on it;
    ``tint`` is the pale ground of a status label in running text, written in
    ``on_tint``. Both pairs meet WCAG AA (4.5:1), as a test checks.

    The colours step in lightness, darkest for live and lightest for no evidence, at
    least 8 L* apart: read in grey, or by an eye that cannot tell red from green, no
    two statuses share a shade (a browser test looks at them under Chromium's
    simulated colour blindness). The text on the darker half is white, on the
    lighter half near black.
    """

    short_label: Promise
    #: One character, readable in a 16 px square and on the map.
    glyph: str
    colour: str
    on_colour: str
    tint: str
    on_tint: str
    #: What a change to this status, announced ahead and not reported done, is
    #: called ("scheduled to go live"): never the status's own, done-sounding label.
    announced: Promise | str = ""
    #: Open to sellers: live or in beta.
    running: bool = False
    #: The order of lists and legends: running first, no evidence last.
    rank: int = 0


#: Every status's look; a test holds it to the statuses.
STATUS_LOOKS: dict[Status, Look] = {
    Status.LIVE: Look(
        short_label=_("Live"),
        glyph="●",
        colour="#06321c",
        on_colour="#ffffff",
        tint="#e1f4e8",
        on_tint="#1b7c47",
        running=True,
        announced=_("scheduled to go live"),
        rank=10,
    ),
    Status.BETA: Look(
        short_label=_("Beta"),
        glyph="β",
        colour="#5f96ea",
        on_colour="#1c2230",
        tint="#e4ecfb",
        on_tint="#2459c9",
        running=True,
        announced=_("scheduled to open in beta"),
        rank=20,
    ),
    Status.CLOSED: Look(
        short_label=_("Closed"),
        glyph="×",
        colour="#b8453a",
        on_colour="#ffffff",
        tint="#f8e4e1",
        on_tint="#a3372f",
        announced=_("scheduled to close"),
        rank=40,
    ),
    Status.CONSIDERING: Look(
        short_label=_("Considering"),
        glyph="?",
        colour="#f6cb9c",
        on_colour="#1c2230",
        tint="#fbefd9",
        on_tint="#975b0b",
        announced=_("scheduled for consideration"),
        rank=50,
    ),
    Status.NO_EVIDENCE: Look(
        short_label=_("No evidence"),
        glyph="·",
        colour="#eef0f3",
        on_colour="#1c2230",
        tint="#eef0f3",
        on_tint="#5d6678",
        rank=90,
    ),
}

#: An answer that cannot be told on the day (claims that disagree, a date given to
#: the month): drawn over whatever status, in a look of its own.
UNCERTAIN = "uncertain"
UNCERTAIN_LOOK = Look(
    short_label=_("Uncertain"),
    glyph="~",
    colour="#d8b545",
    on_colour="#1c2230",
    tint="#fff4d1",
    on_tint="#7a5a00",
)

#: An answer resting on a change announced ahead, which no source reports done: never
#: drawn as the status it announces.
SCHEDULED = "scheduled"
SCHEDULED_LOOK = Look(
    short_label=_("Scheduled"),
    glyph="◷",
    colour="#4a3a8a",
    on_colour="#ffffff",
    tint="#ece9f7",
    on_tint="#5b4a9e",
)

#: The looks drawn over a status, by what the answer is shown as.
LOOKS_OVER_STATUS: dict[str, Look] = {
    UNCERTAIN: UNCERTAIN_LOOK,
    SCHEDULED: SCHEDULED_LOOK,
}

#: The statuses in which a mode runs.
RUNNING: tuple[Status, ...] = tuple(status for status in Status if status.running)


def statuses_in_order() -> list[Status]:
    """Every status, in the order lists and legends give them."""
    return sorted(Status, key=lambda status: status.rank)


def look_of(shown: str) -> Look:
    """The look of a status, or of ``"uncertain"`` or ``"scheduled"``."""
    return LOOKS_OVER_STATUS.get(shown) or Status(shown).look


#: What an event may set: any status but "no evidence" (a source that speaks is
#: evidence), or none at all ("none": a regulatory action, a policy change).
StatusSet = models.TextChoices(
    "StatusSet",
    [
        (status.name, (status.value, status.label))
        for status in Status
        if status != Status.NO_EVIDENCE
    ]
    + [("NONE", ("none", _("None")))],
)
