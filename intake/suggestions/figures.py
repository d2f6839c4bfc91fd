"""Figures: numbers with their units and qualifiers, as markets.models.FigureValue
records them (FigureUnit, Qualifier, UNIT_BOUNDS).

超/超过/逾/破/突破 are "more than", 不到/不足 "less than", 约/近/左右 "about",
以上 "at least" (as the qualifier's help text has it), 以下/以内 "at most"; 万 is
×10,000 and 亿 ×100,000,000; % is a share, or a change where a verb of change leads
to it (涨了40%, 低30%: a fall is negative), but a level where the verb ends in 到
(提升到25%); 倍 is a multiple; 元 yuan, 美元/美金 US dollars; 个/家/单/人 counts;
从500单干到1500单 is one figure, before and after. English the same: "more than 50
million", "less than 10%", "up 120%", "$50bn", "2.8 times".
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from intake.suggestions.figure_words import (
    CLAUSE,
    EN_AFTER,
    EN_BEFORE,
    EN_COUNT_BEFORE,
    EN_DOWN,
    EN_DOWN_AFTER,
    EN_FIGURE,
    EN_LEVEL,
    EN_SMALL_NUMBERS,
    EN_UNITS,
    EN_UP,
    EN_UP_AFTER,
    FOREIGN,
    FROM_TO,
    FROM_TO_MIDDLE,
    IDIOMS,
    MONEY_WORDS,
    NO_UNIT,
    RANGE,
    RANKS,
    SCALES,
    ZH_AFTER,
    ZH_BEFORE,
    ZH_CURRENCY_BEFORE,
    ZH_DOWN,
    ZH_FIGURE,
    ZH_LEVEL,
    ZH_UNITS,
    ZH_UP,
)
from intake.suggestions.text import Taken, number
from markets.models.choices import UNIT_BOUNDS, FigureUnit, Qualifier


@dataclass
class FoundFigure:
    start: int
    end: int
    value: Decimal
    unit: str | None  # None: a bare number, kept only as half of "from X to Y"
    qualifier: str = Qualifier.EXACT
    value_before: Decimal | None = None
    #: Why the analyst should look twice (percentage points, a foreign currency).
    detail: str = ""
    is_change: bool = False
    extra: dict = field(default_factory=dict)


def find_figures(text: str, taken: list[tuple[int, int]]) -> list[FoundFigure]:
    """Every figure in ``text`` (its matching copy) outside the spans already
    ``taken`` by dates, in order."""
    found: list[FoundFigure] = []
    for idiom, value, unit in IDIOMS:
        for match in idiom.finditer(text):
            found.append(FoundFigure(match.start(), match.end(), Decimal(value), unit))
    for pattern in RANKS:
        for match in pattern.finditer(text):
            figure = _rank(match)
            if figure is not None:
                found.append(figure)
    busy = Taken(len(text))
    for start, end in [*taken, *((figure.start, figure.end) for figure in found)]:
        busy.add(start, end)
    numbers: list[FoundFigure] = []
    for pattern, reader, chinese in (
        (ZH_FIGURE, _read_zh, True),
        (EN_FIGURE, _read_en, False),
    ):
        for match in pattern.finditer(text):
            if not match.group("number") or busy.overlaps(*match.span()):
                continue
            if (
                _chinese_around(text, match.start("number"), match.end("number"))
                != chinese
            ):
                continue
            figure = reader(text, match)
            if figure is not None:
                numbers.append(figure)
                busy.add(figure.start, figure.end)
    numbers.sort(key=lambda figure: figure.start)
    found.extend(_paired(text, numbers))
    found = [figure for figure in found if figure.unit is not None]
    for figure in found:
        _fit_bounds(figure)
    found.sort(key=lambda figure: figure.start)
    return found


def _chinese_around(text: str, start: int, end: int) -> bool:
    """Whether a number is written in Chinese: a Chinese character is its own or
    stands next to it (spaces and signs aside)."""
    if any(_is_cjk(char) for char in text[start:end]):
        return True
    before = re.sub(r"[\s$¥￥€£%+,.\-]", "", text[max(0, start - 4) : start])
    after = re.sub(r"[\s$¥￥€£%+,.\-]", "", text[end : end + 4])
    return bool((before and _is_cjk(before[-1])) or (after and _is_cjk(after[0])))


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _clause_before(text: str, start: int) -> str:
    before = text[max(0, start - 16) : start]
    parts = CLAUSE.split(before)
    return parts[-1] if parts else ""


def _qualifier_before(before: str, table: list[tuple[str, str]]) -> tuple[str, str]:
    """The qualifier ending ``before``, and ``before`` without it (约有600万 too)."""
    stripped = before.rstrip()
    if stripped.endswith("有") and not stripped.endswith("没有"):
        qualifier, rest = _qualifier_before(stripped[:-1], table)
        if qualifier != Qualifier.EXACT:
            return qualifier, rest
    for words, qualifier in table:
        if stripped.lower().endswith(words):
            return qualifier, stripped[: len(stripped) - len(words)]
    return Qualifier.EXACT, stripped


def _read_zh(text: str, match: re.Match) -> FoundFigure | None:
    start = match.start()
    words = match.group("number")
    is_digits = words[0].isdigit()
    scale, unit_words = match.group("scale"), match.group("unit")
    previous = text[start - 1] if start else ""
    if previous.isascii() and previous.isalpha():
        return None  # Q2, H1, iPhone15: a name, not a figure
    if previous == "第":
        return None  # an ordinal
    if unit_words in NO_UNIT:
        return None
    if not is_digits and previous in "几数":
        return None  # 几十万, 数百家: no number to record
    if not is_digits and not (scale or unit_words in ("倍", "年", "%")):
        return None  # 一个爆款视频: a Chinese numeral only as a figure with 万/亿/倍
    if (
        not is_digits
        and unit_words == "年"
        and not re.search(r"[了近满过去未来]$", text[:start])
    ):
        return None
    value = number(words)
    if value is None:
        return None
    following = text[match.end() : match.end() + 1]
    if unit_words == "年" and (value >= 100 or (following and following in "月底末初")):
        return None  # a year, not a number of years
    if scale:
        value *= SCALES[scale]
    currency = (match.group("currency") or "").strip()
    unit = (
        ZH_UNITS.get(unit_words)
        if unit_words in ZH_UNITS
        else FigureUnit.COUNT
        if unit_words
        else None
    )
    if currency:
        unit = ZH_CURRENCY_BEFORE[currency]
    detail = ""
    if unit_words == "个百分点":
        detail = "percentage_points"
    if unit_words in FOREIGN or currency in FOREIGN:
        detail = "foreign_currency"
    before = _clause_before(text, start if not currency else match.start("currency"))
    qualifier, rest = _qualifier_before(before, ZH_BEFORE)
    if match.group("more"):
        qualifier = Qualifier.MORE_THAN
    if match.group("suffix"):
        qualifier = ZH_AFTER[match.group("suffix")]
    if unit is None and scale:
        money = MONEY_WORDS.search(before) or MONEY_WORDS.match(
            text[match.end() : match.end() + 8].lstrip()
        )
        unit = FigureUnit.AMOUNT if money else FigureUnit.COUNT
    figure = FoundFigure(start, match.end(), value, unit, qualifier, detail=detail)
    _read_change(figure, rest, "", ZH_LEVEL, ZH_UP, ZH_DOWN, None, None)
    return figure


def _read_en(text: str, match: re.Match) -> FoundFigure | None:
    start = match.start()
    words = match.group("number")
    value = number(words)
    if value is None:
        return None
    scale = match.group("scale")
    unit_words = (match.group("unit") or "").lower()
    unit_words = re.sub(r"\s+", " ", unit_words)
    currency = (match.group("currency") or "").strip()
    if unit_words in ("month", "months", "week", "weeks"):
        return None
    if not (scale or unit_words or currency) and re.fullmatch(r"(?:19|20)\d\d", words):
        return None  # a year
    if scale:
        value *= SCALES[scale.lower()]
    unit = EN_UNITS.get(unit_words) if unit_words else None
    if currency:
        unit = ZH_CURRENCY_BEFORE[currency]
    end = match.end("unit") if match.group("unit") else match.end("number")
    if scale:
        end = max(end, match.end("scale"))
    if match.group("plus"):
        end = max(end, match.end("plus"))
    if unit is None and match.group("noun"):
        unit = (
            FigureUnit.AMOUNT
            if MONEY_WORDS.search(match.group("noun"))
            else FigureUnit.COUNT
        )
        end = match.end("noun")
    before = text[max(0, start - 24) : start]
    before = CLAUSE.split(before)[-1]
    counted = EN_COUNT_BEFORE.search(before)
    if unit is None and not currency and counted:
        unit = FigureUnit.COUNT  # a team of 40: its words are "team of 40"
        start -= len(before) - counted.start()
    if unit is None and scale:
        unit = FigureUnit.AMOUNT if MONEY_WORDS.search(before) else FigureUnit.COUNT
    detail = "percentage_points" if unit_words.startswith("percentage") else ""
    if unit_words in FOREIGN or currency in FOREIGN:
        detail = "foreign_currency"
    qualifier, rest = _qualifier_before(before, EN_BEFORE)
    if match.group("plus"):
        qualifier = Qualifier.MORE_THAN
    if match.group("suffix"):
        qualifier = EN_AFTER[" ".join(match.group("suffix").split())]
        end = match.end("suffix")
    figure = FoundFigure(start, end, value, unit, qualifier, detail=detail)
    after = text[end : end + 24]
    _read_change(
        figure, rest, after, EN_LEVEL, EN_UP, EN_DOWN, EN_UP_AFTER, EN_DOWN_AFTER
    )
    return figure


def _read_change(
    figure: FoundFigure,
    before: str,
    after: str,
    level: re.Pattern,
    up: re.Pattern,
    down: re.Pattern,
    up_after: re.Pattern | None,
    down_after: re.Pattern | None,
) -> None:
    """A percent a verb of change leads to (涨了40%, down 20%) is a change."""
    before = before.rstrip()
    if level.search(before):
        return
    sign = 0
    if up.search(before) or (up_after and up_after.search(after)):
        sign = 1
    elif down.search(before) or (down_after and down_after.search(after)):
        sign = -1
    if not sign:
        return
    figure.is_change = True
    if figure.unit == FigureUnit.PERCENT and figure.detail != "percentage_points":
        figure.unit = FigureUnit.PERCENT_CHANGE
        figure.value = figure.value * sign


def _paired(text: str, numbers: list[FoundFigure]) -> list[FoundFigure]:
    """从500单干到1500单, from 25% to 15%: one figure, before and after. A bare number
    with no unit stays only as half of such a pair."""
    result: list[FoundFigure] = []
    index = 0
    while index < len(numbers):
        first = numbers[index]
        second = numbers[index + 1] if index + 1 < len(numbers) else None
        if (
            second is not None
            and FROM_TO.search(text[max(0, first.start - 8) : first.start])
            and FROM_TO_MIDDLE.search(text[first.end : second.start])
        ):
            unit = second.unit or first.unit or FigureUnit.COUNT
            before_value = abs(first.value) if first.is_change else first.value
            after_value = abs(second.value) if second.is_change else second.value
            if unit == FigureUnit.PERCENT_CHANGE:
                unit = FigureUnit.PERCENT  # a level before and after, not a change
            result.append(
                FoundFigure(
                    first.start,
                    second.end,
                    after_value,
                    unit,
                    second.qualifier,
                    value_before=before_value,
                    detail=second.detail or first.detail,
                )
            )
            index += 2
            continue
        if (
            second is not None
            and first.unit is None
            and second.unit is not None
            and RANGE.search(text[first.end : second.start])
        ):
            # 3-5条, 3 to 5 videos: at least the lower end, the range in the note.
            result.append(
                FoundFigure(
                    first.start,
                    second.end,
                    first.value,
                    second.unit,
                    Qualifier.AT_LEAST,
                    detail="range",
                    extra={"high": second.value},
                )
            )
            index += 2
            continue
        result.append(first)
        index += 1
    return result


def _rank(match: re.Match) -> FoundFigure | None:
    groups = match.groupdict()
    words = groups.get("number") or groups.get("number2") or ""
    value = (
        Decimal(EN_SMALL_NUMBERS[words.lower()])
        if words.lower() in EN_SMALL_NUMBERS
        else number(words)
    )
    if value is None or value < 1:
        return None
    kind = (groups.get("kind") or groups.get("kind2") or "").lower()
    qualifier = Qualifier.AT_MOST if kind in ("前", "top") else Qualifier.EXACT
    return FoundFigure(match.start(), match.end(), value, FigureUnit.RANK, qualifier)


def _fit_bounds(figure: FoundFigure) -> None:
    """A share above 100% is a change (增长120%); no figure leaves its unit's bounds.
    Whole values lose the decimals a scale left (16.3 billion is 16300000000)."""
    figure.value = _plain(figure.value)
    if figure.value_before is not None:
        figure.value_before = _plain(figure.value_before)
    if (
        figure.unit == FigureUnit.PERCENT
        and figure.value > 100
        and figure.value_before is None
    ):
        figure.unit = FigureUnit.PERCENT_CHANGE
    low, high = UNIT_BOUNDS.get(figure.unit, (None, None))
    for value in (figure.value, figure.value_before):
        if value is None:
            continue
        if (low is not None and value < low) or (high is not None and value > high):
            figure.unit = None  # dropped: no such figure can be recorded
            return


def _plain(value: Decimal) -> Decimal:
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
