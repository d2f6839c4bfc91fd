"""Suggestions turned into the fields of draft records, for an analyst to finish.

``draft_event`` makes a draft ModeEvent's fields from a date and the markets of its
sentence; ``draft_figure`` a draft MarketFigure's from a figure. What the words do
not settle stays empty for the analyst (the summary, the metric), and what is guessed
from keywords (the mode, what happened, whether it was announced ahead) is said to be
a guess. Pure: the drafts are plain data, nothing is saved.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from intake.suggestions.base import (
    DateSuggestion,
    FigureSuggestion,
    MarketSuggestion,
    RegionSuggestion,
    Suggestion,
)
from intake.suggestions.clauses import (
    part_at,
    speaks_ahead,
    subject_places,
    told_as_begun,
)
from intake.suggestions.figure_words import METRIC_WORDS
from markets.dates import DatePrecision
from markets.models.choices import (
    EventKind,
    EventScope,
    Mode,
    Publication,
    Status,
    StatusSet,
)

Place = MarketSuggestion | RegionSuggestion

#: Keywords that hint at what happened, most telling first, each with the status it
#: would set. 内测 comes before 重启: 重启内测 is a beta.
KIND_WORDS: list[tuple[re.Pattern, str, str]] = [
    (re.compile(r"考察名单|考察|考虑|评估|shortlist|under consideration|considering", re.I), EventKind.UNDER_CONSIDERATION, Status.CONSIDERING),
    (re.compile(r"(?:重启|重新|开启|开放)?内测|公测|试点|灰度|测试|beta|pilot|\btest(?:s|ed|ing)?\b", re.I), EventKind.BETA_LAUNCH, Status.BETA),
    (re.compile(r"关停|关闭|关了|停止|下线|叫停|全禁|禁止|封禁|shut|prohibit|\bban(?:s|ned|ning)?\b|clos(?:e|es|ed|ing|ure)|discontinu|end(?:s|ed|ing)?\b", re.I), EventKind.CLOSURE_EFFECTIVE, Status.CLOSED),
    (re.compile(r"重启|回归|重返|恢复|重新上线|重新开放|再次上线|再度上线|卷土重来|re-?open|(?:open|launch|live)(?:s|es|ed|ing)?\s+again|relaunch|return|resum|restart|reviv", re.I), EventKind.RELAUNCH, Status.LIVE),
    (re.compile(r"上线|开通|推出|开放|开启|刚开|开了|开张|开业|launch|roll(?:s|ed)? out|open(?:s|ed)?\b|introduc|debut", re.I), EventKind.LAUNCH, Status.LIVE),
]  # fmt: skip
MODE_WORDS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"半闭环|独立站|外链|external (?:links?|sites?|stores?)|link(?:s|ing|ed)? out|semi-closed|Shopify|BigCommerce|WooCommerce|independent (?:web)?(?:sites?|stores?|shops?)|(?:their|its|sellers?'?) own (?:online |web )?(?:stores?|shops?|sites?|websites?)", re.I), Mode.SEMI_CLOSED_LOOP),
    (re.compile(r"全托管|fully[ -]managed|full[ -]service|full[ -]custody", re.I), Mode.FULLY_MANAGED),
    (re.compile(r"全闭环|(?<!半)闭环|小店|小黄车|TikTok Shop|closed[ -]loop|in-app (?:shop|store|checkout|purchas)|(?:checkout|purchases?|buy) (?:inside|within|in) (?:the )?(?:TikTok )?app", re.I), Mode.CLOSED_LOOP),
]  # fmt: skip
PROJECTION_WORDS = re.compile(
    r"目标|计划|预计|预期|有望|将|要冲|target|goal|plan|expect|forecast|project|aim",
    re.I,
)


@dataclass
class EventDraft:
    """A draft ModeEvent: ``fields`` for the model, its markets and regions by code,
    the quote for its evidence, and what was guessed."""

    fields: dict
    markets: list[str]
    regions: list[str]
    quote: str
    guesses: list[str] = field(default_factory=list)


@dataclass
class FigureDraft:
    """A draft MarketFigure: ``fields`` for the model, its markets by ISO code, its
    region's code, the quote for its evidence, and what was guessed."""

    fields: dict
    markets: list[str]
    region: str
    quote: str
    guesses: list[str] = field(default_factory=list)


