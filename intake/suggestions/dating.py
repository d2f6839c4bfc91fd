"""Dates in Chinese and English wordings, read as the project's fuzzy dates.

Each wording becomes a first day and a precision (markets.dates.DatePrecision), never
sharper than the words: 2024年2月 is a month, 8月底 the end of a month, 2020年左右 about
a year, 2023年底 the end of a year, 2024年3月5日 a day; "September 12", "12 September
2023", "the end of August", "in 2021" the same in English.

A month or day without its year takes the year from context: the nearest year stated
before it in the same sentence, else the nearest stated before it in the text, else
the source's publication year. A text's years run through its history (从2020年左右开始
试水, ... 可现在8月底之后外链全禁), so where the publication year is known and the
nearest year before lies more than a year from it, the publication year is taken: a
bare month in a dated article speaks of its own time. Either way the suggestion says
where the year came from.
"""

import calendar
import datetime
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

from babel import Locale

from intake.suggestions.clauses import part_at, tense, told_as_begun
from intake.suggestions.named_days import find_named_days
from intake.suggestions.text import CHINESE_DIGITS, chinese_number
from markets.dates import DatePrecision

FIRST_YEAR, LAST_YEAR = 1990, 2100


@dataclass(frozen=True)
class FoundDate:
    start: int
    end: int
    day: datetime.date
    precision: str
    year_inferred_from: str = ""
    #: Set where the words say more than the precision can hold (a quarter, a half).
    detail: str = ""


# --- Chinese -------------------------------------------------------------------------

# 23年 is a year only where a month or a part of a year follows (23年底, 23年8月):
# on its own it is as often a number of years.
ZH_YEAR = (
    r"(?P<year>\d{4}|[〇零一二三四五六七八九]{4}|"
    r"[12]\d(?=\s*年\s*(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月|"
    r"\s*年\s*(?:底|末|初|上半年|下半年|Q[1-4])))\s*年"
)
ZH_RELATIVE_YEAR = r"(?P<relative>今年|去年|明年|前年)"
ZH_MONTH = r"(?P<month>1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])\s*月份?"
ZH_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9]|三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])\s*[日号]"
ZH_MONTH_END = r"(?P<month_end>底|末|下旬)"
ZH_MONTH_OTHER = r"(?P<month_part>初|上旬|中旬)?"

ZH_MONTH_WORDS = rf"{ZH_MONTH}\s*(?:{ZH_DAY}|{ZH_MONTH_END}|{ZH_MONTH_OTHER})"
ZH_PATTERNS = [
    re.compile(
        rf"""(?<![\d个])(?:{ZH_YEAR}|{ZH_RELATIVE_YEAR})\s*
        (?:
            (?P<month_range>(?:1[0-2]|0?[1-9])\s*[-–~～]\s*(?:1[0-2]|0?[1-9]))\s*月
          | {ZH_MONTH_WORDS}
          | (?P<year_end>年?底|年?末|年终)
          | (?P<about>左右|前后)
          | (?P<quarter>Q[1-4]|第?[一二三四1-4]季度)
          | (?P<half>上半年|下半年|年初|年中|初)
          | (?P<season>[春夏秋冬](?:季|天))
          | (?P<year_only>)
        )""",
        re.VERBOSE,
    ),
    # A month without its year: not 3个月 (three months), not a figure's digits.
    re.compile(
        rf"(?<![\d个.\-–~～]){ZH_MONTH_WORDS}"
    ),  # A month counted from the publication: 上个月, 下月底, 本月初.
    re.compile(
        r"(?P<relative_month>上个?月|下个?月|本月|这个月)"
        r"(?:(?P<month_end>底|末|下旬)|(?P<month_part>初|上旬|中旬))?"
    ),
]
RELATIVE_MONTHS = {"上": -1, "下": 1, "本": 0, "这": 0}

RELATIVE_YEARS = {
    "今年": 0, "去年": -1, "明年": 1, "前年": -2,
    "this": 0, "last": -1, "next": 1,
}  # fmt: skip

