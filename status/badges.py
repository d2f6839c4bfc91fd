"""An embeddable SVG badge of one market's answer in one mode: "Semi-closed loop in DE
| beta since 2024-02, as of 2026-12-03", in the answer's colours."""

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from markets.vocabulary import UNCERTAIN, look_of
from status.grid import ModeStatus

LABEL_COLOUR = "#3a4256"
#: Horizontal padding either side of each text, in pixels.
PADDING = 6


def text_width(text: str) -> int:
    """About how wide ``text`` is drawn at 11 px in a sans-serif face: Chinese and
    other wide characters take a full em, the rest about 0.6 of one."""
    return round(
        sum(
            11 if unicodedata.east_asian_width(character) in "WF" else 6.6
            for character in text
        )
    )


@dataclass(frozen=True)
class Badge:
    label: str
    value: str
    #: The answer's colours (markets.vocabulary), as everywhere it is drawn.
    colour: str
    ink: str

    @classmethod
    def of(cls, cell: ModeStatus) -> "Badge":
        look = look_of(UNCERTAIN if cell.uncertain else cell.status)
        return cls(
            label=_("%(mode)s in %(market)s")
            % {
                "mode": cell.get_mode_display(),
                "market": cell.market.localized("name"),
            },
            value=_("%(answer)s, as of %(day)s")
            % {"answer": cell.in_brief, "day": cell.day.isoformat()},
            colour=look.colour,
            ink=look.on_colour,
        )

    @property
    def title(self) -> str:
        return f"{self.label}: {self.value}"

    @property
    def label_width(self) -> int:
        return text_width(self.label) + 2 * PADDING

    @property
    def value_width(self) -> int:
        return text_width(self.value) + 2 * PADDING

    @property
    def width(self) -> int:
        return self.label_width + self.value_width

    @property
    def label_x(self) -> int:
        return self.label_width // 2

    @property
    def value_x(self) -> int:
        return self.label_width + self.value_width // 2