def draft_event(
    date: DateSuggestion,
    places: Sequence[Place] = (),
    *,
    published_on: datetime.date | None = None,
) -> EventDraft:
    """The fields of a draft ModeEvent from a date and the markets of its sentence's
    part telling its event, which also gives what happened and whether it is
    announced ahead (intake.suggestions.clauses). What the sentence leaves unsaid
    comes from the text around it (``date.setting``), and the draft says so."""
    _same_sentence(date, places)
    sentence = date.quote
    offset = date.wording_end - date.start  # where the date ends in its sentence
    part_start, part_end = part_at(sentence, offset)
    part = sentence[part_start:part_end]
    markets, regions, guesses = _event_places(date, places, part_start, part_end)
    others = date.setting.other_dates
    found = _in_part(sentence, offset, part_start, KIND_WORDS, others)
    kind, status = found or (date.setting.headline_kind, date.setting.headline_status)
    kind_from = "sentence" if found else "headline"
    mode, mode_from = _event_mode(date, offset, part_start)
    is_scheduled = _announced_ahead(date, part, published_on)
    if kind == EventKind.LAUNCH and is_scheduled:
        kind, status = EventKind.LAUNCH_PLANNED, StatusSet.NONE
    guesses += _guessed_from_words(kind, kind_from, mode, mode_from, is_scheduled)
    scope, guess = _event_scope(markets, regions)
    if guess:
        guesses.append(guess)
    note_en, note_zh = _date_notes(date)
    fields = {
        "mode": mode,
        "kind": kind,
        "scope": scope,
        "date": date.day,
        "date_precision": date.precision,
        "date_wording": date.wording[:100],
        "date_note": note_en,
        "date_note_zh": note_zh,
        "is_scheduled": is_scheduled,
        "status_set": status or StatusSet.NONE,
        "summary_zh": "",
        "summary_en": "",
        "publication": Publication.DRAFT,
    }
    return EventDraft(
        fields=fields,
        markets=markets,
        regions=regions,
        quote=date.quote,
        guesses=guesses,
    )


def _event_places(
    date: DateSuggestion, places: Sequence[Place], part_start: int, part_end: int
) -> tuple[list[str], list[str], list[str]]:
    """The markets and regions of the date's event, and what the analyst is told of
    them: those its part names; where it names none, those an earlier part of its
    sentence is about (英国站2021年上线，后来于2023年关闭); where the sentence names
    none, those the sentence before is about, since a report names its market once
    and goes on. A later part's markets are its own event's ("launched in 2022, and
    later expanded to the UK")."""
    markets, regions = _codes(
        place
        for place in places
        if part_start <= place.wording_start - place.start < part_end
    )
    if markets or regions:
        return markets, regions, []
    earlier = [
        place for place in places if place.wording_start - place.start < part_start
    ]
    markets, regions = _codes(subject_places(date.quote, earlier))
    if markets or regions:
        return (
            markets,
            regions,
            [
                _(
                    "The markets are those the sentence is about: the words of this date "
                    "name none."
                )
            ],
        )
    if places:
        return [], [], []  # a later part's markets are its own event's
    markets = list(date.setting.carried_markets)
    regions = list(date.setting.carried_regions)
    if markets or regions:
        return (
            markets,
            regions,
            [
                _(
                    "The markets are carried from the sentence before: this one names none."
                )
            ],
        )
    return [], [], []


def _event_mode(date: DateSuggestion, offset: int, part_start: int) -> tuple[str, str]:
    """The mode and where it was read: the sentence's words (its part first), else
    the headline's, else the nearest sentence naming one."""
    found = _in_part(
        date.quote, offset, part_start, MODE_WORDS, date.setting.other_dates
    )
    if found:
        return found[0], "sentence"
    if date.setting.headline_mode:
        return date.setting.headline_mode, "headline"
    return date.setting.nearby_mode, "nearby"