#: Halves and thirds of a year: the precision and the month it starts in.
ZH_PARTS_OF_YEAR = {
    "上半年": {"precision": DatePrecision.HALF, "month": 1},
    "下半年": {"precision": DatePrecision.HALF, "month": 7},
    "年初": {"precision": DatePrecision.YEAR_EARLY, "month": 1},
    "初": {"precision": DatePrecision.YEAR_EARLY, "month": 1},
    "年中": {"precision": DatePrecision.YEAR_MID, "month": 5},
}
#: Seasons by their first month (markets.dates: the northern hemisphere's).
SEASON_MONTHS = {
    "春": 3, "spring": 3,
    "夏": 6, "summer": 6,
    "秋": 9, "autumn": 9, "fall": 9,
    "冬": 12, "winter": 12,
}  # fmt: skip


def _quarter(number: int) -> dict:
    return {"precision": DatePrecision.QUARTER, "month": 3 * (number - 1) + 1}


def _season(name: str) -> dict:
    return {"precision": DatePrecision.SEASON, "month": SEASON_MONTHS[name.lower()]}


def _zh_number(words: str) -> int | None:
    if words.isdigit():
        return int(words)
    if all(char in CHINESE_DIGITS for char in words) and len(words) == 4:
        return chinese_number(words)
    return chinese_number(words)


# --- English -------------------------------------------------------------------------

_EN = Locale("en")
MONTH_NUMBERS: dict[str, int] = {}
for _width in ("wide", "abbreviated"):
    for _number, _name in _EN.months["format"][_width].items():
        MONTH_NUMBERS[_name.lower()] = _number
MONTH_NUMBERS["sept"] = 9
_WIDE = {name.lower() for name in _EN.months["format"]["wide"].values()}
# A full name ends at its word; an abbreviation may keep its full stop (Sept. 12).
EN_MONTH = (
    r"(?P<month>(?:"
    + "|".join(sorted((n.capitalize() for n in _WIDE), key=len, reverse=True))
    + r")\b|(?:"
    + "|".join(
        sorted(
            (n.capitalize() for n in MONTH_NUMBERS if n not in _WIDE),
            key=len,
            reverse=True,
        )
    )
    + r")\b\.?)"
)
# Not the year of an ISO date (2024-03-05), read whole by its own pattern.
EN_YEAR = r"(?P<year>(?:19|20)\d\d)\b(?![-/.]\d)"
EN_DAY = r"(?P<day>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\b"


def _en(pattern: str) -> re.Pattern:
    return re.compile(rf"\b(?:{pattern})", re.VERBOSE)


EN_PATTERNS = [
    _en(
        r"""(?P<iso_year>(?:19|20)\d\d)[-/.](?P<iso_month>1[0-2]|0?[1-9])
        (?:[-/.](?P<iso_day>3[01]|[12]\d|0?[1-9]))?(?![\d-])"""
    ),
    _en(
        rf"""(?i:(?:the\s+)?(?:end|close|last\s+days?)\s+of\s+|late[\s-]+)
        {EN_MONTH}(?:,?\s+{EN_YEAR})?(?P<month_end>)"""
    ),
    _en(rf"{EN_DAY}\s+(?:of\s+)?{EN_MONTH}(?:,?\s+{EN_YEAR})?"),
    _en(
        rf"""{EN_MONTH}(?:\s+{EN_DAY}(?!\s*(?:%|percent|per\s+cent)))?
        (?:,?\s+{EN_YEAR})?"""
    ),
    _en(
        rf"""(?i:(?:the\s+)?(?:end|close)\s+of\s+(?:the\s+year\s+)?|
        year[\s-]end\s+)
        {EN_YEAR}(?P<year_end>)"""
    ),
    _en(
        rf"""(?:(?i:around|circa|c\.|about|roughly|approximately)\s+{EN_YEAR}
        |{EN_YEAR.replace("year>", "year_or_so>")}\s+or\s+so)(?P<about>)"""
    ),
    _en(
        rf"""(?P<part>(?i:early|mid|late|H[12]|Q[1-4]|
        the\s+(?:first|second)\s+half\s+of|
        the\s+(?:first|second|third|fourth)\s+quarter\s+of))[\s-]+{EN_YEAR}"""
    ),
    _en(
        rf"""(?:(?P<season>(?i:spring|summer|autumn|fall|winter))\s+(?:of\s+)?{EN_YEAR}
        |(?P<this_season>(?i:this|last|next)\s+(?i:spring|summer|autumn|fall|winter)))"""
    ),
    # Counted from the publication: "next year", "early next year", "the end of this
    # year", "last month", "this October".
    _en(
        rf"""(?P<relative_part>(?i:early|mid|late|(?:the\s+)?end\s+of|
        (?:the\s+)?(?:first|second)\s+half\s+of)[\s-]+)?
        (?P<relative_which>(?i:this|next|last))\s+
        (?:(?P<relative_unit>(?i:year|month))\b|{EN_MONTH})"""
    ),
    _en(
        rf"""(?i:in|since|by|from|until|till|through|during|before|after|
        fiscal|FY|year)[\s-]+{EN_YEAR}"""
    ),
]

