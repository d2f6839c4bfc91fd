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

from intake.suggestions.text import CHINESE_NUMERAL, Taken, number
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


SCALES = {
    "万亿": Decimal(10) ** 12, "千万": Decimal(10) ** 7, "百万": Decimal(10) ** 6,
    "十万": Decimal(10) ** 5, "万": Decimal(10) ** 4, "亿": Decimal(10) ** 8,
    "千": Decimal(10) ** 3,
    "thousand": Decimal(10) ** 3, "k": Decimal(10) ** 3, "million": Decimal(10) ** 6,
    "mn": Decimal(10) ** 6, "m": Decimal(10) ** 6, "billion": Decimal(10) ** 9,
    "bn": Decimal(10) ** 9, "b": Decimal(10) ** 9, "trillion": Decimal(10) ** 12,
    "tn": Decimal(10) ** 12,
}  # fmt: skip

COUNT_WORDS = (
    "个|家|单|人|名|位|次|条|款|件|项|户|笔|台|辆|部|张|份|场|种|篇|只|间|座|所|套|粉"
)
ZH_UNITS = {
    "%": FigureUnit.PERCENT, "个百分点": FigureUnit.PERCENT, "倍": FigureUnit.MULTIPLE,
    "元": FigureUnit.CNY, "块钱": FigureUnit.CNY, "块": FigureUnit.CNY,
    "人民币": FigureUnit.CNY, "美元": FigureUnit.USD, "美金": FigureUnit.USD,
    "刀": FigureUnit.USD, "欧元": FigureUnit.AMOUNT, "英镑": FigureUnit.AMOUNT,
    "日元": FigureUnit.AMOUNT, "分钟": FigureUnit.MINUTES, "个小时": FigureUnit.HOURS,
    "小时": FigureUnit.HOURS, "天": FigureUnit.DAYS, "年": FigureUnit.YEARS,
}  # fmt: skip
#: Units the project does not record: the number is no figure on its own.
NO_UNIT = ("个月", "周", "个星期", "岁")
ZH_CURRENCY_BEFORE = {
    "US$": FigureUnit.USD, "$": FigureUnit.USD, "USD": FigureUnit.USD,
    "¥": FigureUnit.CNY, "￥": FigureUnit.CNY, "RMB": FigureUnit.CNY,
    "人民币": FigureUnit.CNY, "CNY": FigureUnit.CNY, "€": FigureUnit.AMOUNT,
    "£": FigureUnit.AMOUNT,
}  # fmt: skip
FOREIGN = {"欧元", "英镑", "日元", "€", "£", "euro", "euros", "pound", "pounds"}

ZH_FIGURE = re.compile(
    rf"""
    (?P<currency>US\$|\$|USD\s?|¥|￥|RMB\s?|CNY\s?|人民币|€|£)?
    (?P<number>\d+(?:,\d{{3}})*(?:\.\d+)?|{CHINESE_NUMERAL}(?:点[零一二三四五六七八九]+)?)
    \s*(?P<scale>万亿|千万|百万|十万|万|亿|千(?!克|米|瓦))?
    (?P<more>多|余)?
    \s*(?P<unit>%|个百分点|{"|".join(NO_UNIT)}|倍|块钱|元|块|人民币|美元|美金|刀|欧元|英镑|日元|
        分钟|个小时|小时|天|年|{COUNT_WORDS})?
    (?P<suffix>以上|以下|以内|左右|上下|出头)?
    """,
    re.VERBOSE,
)

