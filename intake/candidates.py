"""From a source's archived text to draft facts: the suggestions an analyst accepts.

``suggestion_part`` reads a part of the text (intake.suggestions), groups the
candidate facts by sentence and marks the sentences a fact already rests on; the
forms hold what an analyst decides for each candidate;
``candidates_accept`` writes the accepted ones through
``markets.services.facts_create_from_source``. The admin's suggestions page and the
API's (intake.api) both read and accept through this module, so a candidate offered,
checked and written is the same at either door.

A page reads a part of the text and offers a bounded number of candidates, so that it
answers in a second or two whatever the text (up to markets.archive's longest, or a
copy archived before that limit): the densest text, a figure every two characters, is
read at about 40,000 characters a second, and each candidate is a form of a dozen
fields to render. The page links to the next part.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django import forms
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from intake.suggestions import (
    DateSuggestion,
    EventDraft,
    FigureDraft,
    MarketSuggestion,
    RegionSuggestion,
    Sentence,
    Suggestion,
    by_sentence,
    draft_event,
    draft_figure,
    sentences,
    suggest,
)
from intake.suggestions.places import is_iso_code
from markets.models import (
    EventKind,
    Evidence,
    Market,
    MarketFigure,
    ModeEvent,
    Region,
    Source,
    SourceText,
    StatusSet,
)
from markets.quotes import locate
from markets.services import FactDraft

#: The history's reason for a fact accepted from its source's suggestions.
ACCEPTED_REASON = "Accepted from the suggestions of its source's text"
#: What separates market codes an analyst types: commas (either width), 、, spaces.
CODE_SEPARATORS = re.compile(r"[\s,，、;；]+")
#: The most characters of a text one page of suggestions reads, and the most
#: candidates it offers (measured: bench/suggestions.py).
SUGGESTIONS_READ_CHARS = 20_000
SUGGESTIONS_PER_PAGE = 40
#: Accepting suggestions writes facts and their quotes: it needs these (the Analyst
#: group has them).
ACCEPT_PERMISSIONS = (
    "markets.add_modeevent",
    "markets.add_eventevidence",
    "markets.add_marketfigure",
    "markets.add_marketfigureevidence",
)


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


@dataclass
class SuggestionPart:
    """The part of a text one page of suggestions reads: its sentences' groups from
    ``start``, and where the next part starts (None where this one reads to the end).
    ``cut_sentence`` where one sentence offered more candidates than a page holds."""

    groups: list[SuggestionGroup]
    start: int
    next_start: int | None
    text_length: int
    cut_sentence: bool = False

    @property
    def offered(self) -> int:
        return sum(len(group.candidates) for group in self.groups)


def suggestion_part(
    source: Source, copy: SourceText, quotes: Iterable[Evidence], *, start: int = 0
) -> SuggestionPart:
    """The text's candidate facts by sentence, in text order, from ``start``: at most
    SUGGESTIONS_READ_CHARS characters read and SUGGESTIONS_PER_PAGE candidates offered.
    A sentence that a quote of ``quotes`` overlaps is shown as recorded, its candidates
    not offered. A year is inferred from the part read (else the publication year)."""
    quotes = list(quotes)
    text = copy.text
    start = max(0, min(start, len(text)))
    end = min(len(text), start + SUGGESTIONS_READ_CHARS)
    next_start = None
    if end < len(text):
        # The last sentence may run on past the part: the next part begins with it.
        read = sentences(text[start:end])
        if len(read) > 1:
            end = start + read[-1].start
        next_start = end
    part = SuggestionPart(
        groups=[], start=start, next_start=next_start, text_length=len(text)
    )
    suggestions = suggest(
        text[start:end], language=source.language, published_on=source.published_on
    )
    offered = 0
    for sentence, found in by_sentence(suggestions).items():
        sentence = replace(
            sentence, start=start + sentence.start, end=start + sentence.end
        )
        group = SuggestionGroup(sentence=sentence)
        group.recorded = [row for row in quotes if overlaps(row, sentence)]
        offering = [] if group.recorded else [item for item in found if item.offered]
        if offered and offered + len(offering) > SUGGESTIONS_PER_PAGE:
            part.next_start = sentence.start
            break
        if len(offering) > SUGGESTIONS_PER_PAGE:
            part.cut_sentence = True
        # Drafted only as many as the page offers: a draft reads its whole sentence.
        add_candidates(source, group, found, offering[:SUGGESTIONS_PER_PAGE], start)
        offered += len(group.candidates)
        part.groups.append(group)
    offer_each_launch_once(part.groups)
    return part


#: What happens when a mode starts in a market: one start, however worded.
LAUNCHES = (EventKind.LAUNCH, EventKind.LAUNCH_PLANNED, EventKind.RELAUNCH)


def offer_each_launch_once(groups: list[SuggestionGroup]) -> None:
    """A launch told twice (a headline's "returns to Latin America in October", the
    body's "set to launch in Brazil and Mexico in October") is offered once: as the
    sentence naming its markets tells it, announced ahead where either says so."""
    kept: list[tuple[SuggestionGroup, Candidate]] = []
    for group in groups:
        for candidate in list(group.candidates):
            fields = candidate.draft.fields
            if candidate.kind != "event" or fields["kind"] not in LAUNCHES:
                continue
            index = next(
                (
                    n
                    for n, (_, other) in enumerate(kept)
                    if _same_launch(other, candidate)
                ),
                None,
            )
            if index is None:
                kept.append((group, candidate))
                continue
            twin_group, twin = kept[index]
            if candidate.draft.markets and not twin.draft.markets:
                twin_group.candidates.remove(twin)
                kept[index] = (group, candidate)
                candidate, twin = twin, candidate
            else:
                group.candidates.remove(candidate)
            kept_fields = twin.draft.fields
            if candidate.draft.fields["is_scheduled"]:
                kept_fields["is_scheduled"] = True
                if kept_fields["kind"] == EventKind.LAUNCH:
                    kept_fields["kind"] = EventKind.LAUNCH_PLANNED
                    kept_fields["status_set"] = StatusSet.NONE
            twin.draft.guesses.append(
                gettext("The same launch is told in another sentence: offered once.")
            )


def _same_launch(one: Candidate, other: Candidate) -> bool:
    first, second = one.draft.fields, other.draft.fields
    markets = set(one.draft.markets), set(other.draft.markets)
    return (
        (first["date"], first["date_precision"])
        == (second["date"], second["date_precision"])
        and (first["mode"] == second["mode"] or not (first["mode"] and second["mode"]))
        and (markets[0] == markets[1] or not (markets[0] and markets[1]))
    )


def part_start(request: HttpRequest) -> int:
    """Where the part of the text a page asks for starts (``?from=``); 0 for
    anything but a plain number."""
    value = request.GET.get("from", "")
    if value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    return 0


def add_candidates(
    source: Source,
    group: SuggestionGroup,
    found: list[Suggestion],
    offering: list[Suggestion],
    offset: int,
) -> None:
    """Give the group its candidates, one for each suggestion ``offering`` (a date or
    a figure among those ``found`` in its sentence), keyed by where its words stand
    in the text (its offset in the part read, plus ``offset``)."""
    for row in group.recorded:
        opts = row.fact._meta
        row.fact_admin_url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.fact.pk]
        )
    places = [
        item for item in found if isinstance(item, (MarketSuggestion, RegionSuggestion))
    ]
    for item in offering:
        if isinstance(item, DateSuggestion):
            draft = draft_event(item, places, published_on=source.published_on)
            kind = "event"
        else:
            draft = draft_figure(item, places)
            kind = "figure"
        group.candidates.append(
            Candidate(
                # Where its words stand: the same on every reading of one text.
                key=f"{kind}-{offset + item.wording_start}",
                kind=kind,
                draft=draft,
                wording=item.wording,
                note=str(item.note),
            )
        )


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
        addable = [code for code in unknown if is_iso_code(code)]
        if unknown and len(addable) < len(unknown):
            raise forms.ValidationError(
                _("No market has the code %(codes)s."),
                code="unknown_market",
                params={"codes": ", ".join(unknown)},
            )
        if addable:
            raise forms.ValidationError(
                _(
                    "The record has no market %(codes)s yet: tick “add … to the "
                    "record” for it at the top of the page."
                ),
                code="market_not_added",
                params={"codes": ", ".join(addable)},
            )
        return list({code: self.markets_by_code[code] for code in codes}.values())


class TickedRowForm(forms.Form):
    """A row of the suggestions page, ticked by its ``accept`` field. What is left
    unticked is not stored, so nothing of it is checked either."""

    @property
    def accepted(self) -> bool:
        """Ticked, read from the data before validation."""
        return bool(
            self.is_bound
            and self.fields["accept"].widget.value_from_datadict(
                self.data, self.files, self.add_prefix("accept")
            )
        )

    def full_clean(self) -> None:
        if self.is_bound and not self.accepted:
            self._errors = forms.utils.ErrorDict()
            self.cleaned_data = {}
            return
        super().full_clean()


class CandidateForm(TickedRowForm):
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