#: English parts of a year, by their first word: the precision and first month.
EN_PARTS_OF_YEAR = {
    "early": {"precision": DatePrecision.YEAR_EARLY, "month": 1},
    "mid": {"precision": DatePrecision.YEAR_MID, "month": 5},
    "late": {"precision": DatePrecision.YEAR_LATE, "month": 9},
    "h1": {"precision": DatePrecision.HALF, "month": 1},
    "h2": {"precision": DatePrecision.HALF, "month": 7},
    "the first half of": {"precision": DatePrecision.HALF, "month": 1},
    "the second half of": {"precision": DatePrecision.HALF, "month": 7},
    **{f"q{number}": _quarter(number) for number in range(1, 5)},
    **{
        f"the {ordinal} quarter of": _quarter(number)
        for number, ordinal in enumerate(("first", "second", "third", "fourth"), 1)
    },
}
#: "this spring" in a dated source: its publication year's, "last" the one before.
RELATIVE_SEASONS = {"this": 0, "last": -1, "next": 1}


#: A part of a year or month named before "this year", "next month".
EN_RELATIVE_PARTS = {
    "early": {"precision": DatePrecision.YEAR_EARLY, "month": 1},
    "mid": {"precision": DatePrecision.YEAR_MID, "month": 5},
    "late": {"precision": DatePrecision.YEAR_LATE, "month": 9},
    "end of": {"precision": DatePrecision.YEAR_END, "month": 1},
    "first half of": {"precision": DatePrecision.HALF, "month": 1},
    "second half of": {"precision": DatePrecision.HALF, "month": 7},
}


def find_dates(
    text: str, *, sentence_starts: list[int], published_on: datetime.date | None
) -> list[FoundDate]:
    """Every date wording in ``text`` (its matching copy), in order."""
    stated: list[tuple[int, int]] = []  # (offset, year) of every year the text states
    candidates: list[tuple[int, int, dict]] = []
    readers = [(pattern, _read_zh) for pattern in ZH_PATTERNS] + [
        (pattern, _read_en) for pattern in EN_PATTERNS
    ]
    for pattern, reader in readers:
        for match in pattern.finditer(text):
            parts = reader(match, published_on)
            if parts is None:
                continue
            candidates.append((match.start(), match.end(), parts))
    candidates.sort(key=lambda item: (item[0], -item[1]))
    found: list[FoundDate] = []
    last_end = -1
    for start, end, parts in candidates:
        if start < last_end:
            continue  # overlapped by a longer wording found first
        last_end = end
        year = parts["year"]
        inferred = ""
        if year is None:
            year, inferred = _infer_year(start, stated, sentence_starts, published_on)
            if parts.get("month") and inferred != "text" or inferred == "distant":
                year, inferred = _year_by_tense(
                    text, start, end, parts, sentence_starts, published_on
                )
            if year is None:
                continue
        elif parts.get("relative"):
            inferred = "relative"
        else:
            stated.append((start, year))
        day = _first_day(year, parts)
        if day is None:
            continue
        found.append(
            FoundDate(
                start=start,
                end=end,
                day=day,
                precision=parts["precision"],
                year_inferred_from=inferred,
                detail=parts.get("detail", ""),
            )
        )
    stated = [(date.start, date.end) for date in found]
    named = find_named_days(
        text, stated=stated, sentence_starts=sentence_starts, published_on=published_on
    )
    found += [
        FoundDate(start, end, day, DatePrecision.DAY, "relative", "named_day")
        for start, end, day in named
    ]
    return sorted(found, key=lambda date: date.start)