EN_FIGURE = re.compile(
    r"""
    (?<![\w.])(?:(?P<currency>US\$|\$|USD|¥|RMB|CNY|€|£)\s?)?
    (?P<number>\d+(?:,\d{3})*(?:\.\d+)?)
    (?:\s?(?P<scale>thousand|million|billion|trillion|mn|bn|tn|[kmbKMB])\b)?
    (?P<plus>\+)?
    (?:\s?(?P<unit>%|percent\b|per\s+cent\b|percentage\s+points?\b|times\b|x\b|×|
        minutes?\b|mins?\b|hours?\b|hrs?\b|days?\b|years?\b|yuan\b|RMB\b|dollars\b|
        USD\b|euros?\b|pounds\b|months?\b|weeks?\b))?
    (?P<noun>\s+(?:[a-z][a-z-]*\s+)?[a-z]+s\b)?
    (?P<suffix>\s+or\s+(?:more|so|less|fewer))?
    """,
    re.VERBOSE,
)
EN_UNITS = {
    "%": FigureUnit.PERCENT, "percent": FigureUnit.PERCENT,
    "per cent": FigureUnit.PERCENT, "percentage point": FigureUnit.PERCENT,
    "percentage points": FigureUnit.PERCENT, "times": FigureUnit.MULTIPLE,
    "x": FigureUnit.MULTIPLE, "×": FigureUnit.MULTIPLE, "minute": FigureUnit.MINUTES,
    "minutes": FigureUnit.MINUTES, "min": FigureUnit.MINUTES,
    "mins": FigureUnit.MINUTES, "hour": FigureUnit.HOURS, "hours": FigureUnit.HOURS,
    "hr": FigureUnit.HOURS, "hrs": FigureUnit.HOURS, "day": FigureUnit.DAYS,
    "days": FigureUnit.DAYS, "year": FigureUnit.YEARS, "years": FigureUnit.YEARS,
    "yuan": FigureUnit.CNY, "rmb": FigureUnit.CNY, "dollars": FigureUnit.USD,
    "usd": FigureUnit.USD, "euro": FigureUnit.AMOUNT, "euros": FigureUnit.AMOUNT,
    "pounds": FigureUnit.AMOUNT,
}  # fmt: skip

#: Qualifiers written before a number, longest first where one ends another.
ZH_BEFORE = [
    ("不超过", Qualifier.AT_MOST), ("不高于", Qualifier.AT_MOST),
    ("不多于", Qualifier.AT_MOST), ("不少于", Qualifier.AT_LEAST),
    ("不低于", Qualifier.AT_LEAST), ("超过", Qualifier.MORE_THAN),
    ("超出", Qualifier.MORE_THAN), ("突破", Qualifier.MORE_THAN),
    ("多于", Qualifier.MORE_THAN), ("大于", Qualifier.MORE_THAN),
    ("高于", Qualifier.MORE_THAN), ("不到", Qualifier.LESS_THAN),
    ("不足", Qualifier.LESS_THAN), ("少于", Qualifier.LESS_THAN),
    ("低于", Qualifier.LESS_THAN), ("小于", Qualifier.LESS_THAN),
    ("未满", Qualifier.LESS_THAN), ("不及", Qualifier.LESS_THAN),
    ("大约", Qualifier.ABOUT), ("大概", Qualifier.ABOUT), ("将近", Qualifier.ABOUT),
    ("接近", Qualifier.ABOUT), ("约合", Qualifier.ABOUT), ("约为", Qualifier.ABOUT),
    ("差不多", Qualifier.ABOUT), ("至少", Qualifier.AT_LEAST),
    ("最少", Qualifier.AT_LEAST), ("起码", Qualifier.AT_LEAST),
    ("至多", Qualifier.AT_MOST), ("最多", Qualifier.AT_MOST),
    ("超", Qualifier.MORE_THAN), ("逾", Qualifier.MORE_THAN),
    ("破", Qualifier.MORE_THAN), ("约", Qualifier.ABOUT), ("近", Qualifier.ABOUT),
    ("上", Qualifier.AT_LEAST),
]  # fmt: skip
ZH_AFTER = {
    "以上": Qualifier.AT_LEAST, "以下": Qualifier.AT_MOST, "以内": Qualifier.AT_MOST,
    "左右": Qualifier.ABOUT, "上下": Qualifier.ABOUT, "出头": Qualifier.MORE_THAN,
}  # fmt: skip
EN_BEFORE = [
    ("in excess of", Qualifier.MORE_THAN), ("upwards of", Qualifier.MORE_THAN),
    ("more than", Qualifier.MORE_THAN), ("just over", Qualifier.MORE_THAN),
    ("exceeding", Qualifier.MORE_THAN), ("over", Qualifier.MORE_THAN),
    ("above", Qualifier.MORE_THAN), ("no fewer than", Qualifier.AT_LEAST),
    ("no less than", Qualifier.AT_LEAST), ("at least", Qualifier.AT_LEAST),
    ("no more than", Qualifier.AT_MOST), ("at most", Qualifier.AT_MOST),
    ("up to", Qualifier.AT_MOST), ("fewer than", Qualifier.LESS_THAN),
    ("less than", Qualifier.LESS_THAN), ("just under", Qualifier.LESS_THAN),
    ("under", Qualifier.LESS_THAN), ("below", Qualifier.LESS_THAN),
    ("approximately", Qualifier.ABOUT), ("roughly", Qualifier.ABOUT),
    ("around", Qualifier.ABOUT), ("about", Qualifier.ABOUT),
    ("nearly", Qualifier.ABOUT), ("almost", Qualifier.ABOUT),
    ("close to", Qualifier.ABOUT), ("some", Qualifier.ABOUT),
]  # fmt: skip
EN_AFTER = {
    "or more": Qualifier.AT_LEAST, "or so": Qualifier.ABOUT,
    "or less": Qualifier.AT_MOST, "or fewer": Qualifier.AT_MOST,
}  # fmt: skip

