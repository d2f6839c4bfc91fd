"""An embeddable SVG badge of one market's answer in one mode: "Semi-closed loop in
Germany | beta since Feb 2024, as of 2024-06-01", in the answer's colours; worded by
status.wording, as every surface is, stale where its evidence is too old."""

import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _

from markets.vocabulary import look_of
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
        look = look_of(cell.shown)
        return cls(
            label=_("%(mode)s in %(market)s")
            % {
                "mode": cell.get_mode_display(),
                "market": cell.market.localized("name"),
            },
            value=cls.value_of(cell),
            colour=look.colour,
            ink=look.on_colour,
        )

    @staticmethod
    def value_of(cell: ModeStatus) -> str:
        """The answer's short line, its day, and whether it is stale."""
        return cell.words.with_stale_note(
            _("%(answer)s, as of %(day)s")
            % {"answer": cell.words.brief, "day": cell.day.isoformat()}
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