def _announced_ahead(
    date: DateSuggestion, part: str, published_on: datetime.date | None
) -> bool:
    """Whether the source announces the event ahead: its date lies after the
    publication, or its part speaks of the future, but for a date told as the start
    of something under way ("testing since August"), a day reported on that very day
    (将于今日(10月4日)关闭, in a report of 10月4日: what a report says will happen today
    it reports as it happens) and a day named from the publication before it ("said
    Tuesday its shop will include ...": the day it was said)."""
    if published_on and date.span[0] > published_on:
        return True
    if not speaks_ahead(part):
        return False
    at = date.wording_start - date.start
    if told_as_begun(date.quote, at, at + len(date.wording)):
        return False
    if date.precision != DatePrecision.DAY:
        return True
    named_day = date.year_inferred_from == "relative"
    return not (date.day == published_on or named_day)


def _guessed_from_words(
    kind: str, kind_from: str, mode: str, mode_from: str, is_scheduled: bool
) -> list[str]:
    """What the analyst is told was guessed, and from which words."""
    guesses: list[str] = []
    if kind and kind_from == "headline":
        guesses.append(
            _("What happened (%(kind)s) is a guess from the headline's words.")
            % {"kind": EventKind(kind).label}
        )
    elif kind:
        guesses.append(
            _("What happened (%(kind)s) is a guess from the sentence's words.")
            % {"kind": EventKind(kind).label}
        )
    if mode and mode_from == "headline":
        guesses.append(
            _("The mode (%(mode)s) is a guess from the headline's words.")
            % {"mode": Mode(mode).label}
        )
    elif mode and mode_from == "nearby":
        guesses.append(
            _(
                "The mode (%(mode)s) is a guess from the nearest sentence naming one: "
                "this one names none."
            )
            % {"mode": Mode(mode).label}
        )
    elif mode:
        guesses.append(
            _("The mode (%(mode)s) is a guess from the sentence's words.")
            % {"mode": Mode(mode).label}
        )
    if is_scheduled:
        guesses.append(
            _("Announced ahead is a guess: the sentence speaks of the future.")
        )
    return guesses


def _event_scope(markets: list[str], regions: list[str]) -> tuple[str, str | None]:
    """The event's scope from the places its sentence names, and what the analyst
    should add where the sentence names no country (None when nothing)."""
    if regions and not markets:
        return EventScope.REGION, _(
            "The sentence names a region: add the countries the source names in it."
        )
    if regions:
        return EventScope.REGION, None
    if markets:
        return EventScope.MARKETS, None
    return EventScope.NONE, _(
        "The sentence names no market: choose worldwide if the source means every "
        "market."
    )


def draft_figure(figure: FigureSuggestion, places: Sequence[Place] = ()) -> FigureDraft:
    """The fields of a draft MarketFigure from a figure and the markets of its
    sentence (a figure with a before and an after keeps the after)."""
    _same_sentence(figure, places)
    markets = _unique(
        place.code for place in places if isinstance(place, MarketSuggestion)
    )
    regions = _unique(
        place.region for place in places if isinstance(place, RegionSuggestion)
    )
    guesses: list[str] = []
    is_projection = bool(PROJECTION_WORDS.search(figure.quote))
    if is_projection:
        guesses.append(
            _("A projection or target is a guess from the sentence's words.")
        )
    if figure.value_before is not None:
        guesses.append(
            _(
                "The words give a value before (%(before)s) as well: a market figure keeps one."
            )
            % {"before": f"{figure.value_before.normalize():f}"}
        )
    if len(regions) > 1:
        guesses.append(_("The sentence names several regions: choose one."))
    metric_en, metric_zh = _metric(figure)
    if metric_en:
        guesses.append(
            _("What it measures (%(metric)s) is a guess from the words around it.")
            % {"metric": metric_en}
        )
    fields = {
        "metric_zh": metric_zh,
        "metric_en": metric_en,
        "qualifier": figure.qualifier,
        "value": figure.value,
        "unit": figure.unit,
        "is_projection": is_projection,
        "period_zh": "",
        "period_en": "",
        "publication": Publication.DRAFT,
    }
    return FigureDraft(
        fields=fields,
        markets=markets,
        region=regions[0] if len(regions) == 1 else "",
        quote=figure.quote,
        guesses=guesses,
    )


#: How far around a figure's words its metric is looked for, in characters.
METRIC_REACH = 30