def _infer_year(
    offset: int,
    stated: list[tuple[int, int]],
    sentence_starts: list[int],
    published_on: datetime.date | None,
) -> tuple[int | None, str]:
    # ``stated`` and ``sentence_starts`` are in text order: both are bisected, so
    # that a text of many dates is read in linear time.
    before = bisect_left(stated, offset, key=lambda item: item[0])
    starts_before = bisect_right(sentence_starts, offset)
    sentence_start = sentence_starts[starts_before - 1] if starts_before else 0
    if before:
        at, year = stated[before - 1]
        if at >= sentence_start:
            return year, "text"  # the nearest year before, in the same sentence
        if published_on is None or abs(year - published_on.year) <= 1:
            return year, "text"
        return year, "distant"  # the publication's year, or as the tense says
    if published_on is not None:
        return published_on.year, "publication"
    return None, ""


def _year_by_tense(
    text: str,
    start: int,
    end: int,
    parts: dict,
    sentence_starts: list[int],
    published_on: datetime.date | None,
) -> tuple[int | None, str]:
    """The year of a month the words give without one, in a dated source: what it
    announces ahead ("set to launch in October") is the next such month from its
    publication, what it tells as done the latest one by then; else the
    publication's year."""
    if published_on is None:
        return None, ""
    starts_before = bisect_right(sentence_starts, start)
    sentence_start = sentence_starts[starts_before - 1] if starts_before else 0
    sentence_end = (
        sentence_starts[starts_before]
        if starts_before < len(sentence_starts)
        else len(text)
    )
    sentence = text[sentence_start:sentence_end]
    part_start, part_end = part_at(sentence, end - sentence_start)
    told = tense(sentence[part_start:part_end])
    if told_as_begun(sentence, start - sentence_start, end - sentence_start):
        told = "past"  # "testing since August": begun before the telling
    month, year = parts["month"] if parts.get("month") else 1, published_on.year
    if told == "ahead" and month < published_on.month:
        return year + 1, "tense"
    if told == "past" and month > published_on.month:
        return year - 1, "tense"
    return year, "publication"


def _first_day(year: int, parts: dict) -> datetime.date | None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return None
    month = parts.get("month") or 1
    day = parts.get("day") or 1
    if not 1 <= month <= 12 or not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return datetime.date(year, month, day)


def _read_zh(match: re.Match, published_on: datetime.date | None) -> dict | None:
    groups = match.groupdict()
    year: int | None = None
    relative = False
    if groups.get("relative_month"):
        if published_on is None:
            return None
        shift = RELATIVE_MONTHS[groups["relative_month"][0]]
        year, month = divmod(
            published_on.year * 12 + published_on.month - 1 + shift, 12
        )
        groups["month"] = str(month + 1)
        relative = True
    elif groups.get("year"):
        year = _zh_number(groups["year"])
        if year is not None and year < 100:
            year += 2000  # 23年底: this century's
    elif groups.get("relative"):
        if published_on is None:
            return None
        year = published_on.year + RELATIVE_YEARS[groups["relative"]]
        relative = True
    month = _zh_number(groups["month"]) if groups.get("month") else None
    parts: dict = {"year": year, "relative": relative}
    if month is not None:
        parts["month"] = month
        if groups.get("day"):
            parts["day"] = _zh_number(groups["day"])
            parts["precision"] = DatePrecision.DAY
        elif groups.get("month_end"):
            parts["precision"] = DatePrecision.MONTH_END
        else:
            parts["precision"] = DatePrecision.MONTH
            if groups.get("month_part"):
                parts["detail"] = "part_of_month"
        return parts
    if groups.get("month_range"):
        # 2024年1-3月: months of a year, which only the year holds.
        parts["precision"] = DatePrecision.YEAR
        parts["detail"] = "part_of_year"
    elif groups.get("year_end"):
        parts["precision"] = DatePrecision.YEAR_END
    elif groups.get("about"):
        parts["precision"] = DatePrecision.APPROXIMATE
    elif groups.get("quarter"):
        quarter = "一二三四".find(number := groups["quarter"].strip("第季度Q")) + 1
        parts.update(_quarter(quarter or int(number)))
    elif groups.get("half"):
        parts.update(ZH_PARTS_OF_YEAR[groups["half"]])
    elif groups.get("season"):
        parts.update(_season(groups["season"][0]))
    else:
        parts["precision"] = DatePrecision.YEAR
    return parts


