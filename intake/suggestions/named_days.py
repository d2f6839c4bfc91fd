"""Days named from the publication: today, a weekday, 今日, 周二.

News tells the day of what it reports by its weekday ("the company said Tuesday",
周二宣布) or as today (今日, 今天, 今起, "starting today"). Both count from the
publication, so a source without one has no such day. A bare weekday is the latest
such day on or before the publication, or the first on or after it where its part of
the sentence announces it ahead ("will close on Friday"): a report speaks of the week
it is in. 上周二 and 下周二 are that weekday of the week before or after the
publication's, "last Tuesday" and "next Tuesday" the nearest before or after it.

A named day beside a date of its own ("today, Tuesday (12/12/2023)", 将于今日(10月4日))
says that date again: it is left to the date, the one wording of that day.
"""

import datetime
import re
from bisect import bisect_left, bisect_right

from intake.suggestions.clauses import part_at, speaks_ahead

EN_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")  # fmt: skip
ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}

EN_NAMED_DAY = re.compile(
    rf"\b(?:(?P<which>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<weekday>{'|'.join(EN_WEEKDAYS)})\b"
    r"|\b(?P<today>[Tt]oday)\b(?!['’]s)"
)
# Not 每周二 (every Tuesday), 一周二次 or 两周 (counts of weeks), 周一至周五 (a span of
# weekdays), nor 今日头条 (an app).
ZH_NAMED_DAY = re.compile(
    r"(?<![每一二两三四五六七八九十几数\d至到\-–~～])"
    r"(?:(?P<which>上|下|本|这)个?)?(?:周|星期|礼拜)(?P<weekday>[一二三四五六日天])"
    r"(?![至到\-–~～])"
    r"|(?P<today>今日(?!头条)|今天|今起)"
)
#: Names that hold a weekday without naming a day of the report's week.
NOT_WEEKDAYS = re.compile(r"(?:Cyber|Black|Super|Good|Easter|Blue|Giving)\s+$")
#: A verb of telling or doing just before the day: the day it was told or done.
TOLD_ON = re.compile(
    r"\b(?:said|says|told|announced|confirmed|reported|[a-z]{3,}ed)\s+(?:on\s+)?$"
    r"|(?:宣布|表示|称|证实)$",
    re.IGNORECASE,
)
#: What may stand between a named day and the date it restates.
BESIDE = re.compile(r"[\s,，、(（]*")


def find_named_days(
    text: str,
    *,
    stated: list[tuple[int, int]],
    sentence_starts: list[int],
    published_on: datetime.date | None,
) -> list[tuple[int, int, datetime.date]]:
    """Every day ``text`` names from the publication, as (start, end, day), but those
    a date wording beside them restates (``stated``: the others' (start, end))."""
    if published_on is None:
        return []
    found = []
    for pattern in (EN_NAMED_DAY, ZH_NAMED_DAY):
        for match in pattern.finditer(text):
            if NOT_WEEKDAYS.search(text[max(0, match.start() - 12) : match.start()]):
                continue
            if match.group("today"):
                day = published_on
            else:
                ahead = _speaks_ahead(text, match.start(), match.end(), sentence_starts)
                day = _weekday(match, published_on, ahead=ahead)
            found.append((match.start(), match.end(), day))
    found.sort()
    stated = sorted(stated)
    return [
        (start, end, day)
        for index, (start, end, day) in enumerate(found)
        if not restated(text, start, end, stated)
        # nor a later named day beside it ("today, Tuesday": Tuesday says it)
        and not restated(
            text, start, end, [item[:2] for item in found[index + 1 : index + 2]]
        )
    ]


def _weekday(
    match: re.Match, published_on: datetime.date, *, ahead: bool
) -> datetime.date:
    name = match.group("weekday")
    target = ZH_WEEKDAYS[name] if name in ZH_WEEKDAYS else EN_WEEKDAYS.index(name)
    which = (match.group("which") or "").lower()
    if which in ("上", "下", "本", "这"):
        monday = published_on - datetime.timedelta(days=published_on.weekday())
        weeks = {"上": -1, "下": 1}.get(which, 0)
        return monday + datetime.timedelta(days=7 * weeks + target)
    back = (published_on.weekday() - target) % 7
    on = (target - published_on.weekday()) % 7
    if which == "last":
        return published_on - datetime.timedelta(days=back or 7)
    if which == "next":
        return published_on + datetime.timedelta(days=on or 7)
    if ahead:
        return published_on + datetime.timedelta(days=on)
    return published_on - datetime.timedelta(days=back)


def _speaks_ahead(text: str, start: int, end: int, sentence_starts: list[int]) -> bool:
    """Whether the words before the day, in its part of its sentence, announce it
    ahead ("will close on Friday", 将于周五): in "said Tuesday it will launch" the
    future is what was said, not the day it was said on."""
    index = bisect_right(sentence_starts, start)
    sentence_start = sentence_starts[index - 1] if index else 0
    sentence_end = sentence_starts[index] if index < len(sentence_starts) else len(text)
    sentence = text[sentence_start:sentence_end]
    part_start = part_at(sentence, end - sentence_start)[0]
    before = sentence[part_start : start - sentence_start]
    return speaks_ahead(before) and not TOLD_ON.search(before)


def restated(text: str, start: int, end: int, others: list[tuple[int, int]]) -> bool:
    """Whether the named day at ``text[start:end]`` stands beside another date wording
    (``others``: their (start, end), in text order), which then says the day. Only the
    nearest before and after can stand beside it."""
    at = bisect_left(others, (end, -1))
    if at < len(others) and BESIDE.fullmatch(text[end : others[at][0]]):
        return True
    if at == 0:
        return False
    before_start, before_end = others[at - 1]
    return before_end > start or bool(BESIDE.fullmatch(text[before_end:start]))
