"""Suggestions from a source's text: candidate dates, markets and figures for an
analyst to accept or reject, each resting on its sentence.

``suggest(text, language=..., published_on=...)`` reads a text and returns the
suggestions in the order they appear; ``draft_event`` and ``draft_figure``
(intake.suggestions.drafts) turn them into the fields of draft records. Nothing here
reads or writes the database: the admin decides what to do with a suggestion.
"""

import datetime

from django.utils.translation import gettext_lazy as _

from intake.suggestions.base import (
    DateSuggestion,
    FigureSuggestion,
    MarketSuggestion,
    RegionSuggestion,
    Sentence,
    Suggestion,
    SuggestionKind,
)
from intake.suggestions.datelines import datelines
from intake.suggestions.dating import find_dates
from intake.suggestions.drafts import (
    EventDraft,
    FigureDraft,
    draft_event,
    draft_figure,
)
from intake.suggestions.figures import find_figures
from intake.suggestions.places import find_places
from intake.suggestions.setting import with_settings
from intake.suggestions.text import matching_copy, sentence_at, sentences

__all__ = [
    "DateSuggestion",
    "EventDraft",
    "FigureDraft",
    "FigureSuggestion",
    "MarketSuggestion",
    "RegionSuggestion",
    "Sentence",
    "Suggestion",
    "SuggestionKind",
    "draft_event",
    "draft_figure",
    "sentences",
    "suggest",
    "by_sentence",
]

DETAIL_NOTES = {
    "part_of_month": _(
        "The words name part of a month (its beginning or middle); the date is the "
        "month."
    ),
    "part_of_year": _(
        "The words name some months of a year that no precision holds; the date is "
        "the year."
    ),
    "percentage_points": _(
        "Percentage points: a difference between two percentages, not a percent change."
    ),
    "named_day": _(
        "The words name the day from the source's publication (today, a weekday): "
        "the day is counted from it."
    ),
    "foreign_currency": _(
        "In a currency the project does not record: the amount is given without it."
    ),
}


def suggest(
    text: str, *, language: str, published_on: datetime.date | None = None
) -> list[Suggestion]:
    """Candidate dates, markets, regions and figures in ``text``, in text order.

    ``language`` is the source's (``zh-Hans``, ``en``, ...): both Chinese and English
    wordings are read whatever it says, since Chinese sources quote English names and
    figures; it is kept for callers and future languages. ``published_on`` gives the
    year of a month or day the text states without one, where no year before it does,
    and the day "next year" or "this spring" count from; where it is None, the
    text's own dateline does. The dateline itself is never suggested
    (intake.suggestions.datelines).
    """
    del language  # Both languages' wordings are read in any text (see above).
    copy = matching_copy(text)
    where = SentencePlaces(text)
    dates = find_dates(copy, sentence_starts=where.starts, published_on=published_on)
    own = datelines(copy, dates)
    if own and published_on is None:
        # Relative dates count from the dateline where no publication is recorded.
        published_on = own[0].day
        dates = find_dates(
            copy, sentence_starts=where.starts, published_on=published_on
        )
        own = datelines(copy, dates)
    taken = [(found.start, found.end) for found in dates]
    dates = [found for found in dates if found not in own]
    places = place_suggestions(find_places(copy), where)
    suggestions: list[Suggestion] = [
        *with_settings(text, date_suggestions(dates, where), places, where.sentences),
        *places,
        *figure_suggestions(find_figures(copy, taken), where),
    ]
    suggestions.sort(key=lambda suggestion: (suggestion.wording_start, suggestion.kind))
    return suggestions


class SentencePlaces:
    """Where a wording found in a text stands: its sentence, quoted whole, and the
    wording itself, cut at the sentence's end."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences = sentences(text)
        self.starts = [sentence.start for sentence in self.sentences]

    def __call__(self, start: int, end: int) -> dict | None:
        """The suggestion's place fields; None outside any sentence."""
        sentence = sentence_at(self.sentences, start, self.starts)
        if sentence is None:
            return None
        end = min(end, sentence.end)
        return {
            "quote": sentence.text,
            "start": sentence.start,
            "end": sentence.end,
            "wording": self.text[start:end],
            "wording_start": start,
            "wording_end": end,
        }


def date_suggestions(dates: list, where: SentencePlaces) -> list[Suggestion]:
    suggestions: list[Suggestion] = []
    for found in dates:
        place = where(found.start, found.end)
        if place is None:
            continue
        suggestions.append(
            DateSuggestion(
                **place,
                day=found.day,
                precision=found.precision,
                year_inferred_from=found.year_inferred_from,
                note=_date_note(found.day.year, found.year_inferred_from, found.detail),
            )
        )
    return suggestions


def place_suggestions(places: list, where: SentencePlaces) -> list[Suggestion]:
    suggestions: list[Suggestion] = []
    for found in places:
        place = where(found.start, found.end)
        if place is None:
            continue
        if found.code:
            suggestions.append(MarketSuggestion(**place, code=found.code))
        else:
            suggestions.append(RegionSuggestion(**place, region=found.region))
    return suggestions


def figure_suggestions(figures: list, where: SentencePlaces) -> list[Suggestion]:
    suggestions: list[Suggestion] = []
    for found in figures:
        place = where(found.start, found.end)
        if place is None:
            continue
        note = DETAIL_NOTES.get(found.detail, "")
        if found.detail == "range":
            note = _("A range, %(low)s to %(high)s: suggested as at least %(low)s.") % {
                "low": f"{found.value.normalize():f}",
                "high": f"{found.extra['high'].normalize():f}",
            }
        suggestions.append(
            FigureSuggestion(
                **place,
                value=found.value,
                unit=found.unit,
                qualifier=found.qualifier,
                value_before=found.value_before,
                note=note,
            )
        )
    return suggestions


def by_sentence(suggestions: list[Suggestion]) -> dict[Sentence, list[Suggestion]]:
    """The suggestions grouped by their sentence, in text order: what ``draft_event``
    takes is a date and the markets of one group."""
    groups: dict[Sentence, list[Suggestion]] = {}
    for suggestion in suggestions:
        sentence = Sentence(
            text=suggestion.quote, start=suggestion.start, end=suggestion.end
        )
        groups.setdefault(sentence, []).append(suggestion)
    return dict(sorted(groups.items(), key=lambda item: item[0].start))


def _date_note(year: int, inferred_from: str, detail: str) -> str:
    notes = []
    if inferred_from == "text":
        notes.append(
            _(
                "The words give no year: %(year)s is the nearest year stated before "
                "them."
            )
            % {"year": year}
        )
    elif inferred_from == "publication":
        notes.append(
            _("The words give no year: %(year)s is the source's publication year.")
            % {"year": year}
        )
    elif inferred_from == "tense":
        notes.append(
            _(
                "The words give no year: %(year)s follows from the source's "
                "publication and the tense of the words."
            )
            % {"year": year}
        )
    elif inferred_from == "relative":
        notes.append(
            _("%(year)s is counted from the source's publication year.")
            % {"year": year}
        )
    if detail in DETAIL_NOTES:
        notes.append(str(DETAIL_NOTES[detail]))
    return " ".join(str(note) for note in notes)
