"""What a suggestion is: a fact found in a source's text, with the sentence it rests on.

Every suggestion carries its sentence as the quote (an exact substring of the text, with
its offsets), the words it was read from (``wording``, also with offsets) and the value
read from them. Nothing here touches the database.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from markets.dates import date_span, format_fuzzy_date


class SuggestionKind(StrEnum):
    DATE = "date"
    MARKET = "market"
    REGION = "region"
    FIGURE = "figure"


@dataclass(frozen=True, kw_only=True)
class Sentence:
    """A sentence of a text: ``text == source[start:end]``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True, kw_only=True)
class Suggestion:
    """A candidate fact for an analyst to accept or reject."""

    kind: ClassVar[SuggestionKind]
    #: Whether it is offered as a fact of its own (a date as an event, a figure);
    #: a market or a region only fills in the facts of its sentence.
    offered: ClassVar[bool] = False
    #: The sentence the suggestion rests on, verbatim, and where it sits in the text.
    quote: str
    start: int
    end: int
    #: The words the value was read from, and where they sit in the text.
    wording: str
    wording_start: int
    wording_end: int
    #: What an analyst should know before accepting it (an inferred year, a guess).
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class TextSetting:
    """What the text around a date's sentence says that the sentence may leave
    unsaid, for its draft to fall back on (intake.suggestions.setting)."""

    #: The mode, and what happened with the status it sets, as the headline words
    #: them ("" where it does not).
    headline_mode: str = ""
    headline_kind: str = ""
    headline_status: str = ""
    #: The mode of the nearest other sentence naming one.
    nearby_mode: str = ""
    #: The markets and regions the sentence before is about.
    carried_markets: tuple[str, ...] = ()
    carried_regions: tuple[str, ...] = ()
    #: Where the sentence's other dates stand in it, as (start, end) in the sentence:
    #: the words of their clauses tell their events, not this one's.
    other_dates: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True, kw_only=True)
class DateSuggestion(Suggestion):
    kind = SuggestionKind.DATE
    offered = True
    #: As the project stores a fuzzy date: the first day of what the words name.
    day: datetime.date
    precision: str
    #: Where the year came from when the words give none: "text" (the nearest year
    #: before it), "publication" (the source's publication year) or "relative"
    #: (今年, 去年: counted from the publication year) or "tense" (a month announced
    #: ahead or told as done: the next or the latest by the publication); "" when
    #: stated.
    year_inferred_from: str = ""
    #: What the text around its sentence says (its headline, the sentence before).
    setting: TextSetting = TextSetting()

    @property
    def value(self) -> tuple[datetime.date, str]:
        return self.day, self.precision

    @property
    def year_inferred(self) -> bool:
        return bool(self.year_inferred_from)

    @property
    def span(self) -> tuple[datetime.date, datetime.date]:
        """The earliest and latest day the words allow (markets.dates.date_span)."""
        return date_span(self.day, self.precision)

    @property
    def display(self) -> str:
        return format_fuzzy_date(self.day, self.precision)


@dataclass(frozen=True, kw_only=True)
class MarketSuggestion(Suggestion):
    kind = SuggestionKind.MARKET
    #: An ISO 3166-1 alpha-2 code.
    code: str

    @property
    def value(self) -> str:
        return self.code


@dataclass(frozen=True, kw_only=True)
class RegionSuggestion(Suggestion):
    kind = SuggestionKind.REGION
    #: The code of a Region as the project names them (fixtures/markets.json).
    region: str

    @property
    def value(self) -> str:
        return self.region


@dataclass(frozen=True, kw_only=True)
class FigureSuggestion(Suggestion):
    kind = SuggestionKind.FIGURE
    offered = True
    #: The value in the unit (万 and 亿 multiplied out; a fall is negative).
    value: Decimal
    unit: str
    qualifier: str
    #: For "from X to Y" (从500单干到1500单): X, with ``value`` holding Y.
    value_before: Decimal | None = None

    @property
    def values(self) -> tuple[Decimal, ...]:
        """Every value the words give: (before, after) for a change, else (value,)."""
        if self.value_before is None:
            return (self.value,)
        return (self.value_before, self.value)
