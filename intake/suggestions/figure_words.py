"""The words figures are read by: scales, units, currencies, qualifiers, the verbs of
a change, and the patterns that find a number in a Chinese or an English sentence.

Data only; intake.suggestions.figures reads a text with them.
"""

import re
from decimal import Decimal

from intake.suggestions.text import CHINESE_NUMERAL
from markets.models.choices import FigureUnit, Qualifier

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
    (?P<noun>\s+(?:[a-z][a-z-]*s\b|staff\b|people\b|personnel\b|
        [a-z][a-z-]*\s+(?!(?:is|was|has|does|this|its|us|as|his|thus|plus|less)\b)
        [a-z]+s\b))?
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

#: Words before a bare number that make it a count of people ("a team of 40").
EN_COUNT_BEFORE = re.compile(
    r"\b(?:team|staff|workforce|headcount|crew|group)\s+of\s*$|"
    r"\b(?:employs|employing|employed|hired|hiring|hires)\s*$",
    re.IGNORECASE,
)

#: What a figure measures, guessed from the words around it, most telling first:
#: the English and the Chinese metric, as an analyst would write them.
METRIC_WORDS: list[tuple[re.Pattern, str, str]] = [
    (re.compile(r"team|staff|employ|workers?|workforce|headcount|hired|hiring|团队|员工|雇员|人员|人手", re.I), "team size", "团队人数"),
    (re.compile(r"GMV|成交额|交易额", re.I), "GMV", "GMV"),
    (re.compile(r"commission|佣金|抽成", re.I), "commission rate", "佣金比例"),
    (re.compile(r"revenue|sales|turnover|销售额|营收|收入|营业额", re.I), "sales", "销售额"),
    (re.compile(r"orders?\b|订单|单量", re.I), "orders", "订单量"),
    (re.compile(r"followers?|粉丝", re.I), "followers", "粉丝数"),
    (re.compile(r"monthly active|MAU|月活", re.I), "monthly active users", "月活跃用户"),
    (re.compile(r"users?\b|用户", re.I), "users", "用户数"),
    (re.compile(r"sellers?|merchants?|shops?\b|stores?\b|卖家|商家|店铺", re.I), "sellers", "卖家数"),
]  # fmt: skip