def _read_en(match: re.Match, published_on: datetime.date | None) -> dict | None:
    groups = match.groupdict()
    year_words = groups.get("year") or groups.get("year_or_so")
    year = int(year_words) if year_words else None
    if groups.get("relative_which"):
        return _read_en_relative(groups, published_on)
    if groups.get("iso_year"):
        parts = {"year": int(groups["iso_year"]), "month": int(groups["iso_month"])}
        if groups.get("iso_day"):
            parts["day"] = int(groups["iso_day"])
            parts["precision"] = DatePrecision.DAY
        else:
            parts["precision"] = DatePrecision.MONTH
        return parts
    month_name = groups.get("month")
    if month_name:
        parts = {"year": year, "month": MONTH_NUMBERS[month_name.rstrip(".").lower()]}
        if groups.get("month_end") is not None:
            parts["precision"] = DatePrecision.MONTH_END
        elif groups.get("day"):
            parts["day"] = int(groups["day"])
            parts["precision"] = DatePrecision.DAY
        else:
            if month_name == "May" and year is None:
                return None  # the verb far more often than the month
            parts["precision"] = DatePrecision.MONTH
        return parts
    if groups.get("year_end") is not None:
        return {"year": year, "precision": DatePrecision.YEAR_END}
    if groups.get("about") is not None:
        return {"year": year, "precision": DatePrecision.APPROXIMATE}
    if groups.get("part"):
        words = re.sub(r"\s+", " ", groups["part"].lower())
        return {"year": year, **EN_PARTS_OF_YEAR[words]}
    if groups.get("season"):
        return {"year": year, **_season(groups["season"])}
    if groups.get("this_season"):
        if published_on is None:
            return None
        which, season = groups["this_season"].lower().split()
        return {
            "year": published_on.year + RELATIVE_SEASONS[which],
            "relative": True,
            **_season(season),
        }
    return {"year": year, "precision": DatePrecision.YEAR}


def _read_en_relative(groups: dict, published_on: datetime.date | None) -> dict | None:
    """ "next year", "early next year", "last month", "this October": counted from
    the publication, as the source's readers counted them."""
    if published_on is None:
        return None
    which = RELATIVE_YEARS[groups["relative_which"].lower()]
    part = re.sub(r"\s+", " ", (groups.get("relative_part") or "").lower()).strip()
    part = part.removeprefix("the ")
    unit = (groups.get("relative_unit") or "").lower()
    if unit == "year":
        shape = EN_RELATIVE_PARTS.get(part, {"precision": DatePrecision.YEAR})
        return {"year": published_on.year + which, "relative": True, **shape}
    if unit == "month":
        year, month = divmod(
            published_on.year * 12 + published_on.month - 1 + which, 12
        )
        month += 1
    else:
        month = MONTH_NUMBERS[groups["month"].rstrip(".").lower()]
        year = published_on.year
        if which > 0 and month <= published_on.month:
            year += 1  # next October: the first after the publication
        elif which < 0 and month >= published_on.month:
            year -= 1
    parts = {"year": year, "month": month, "relative": True}
    if part in ("late", "end of"):
        parts["precision"] = DatePrecision.MONTH_END
    else:
        parts["precision"] = DatePrecision.MONTH
        if part:
            parts["detail"] = "part_of_month" if part in ("early", "mid") else ""
    return parts