ZH_LEVEL = re.compile(r"(?:到|至|为|达|达到|是|占)$")
ZH_UP = re.compile(r"(?:增长|增加|上涨|上升|提升|提高|拉高|增|涨|升|高|多|快|长)了?$")
ZH_DOWN = re.compile(r"(?:下降|下跌|降低|减少|下滑|缩水|降|跌|掉|低|少|减|慢|缩)了?$")
EN_LEVEL = re.compile(r"\b(?:to|at|of|reach|reached|reaches|hit|hits)\s*$")
EN_UP = re.compile(
    r"\b(?:rose|rise|rises|risen|grew|grow|grows|grown|increased|increases|jumped|"
    r"up|gained|climbed|surged|soared|boosted|raised)(?:\s+by)?\s*$"
)
EN_DOWN = re.compile(
    r"\b(?:fell|fall|falls|fallen|dropped|drops|declined|declines|decreased|"
    r"decreases|down|slid|plunged|lost|cut|shrank|shrunk)(?:\s+by)?\s*$"
)
EN_UP_AFTER = re.compile(
    r"^\s*(?:increase|rise|growth|jump|gain|higher|more|faster|year[- ]on[- ]year|"
    r"year[- ]over[- ]year|YoY)\b"
)
EN_DOWN_AFTER = re.compile(
    r"^\s*(?:drop|decline|decrease|fall|cut|lower|less|slower)\b"
)
CLAUSE = re.compile(r"[,，、;；:：。！？!?()（）“”\"]")
MONEY_WORDS = re.compile(
    r"投入|投资|花费|花了|预算|营收|收入|销售额|融资|成本|费用|资金|利润|GMV|估值|"
    r"revenue|sales|GMV|invest|spent|spend|budget|worth|valued|raised|cost|profit|"
    r"income|turnover",
    re.IGNORECASE,
)

IDIOMS = [
    (re.compile(r"腰斩|减半|砍半|(?:少|减少|降|下降|掉)了?一半|halved"), "-50", FigureUnit.PERCENT_CHANGE),
    (re.compile(r"翻了?两番|quadrupled"), "4", FigureUnit.MULTIPLE),
    (re.compile(r"翻了?一?倍|翻了?一?番|(?:增长|增加|涨)了?一倍|doubled"), "2", FigureUnit.MULTIPLE),
    (re.compile(r"tripled"), "3", FigureUnit.MULTIPLE),
]  # fmt: skip
EN_SMALL_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "twenty": 20, "fifty": 50, "hundred": 100,
}  # fmt: skip
RANKS = [
    re.compile(
        rf"(?:(?:全球|世界|全国|排名|排行|榜单|行业)(?P<kind>第|前)|(?P<kind2>前))"
        rf"(?P<number>\d+|{CHINESE_NUMERAL})(?(kind2)(?:名|强|位))"
    ),
    re.compile(
        r"\b(?:(?P<kind>top)\s+(?P<number>\d+|"
        + "|".join(EN_SMALL_NUMBERS)
        + r")|(?:ranked|ranks|ranking)\s+(?:No\.\s*|number\s+)?(?P<number2>\d+))\b",
        re.IGNORECASE,
    ),
]
FROM_TO = re.compile(r"(?:从|from)[^,，、;；。！？!?\d]{0,3}$", re.IGNORECASE)
RANGE = re.compile(r"^\s*(?:-|–|~|～|到|至|to)\s*$")
FROM_TO_MIDDLE = re.compile(
    r"^[^,，、;；。！？!?\d]{0,4}(?:到|至|to)\s*$", re.IGNORECASE
)


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
