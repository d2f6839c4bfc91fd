"""From a source's archived text to draft facts: the suggestions an analyst accepts.

``suggestion_groups`` reads the text once (markets.suggestions), groups the candidate
facts by sentence and marks the sentences a fact already rests on; the forms hold what
an analyst decides for each candidate; ``markets.services.facts_create_from_source``
writes the accepted ones. Only the admin's suggestions page uses this module.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from markets.models import (
    Evidence,
    Market,
    MarketFigure,
    ModeEvent,
    Region,
    Source,
    SourceText,
)
from markets.quotes import locate
from markets.services import FactDraft
from markets.suggestions import (
    DateSuggestion,
    EventDraft,
    FigureDraft,
    FigureSuggestion,
    MarketSuggestion,
    RegionSuggestion,
    Sentence,
    by_sentence,
    draft_event,
    draft_figure,
    suggest,
)

#: The history's reason for a fact accepted from its source's suggestions.
ACCEPTED_REASON = "Accepted from the suggestions of its source's text"
#: What separates market codes an analyst types: commas (either width), 、, spaces.
CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")


@dataclass
class Candidate:
    """One suggested fact: an event from a date, or a figure, with its sentence."""

    key: str
    kind: str  # "event" or "figure"
    draft: EventDraft | FigureDraft
    wording: str
    note: str
    form: forms.Form | None = None

    @property
    def guesses(self) -> list[str]:
        return [note for note in (self.note, *self.draft.guesses) if note]


@dataclass
class SuggestionGroup:
    """A sentence of the text, the facts already resting on it, and the candidates
    it offers (none where a fact rests on it already)."""

    sentence: Sentence
    recorded: list[Evidence] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)


def suggestion_groups(
    source: Source, copy: SourceText, quotes: Iterable[Evidence]
) -> list[SuggestionGroup]:
    """The text's candidate facts by sentence, in text order. A sentence that a quote
    of ``quotes`` overlaps is shown as recorded, its candidates not offered."""
    quotes = list(quotes)
    groups = []
    suggestions = suggest(
        copy.text, language=source.language, published_on=source.published_on
    )
    for sentence, found in by_sentence(suggestions).items():
        group = SuggestionGroup(sentence=sentence)
        group.recorded = [row for row in quotes if overlaps(row, sentence)]
        for row in group.recorded:
            opts = row.fact._meta
            row.fact_admin_url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.fact.pk]
            )
        groups.append(group)
        if group.recorded:
            continue
        places = [
            item
            for item in found
            if isinstance(item, (MarketSuggestion, RegionSuggestion))
        ]
        for item in found:
            if isinstance(item, DateSuggestion):
                draft = draft_event(item, places, published_on=source.published_on)
                kind = "event"
            elif isinstance(item, FigureSuggestion):
                draft = draft_figure(item, places)
                kind = "figure"
            else:
                continue
            group.candidates.append(
                Candidate(
                    # Where its words stand: the same on every reading of one text.
                    key=f"{kind}-{item.wording_start}",
                    kind=kind,
                    draft=draft,
                    wording=item.wording,
                    note=str(item.note),
                )
            )
    return groups


def overlaps(row: Evidence, sentence: Sentence) -> bool:
    """Whether a quote covers part of the sentence: by its place in the text where it
    was found there, else by its words."""
    if row.quote_start is not None and row.quote_end is not None:
        return row.quote_start < sentence.end and sentence.start < row.quote_end
    return bool(locate(row.quote, sentence.text) or locate(sentence.text, row.quote))


def summary_fields(source: Source, sentence: str) -> dict[str, str]:
    """The summary in the source's language, the sentence itself: the other language
    is left for the analyst to translate."""
    if source.language.startswith("zh"):
        return {"summary_zh": sentence, "summary_en": ""}
    return {"summary_zh": "", "summary_en": sentence}


class MarketCodesField(forms.CharField):
    """Market codes typed as an analyst reads them, ``JP, KR``, made markets."""

    def __init__(self, *, markets_by_code: dict[str, Market], **kwargs) -> None:
        self.markets_by_code = markets_by_code
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 12}))
        super().__init__(**kwargs)

    def clean(self, value: str) -> list[Market]:
        value = super().clean(value)
        codes = [code.upper() for code in CODE_SEPARATORS.split(value) if code]
        unknown = [code for code in codes if code not in self.markets_by_code]
        if unknown:
            raise forms.ValidationError(
                _("No market has the code %(codes)s."),
                code="unknown_market",
                params={"codes": ", ".join(unknown)},
            )
        return list({code: self.markets_by_code[code] for code in codes}.values())


class CandidateForm(forms.Form):
    """What an analyst decides of one candidate; ticked, it is added as a draft."""

    model: type[models.Model]
    model_fields: tuple[str, ...]

    accept = forms.BooleanField(label=_("Add"), required=False)

    def __init__(
        self, *args, markets_by_code: dict[str, Market], initial: dict, **kwargs
    ) -> None:
        super().__init__(*args, initial=initial, **kwargs)
        for name in self.model_fields:
            self.fields[name] = self.model._meta.get_field(name).formfield()
        self.fields["markets"] = MarketCodesField(
            label=_("markets"),
            markets_by_code=markets_by_code,
            help_text=_("Codes, e.g. JP, KR"),
        )

    @property
    def accepted(self) -> bool:
        """Ticked, read from the data before validation: an unticked row is not
        checked at all."""
        return self.is_bound and self["accept"].field.widget.value_from_datadict(
            self.data, self.files, self.add_prefix("accept")
        )

    def add_model_errors(self, errors: dict[str, list[str]]) -> None:
        """The service's errors on this row, each on its field where the row has it."""
        for name, messages in errors.items():
            self.add_error(name if name in self.fields else None, messages)

    def draft(self, *, quote: str, extra: dict, regions: dict) -> FactDraft:
        data = {name: self.cleaned_data[name] for name in self.model_fields}
        return FactDraft(
            model=self.model,
            fields={**extra, **data},
            quote=quote,
            markets=self.cleaned_data["markets"],
        )