def _metric(figure: FigureSuggestion) -> tuple[str, str]:
    """The metric the words around a figure name, in English and Chinese: its own
    words first (25 employees, 40人的团队), then its clause either side; ("", "")
    where none says."""
    at = figure.wording_start - figure.start
    end = figure.wording_end - figure.start
    quote = figure.quote
    before = re.split(r"[,，;；。.!?！？]", quote[max(0, at - METRIC_REACH) : at])[-1]
    after = re.split(r"[,，;；。.!?！？]", quote[end : end + METRIC_REACH])[0]
    for words in (figure.wording + after[:12], before + figure.wording + after):
        for pattern, metric_en, metric_zh in METRIC_WORDS:
            if pattern.search(words):
                return metric_en, metric_zh
    return "", ""


def _same_sentence(anchor: Suggestion, places: Sequence[Place]) -> None:
    for place in places:
        if (place.start, place.end) != (anchor.start, anchor.end):
            raise ValueError(
                f"{place.wording!r} is not in the sentence of {anchor.wording!r}."
            )


def _codes(places) -> tuple[list[str], list[str]]:
    """The market codes and the region codes of ``places``, each once, in order."""
    places = list(places)
    markets = _unique(
        place.code for place in places if isinstance(place, MarketSuggestion)
    )
    regions = _unique(
        place.region for place in places if isinstance(place, RegionSuggestion)
    )
    return markets, regions


def _unique(values) -> list[str]:
    return list(dict.fromkeys(values))


CLAUSE_BREAK = re.compile(r"[,，;；:：—]+|\s+-\s+")


def _in_part(
    sentence: str, offset: int, part_start: int, table: list, others: tuple = ()
) -> tuple:
    """``_nearest`` in the part of the sentence holding ``offset``, else in the
    whole sentence (the mode is often named once, in another part). ``others``:
    where the sentence's other dates stand, whose clauses are theirs."""
    part = sentence[part_start : part_at(sentence, offset)[1]]
    in_part = [(start - part_start, end - part_start) for start, end in others]
    return _nearest(part, offset - part_start, table, in_part) or _nearest(
        sentence, offset, table, others
    )


def _nearest(
    sentence: str, offset: int, table: list[tuple], others: Sequence = ()
) -> tuple:
    """The first entry of ``table`` whose keyword is in the date's clause; else in the
    clauses after it, nearest first; else in those before it. Within a clause the
    table's order decides (重启半闭环内测 is a beta). A clause holding another date
    tells that date's event ("a marketplace it has been testing since August") and
    is passed over."""
    bounds = [0]
    for match in CLAUSE_BREAK.finditer(sentence):
        bounds.extend((match.start(), match.end()))
    bounds.append(len(sentence))
    clauses = [
        (bounds[index], bounds[index + 1]) for index in range(0, len(bounds) - 1, 2)
    ]
    own = next(
        (n for n, (start, end) in enumerate(clauses) if start <= offset <= end),
        len(clauses) - 1,
    )
    order = [own, *range(own + 1, len(clauses)), *range(own - 1, -1, -1)]
    for index in order:
        start, end = clauses[index]
        if index != own and any(s < end and start < e for s, e in others):
            continue
        clause = sentence[start:end]
        for pattern, *values in table:
            if pattern.search(clause):
                return tuple(values)
    return ()


def _date_notes(date: DateSuggestion) -> tuple[str, str]:
    """The date notes in English and Chinese: content, in both languages."""
    year = date.day.year
    if date.year_inferred_from == "text":
        return (
            f"The source gives no year ({date.wording}); {year} is the nearest year it "
            "states before these words.",
            f"原文未注明年份（{date.wording}）；{year}年取自文中此前最近提到的年份。",
        )
    if date.year_inferred_from == "publication":
        return (
            f"The source gives no year ({date.wording}); {year} is its publication "
            "year.",
            f"原文未注明年份（{date.wording}）；{year}年为来源的发布年份。",
        )
    if date.year_inferred_from == "tense":
        return (
            f"The source gives no year ({date.wording}); {year} follows from its "
            "publication and the tense of its words: announced ahead, the next such "
            "month; told as done, the latest.",
            f"原文未注明年份（{date.wording}）；{year}年由来源的发布日期与用词时态推断："
            "预告之事取其后最近的该月，已发生之事取此前最近的该月。",
        )
    if date.year_inferred_from == "relative":
        return (
            f"The source counts the year from its publication ({date.wording}): "
            f"{year}.",
            f"原文以发布年份为基准（{date.wording}），推断为{year}年。",
        )
    return "", ""
