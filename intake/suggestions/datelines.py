"""A source's own dateline: the day it was published, printed at its head or after
"Published" (发布于), which is no fact of the record.

"September 7, 2024" on a line of its own above an article, "By Jane Doe | Sep 7,
2024", "发布时间：2024-09-07 10:32": the day the page went out, not a day anything
happened in a market. It is never offered as a fact; it is the day "next year",
"this spring" or a bare "October" are counted from where the source's publication
date is not recorded.
"""

import re

from intake.suggestions.dating import FoundDate
from intake.suggestions.drafts import KIND_WORDS
from markets.dates import DatePrecision

#: Words that say a date is the page's own.
PUBLISHED_CUES = re.compile(
    r"(?:published|posted|updated|last\s+updated|first\s+published|released|"
    r"发布于|发布时间|发布日期|发表于|发表时间|更新于|更新时间|发布)"
    r"\s*(?:on|at)?\s*[:：]?\s*$",
    re.IGNORECASE,
)
#: The head of a text: its first lines, before the story starts.
HEAD_LINES = 6
HEAD_CHARS = 400
#: A dateline's line holds little beside the date (a byline, a reading time), and
#: is no sentence: "新规于2024年3月5日生效。" is a fact.
DATELINE_REST_CHARS = 60
SENTENCE_STOP = re.compile(r"[。！？]|[.!?](?:\s|$)")


def datelines(text: str, dates: list[FoundDate]) -> list[FoundDate]:
    """The dates of ``dates`` that are the text's own dateline: a day printed after
    "Published" anywhere, or a day with its year alone on a line of the text's head
    (beside a byline at most, and no word of anything happening)."""
    head_end = _head_end(text)
    found = []
    for date in dates:
        if date.precision != DatePrecision.DAY or date.year_inferred_from:
            continue
        if PUBLISHED_CUES.search(text[max(0, date.start - 30) : date.start]):
            found.append(date)
            continue
        if date.start >= head_end:
            continue
        line_start = text.rfind("\n", 0, date.start) + 1
        line_end = text.find("\n", date.end)
        line_end = len(text) if line_end == -1 else line_end
        rest = (text[line_start : date.start] + text[date.end : line_end]).strip()
        if (
            len(rest) <= DATELINE_REST_CHARS
            and not SENTENCE_STOP.search(rest)
            and not any(pattern.search(rest) for pattern, *_ in KIND_WORDS)
        ):
            found.append(date)
    return found


def _head_end(text: str) -> int:
    end = 0
    for _line in range(HEAD_LINES):
        found = text.find("\n", end)
        if found == -1:
            return min(len(text), HEAD_CHARS)
        end = found + 1
    return min(end, HEAD_CHARS)