class EventCandidateForm(CandidateForm):
    model = ModeEvent
    model_fields = (
        "mode",
        "kind",
        "status_set",
        "scope",
        "date",
        "date_precision",
        "is_scheduled",
    )


class FigureCandidateForm(CandidateForm):
    model = MarketFigure
    model_fields = ("metric_zh", "metric_en", "qualifier", "value", "unit")

    def __init__(self, *args, regions: list[Region], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"] = forms.ChoiceField(
            label=_("region"),
            required=False,
            choices=[("", "---------"), *((r.code, str(r)) for r in regions)],
        )

    def draft(self, *, quote: str, extra: dict, regions: dict) -> FactDraft:
        draft = super().draft(quote=quote, extra=extra, regions=regions)
        draft.region = regions.get(self.cleaned_data["region"])
        return draft


def candidate_initial(candidate: Candidate) -> dict:
    """The form's starting values: the draft's guesses."""
    draft = candidate.draft
    names = (
        EventCandidateForm.model_fields
        if candidate.kind == "event"
        else FigureCandidateForm.model_fields
    )
    initial = {name: draft.fields[name] for name in names if name in draft.fields}
    initial["markets"] = ", ".join(draft.markets)
    if candidate.kind == "figure":
        initial["region"] = draft.region
    return initial


def candidate_extra(source: Source, group: SuggestionGroup, candidate: Candidate):
    """The draft's fields the analyst does not decide on this page: the source's own
    words for the date, its notes, the summary in the source's language."""
    fields = candidate.draft.fields
    if candidate.kind == "event":
        return {
            "date_wording": fields["date_wording"],
            "date_note": fields["date_note"],
            "date_note_zh": fields["date_note_zh"],
            **summary_fields(source, group.sentence.text),
        }
    return {
        "is_projection": fields["is_projection"],
        "period_zh": fields["period_zh"],
        "period_en": fields["period_en"],
    }
