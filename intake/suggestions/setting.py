"""What the text around a date's sentence says: its headline, the nearest mode, the
markets of the sentence before.

A sentence often leaves unsaid what its text has said already. A list under a headline
(TK小店什么时候上线的: 英国:2021年9月——首个开放第三方卖家入驻的海外市场) tells its
launches without the word; a report names the market once and goes on ("TikTok is
launching in the U.S. ... The company said Tuesday ..."); an article about TikTok Shop
says "上线" without the mode. A draft takes these from its own words first and falls
back on the setting, saying so (intake.suggestions.drafts).
"""

import re
from bisect import bisect_left, bisect_right
from dataclasses import replace

from intake.suggestions.base import (
    DateSuggestion,
    MarketSuggestion,
    RegionSuggestion,
    Sentence,
    TextSetting,
)
from intake.suggestions.clauses import subject_places
from intake.suggestions.drafts import KIND_WORDS, MODE_WORDS

Place = MarketSuggestion | RegionSuggestion

#: A line of fields above an archived text ("URL: ...", "Published: ..."): no headline.
FIELD_LINE = re.compile(r"[A-Z][A-Za-z ]{1,20}:\s")
#: A headline is short and ends on no mark that ends a statement (a question or an
#: exclamation may end one: TK小店什么时候上线的？).
HEADLINE_MAX_CHARS = 150
SENTENCE_MARKS = "。.;；:：,，"


def headline(text: str) -> str:
    """The text's first line, where it is a headline ("" where the text opens on a
    sentence)."""
    for line in text.splitlines():
        line = line.strip()
        if not line or FIELD_LINE.match(line):
            continue
        if len(line) <= HEADLINE_MAX_CHARS and line[-1] not in SENTENCE_MARKS:
            return line
        return ""
    return ""


def first_of(table: list[tuple], words: str) -> tuple:
    """The values of the first entry of ``table`` whose keyword is in ``words``."""
    for pattern, *values in table:
        if pattern.search(words):
            return tuple(values)
    return ()


def with_settings(
    text: str,
    dates: list[DateSuggestion],
    places: list[Place],
    sentences: list[Sentence],
) -> list[DateSuggestion]:
    """``dates``, each with what the text around its sentence says."""
    title = headline(text)
    title_mode = (first_of(MODE_WORDS, title) or ("",))[0] if title else ""
    title_kind, title_status = first_of(KIND_WORDS, title) or ("", "")
    starts = [sentence.start for sentence in sentences]
    modes = [
        (first_of(MODE_WORDS, sentence.text) or ("",))[0] for sentence in sentences
    ]
    naming_mode = [index for index, mode in enumerate(modes) if mode]
    subjects = _subjects(sentences, starts, places)
    same_sentence: dict[int, list[DateSuggestion]] = {}
    for date in dates:
        same_sentence.setdefault(date.start, []).append(date)
    settled = []
    for date in dates:
        index = bisect_right(starts, date.start) - 1
        before = index - 1
        carried = subjects.get(before, ((), ())) if before >= 0 else ((), ())
        settled.append(
            replace(
                date,
                setting=TextSetting(
                    headline_mode=title_mode,
                    headline_kind=title_kind,
                    headline_status=title_status,
                    nearby_mode=_nearest_mode(index, naming_mode, modes),
                    carried_markets=carried[0],
                    carried_regions=carried[1],
                    other_dates=tuple(
                        (
                            other.wording_start - date.start,
                            other.wording_end - date.start,
                        )
                        for other in same_sentence[date.start]
                        if other is not date
                    ),
                ),
            )
        )
    return settled


def _subjects(
    sentences: list[Sentence], starts: list[int], places: list[Place]
) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Per sentence naming a place, by index: the markets and regions it is about."""
    index_of = {start: index for index, start in enumerate(starts)}
    by_sentence: dict[int, list[Place]] = {}
    for place in places:
        by_sentence.setdefault(index_of[place.start], []).append(place)
    subjects = {}
    for index, named in by_sentence.items():
        about = subject_places(sentences[index].text, named)
        subjects[index] = (
            tuple(
                dict.fromkeys(p.code for p in about if isinstance(p, MarketSuggestion))
            ),
            tuple(
                dict.fromkeys(
                    p.region for p in about if isinstance(p, RegionSuggestion)
                )
            ),
        )
    return subjects


def _nearest_mode(index: int, naming_mode: list[int], modes: list[str]) -> str:
    """The mode of the nearest sentence before ``index`` naming one, else after."""
    at = bisect_left(naming_mode, index)
    if at > 0:
        return modes[naming_mode[at - 1]]
    if at < len(naming_mode) and naming_mode[at] == index:
        at += 1  # the sentence itself: its own mode is read before this
    return modes[naming_mode[at]] if at < len(naming_mode) else ""
