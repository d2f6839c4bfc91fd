"""When an answer began, as the claims that decide it date it.

The status index starts a span on the first day its answer is certain; after a date
given to the month, or claims that disagree, that is the day after the last day they
allow: a day no source gives. Readers are told instead the deciding claims' own dates,
with their precision and the range of days they allow (``Start``).
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from markets.dates import DatePrecision

if TYPE_CHECKING:
    from markets.models.events import ModeEvent


@dataclass(frozen=True)
class Start:
    """The start of an answer as its deciding claims give it."""

    #: The first and the last day the claims allow (ModeEvent.date_span: what was
    #: reported done ends by its source's publication).
    earliest: datetime.date
    latest: datetime.date
    #: The lead claim's precision (markets.dates.DatePrecision).
    precision: str
    #: The claims' dates as their sources word them: "Feb 2024", "end of Aug 2023 or
    #: Sep 2023" where claims disagree.
    text: str
    #: The claims date it differently.
    disputed: bool = False

    @property
    def day(self) -> datetime.date | None:
        """The day itself, where the sources give it: else None."""
        if self.precision != DatePrecision.DAY or self.earliest != self.latest:
            return None
        return self.earliest


def start_of(claims: Sequence["ModeEvent"]) -> Start | None:
    """The start the claims give, the lead claim first; None for no claim."""
    if not claims:
        return None
    spans = [claim.date_span for claim in claims]
    # Earliest first, as a reader reads a range: "end of Aug 2023 or Sep 2023".
    in_order = sorted(zip(spans, claims, strict=True), key=lambda pair: pair[0])
    texts = list(dict.fromkeys(claim.date_display for _span, claim in in_order))
    text = texts[0]
    for other in texts[1:]:
        text = _("%(one)s or %(other)s") % {"one": text, "other": other}
    return Start(
        earliest=min(first for first, _last in spans),
        latest=max(last for _first, last in spans),
        precision=claims[0].date_precision,
        text=text,
        disputed=len(texts) > 1,
    )
