"""Markets and regions named in a text, in Chinese or English.

Country names come from CLDR through Babel (the Simplified and Traditional Chinese and
the English territory names), kept only where they are ISO 3166-1 alpha-2 codes
(pycountry, as markets.models.choices.validate_country_code checks), plus the short
forms sources use (美区, 英区, 印尼, 阿联酋, UK, the U.S.) and the regions the project
keeps (fixtures/markets.json: 东南亚, 拉美, 中亚, ...). Names are matched longest first,
so 阿拉伯联合酋长国 is the Emirates, not 阿拉伯 anything, and 印度尼西亚 is not 印度.

Runs of one-character abbreviations (英美, 德法意西加澳日韩, 新马泰) are read as
markets only as a run of two or more, standing apart from the words around them
(a punctuation mark or a market word such as 市场 beside them), so 美妆 is no market.
"""

import re
from dataclasses import dataclass
from functools import cache

import pycountry
from babel import Locale

from intake.suggestions.text import Taken

#: Short forms and other names the CLDR names lack, by ISO code.
ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("美区", "美国站", "美利坚", "US", "U.S.", "U.S.A.", "USA", "America", "the States"),
    "GB": ("英区", "英国站", "英伦", "英格兰", "大不列颠", "UK", "U.K.", "Britain", "Great Britain", "England"),
    "ID": ("印尼", "印尼站"),
    "AE": ("阿联酋", "UAE", "Emirates"),
    "SA": ("沙特", "Saudi"),
    "MY": ("大马", "马来"),
    "SG": ("狮城",),
    "AU": ("澳洲",),
    "NZ": ("纽西兰",),
    "HK": ("香港", "Hong Kong"),
    "MO": ("澳门", "Macau", "Macao"),
    "TW": ("中国台湾",),
    "KR": ("南韩", "Korea"),
    "KP": ("北韩",),
    "RU": ("俄国",),
    "CZ": ("捷克共和国", "Czech Republic"),
    "NL": ("Holland",),
    "TR": ("Turkey",),
    "VN": ("Viet Nam",),
    "CI": ("Ivory Coast",),
    "MM": ("Burma", "Myanmar"),
    "CA": ("加国",),
    "PH": ("the Philippines",),
    "MX": ("墨国",),
}  # fmt: skip

#: English adjectives read as their market where a noun follows ("German sellers").
DEMONYMS: dict[str, str] = {
    "American": "US", "British": "GB", "German": "DE", "French": "FR",
    "Spanish": "ES", "Italian": "IT", "Canadian": "CA", "Australian": "AU",
    "Japanese": "JP", "Korean": "KR", "Indonesian": "ID", "Malaysian": "MY",
    "Thai": "TH", "Vietnamese": "VN", "Filipino": "PH", "Singaporean": "SG",
    "Brazilian": "BR", "Mexican": "MX", "Saudi": "SA", "Emirati": "AE",
    "Polish": "PL", "Dutch": "NL", "Irish": "IE", "Turkish": "TR",
}  # fmt: skip

#: One-character abbreviations, read only in runs of two or more (英美, 日韩).
ABBREVIATIONS: dict[str, str] = {
    "美": "US", "英": "GB", "德": "DE", "法": "FR", "意": "IT", "西": "ES",
    "加": "CA", "澳": "AU", "日": "JP", "韩": "KR", "俄": "RU", "中": "CN",
    "泰": "TH", "越": "VN", "菲": "PH", "马": "MY", "新": "SG", "墨": "MX",
    "印": "IN", "荷": "NL", "葡": "PT", "波": "PL",
}  # fmt: skip
#: Followed by 区 or 站, one of these is a market on its own (美区, 英区); the others
#: end too many words before 区 or 站 (执法区, 每日站会, 跨越区域, 新区).
SITE_ABBREVIATIONS = {"美", "英", "德", "韩", "澳", "泰", "菲", "俄", "墨"}
#: Words beside a run of abbreviations that make it a list of markets.
MARKET_WORDS = (
    "市场",
    "两国",
    "三国",
    "四国",
    "等国",
    "等地",
    "地区",
    "站",
    "区",
    "卖家",
)

#: The project's regions (fixtures/markets.json), by code, with their names.
REGIONS: dict[str, tuple[str, ...]] = {
    "southeast-asia": ("东南亚", "Southeast Asia", "South-East Asia", "South East Asia", "SEA"),
    "latin-america": ("拉美", "拉丁美洲", "南美", "南美洲", "Latin America", "LatAm", "LATAM", "South America"),
    "central-asia": ("中亚", "Central Asia"),
    "europe": ("欧洲", "Europe"),
    "north-america": ("北美", "北美洲", "North America"),
    "east-asia": ("东亚", "East Asia"),
    "oceania": ("大洋洲", "Oceania"),
    "middle-east": ("中东", "Middle East"),
}  # fmt: skip

#: Words holding a name that are not that name (内蒙古 is no Mongolia, 沿海地区 no
#: Haiti, 增加纳税 no Ghana).
NOT_NAMES = (
    "内蒙古", "沿海地", "海地区", "增加纳", "参加纳", "追加纳", "加纳入", "加纳税",
    "多哥们", "多哥哥", "机智利", "马里奥", "阿曼达", "美国人民币",
)  # fmt: skip


#: Words after a country's name that make it where sellers come from, not a market the
#: facts speak of: cross-border sellers of any country (美国跨境卖家 sell abroad), or
#: "UK-based sellers".
ORIGIN_AFTER = re.compile(
    r"跨境(?:电商)?(?:卖家|商家|商户|企业|品牌|大卖|从业者)|(?:-|\s+)based\s+(?!on\b|upon\b)"
)
#: China, the origin of the cross-border sellers the sources write for, is where they
#: come from when sellers or makers follow its name (中国卖家, 中国大陆商家, 中国品牌出海)
#: or precede it ("sellers from China"). TikTok Shop sells in no Chinese market.
CHINA_ORIGIN_AFTER = re.compile(
    r"(?:大陆|内地)?的?(?:跨境|卖家|商家|商户|厂商|工厂|企业|品牌|供应商|制造商|外贸|出海)"
    r"|(?:['’]s)?\s+(?:cross-border\s+)?(?:sellers?|merchants?|vendors?|brands?|"
    r"manufacturers?|factories|suppliers?|exporters?)\b"
)
CHINA_ORIGIN_BEFORE = re.compile(
    r"\b(?:sellers?|merchants?|vendors?|brands?|manufacturers?|factories|"
    r"suppliers?|exporters?|businesses)\s+(?:from|in|based\s+in)\s+"
    r"(?:mainland\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class FoundPlace:
    start: int
    end: int
    code: str = ""
    region: str = ""


def is_iso_code(code: str) -> bool:
    return len(code) == 2 and pycountry.countries.get(alpha_2=code) is not None


@cache
def names() -> dict[str, tuple[str, str]]:
    """Every name matched, to ("market", ISO code) or ("region", region code)."""
    table: dict[str, tuple[str, str]] = {}
    for locale in ("en", "zh_Hant", "zh_Hans"):  # Simplified last: it wins a clash
        for code, name in Locale.parse(locale).territories.items():
            if not is_iso_code(code):
                continue
            table[name] = ("market", code)
            # "Hong Kong SAR China", "Myanmar (Burma)": the name without its suffix.
            short = re.sub(r"\s*(?:\(.*\)|SAR China|（.*）)$", "", name)
            if short and short != name:
                table.setdefault(short, ("market", code))
    for country in pycountry.countries:
        for attribute in ("name", "common_name"):
            name = getattr(country, attribute, None)
            if name and "," not in name:
                table.setdefault(name, ("market", country.alpha_2))
    for code, aliases in ALIASES.items():
        for alias in aliases:
            table[alias] = ("market", code)
    for code, region_names in REGIONS.items():
        for name in region_names:
            table[name] = ("region", code)
    return table


@cache
def _name_pattern() -> re.Pattern:
    """Every name, longest first where several start at one place. English names
    stand as whole words, and keep their capitals.

    The names are written as a trie (one branch per next character), so that at each
    place of a text the engine follows the one branch its character opens, instead
    of trying a thousand names in turn: it reads a text in time linear in its length.
    """
    english = [name for name in names() if name[0].isascii()]
    others = [name for name in names() if not name[0].isascii()]
    english_names = _trie(english, end=r"(?![\w$])")
    return re.compile(rf"(?<![\w.]){english_names}|{_trie(others, end='')}")


def _trie(words: list[str], *, end: str) -> str:
    """A pattern matching the longest of ``words`` that stands at a place; ``end``
    is what must follow a word."""
    root: dict = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def branches(node: dict) -> str:
        # A longer word is tried before the word ending here (the "" branch).
        options = [
            re.escape(char) + branches(child) for char, child in node.items() if char
        ]
        if "" in node:
            options.append(end)
        if len(options) == 1:
            return options[0]
        return "(?:" + "|".join(options) + ")"

    return branches(root)


ABBREVIATION_RUN = re.compile(f"[{''.join(ABBREVIATIONS)}]{{2,}}")
SITE = re.compile(f"[{''.join(sorted(SITE_ABBREVIATIONS))}](?=[区站])")
DEMONYM = re.compile(rf"\b({'|'.join(DEMONYMS)})(?=\s+[a-z])")


def find_places(text: str) -> list[FoundPlace]:
    """Every market and region named in ``text`` (its matching copy), in order."""
    found: list[FoundPlace] = []
    taken = Taken(len(text))
    table = names()
    for match in _name_pattern().finditer(text):
        if _inside_not_name(text, match.start(), match.end()):
            continue
        what, code = table[match.group(0)]
        if what == "market" and names_origin(text, match.start(), match.end(), code):
            taken.add(match.start(), match.end())
            continue
        if what == "market" and match.group(0) == "America":
            before = text[max(0, match.start() - 8) : match.start()]
            if re.search(r"(?:Latin|North|South|Central)\s+$", before):
                continue
        found.append(_place(match.start(), match.end(), what, code))
        taken.add(match.start(), match.end())
    for match in ABBREVIATION_RUN.finditer(text):
        if taken.overlaps(match.start(), match.end()):
            continue
        if not _stands_apart(text, match.start(), match.end()):
            continue
        for offset, char in enumerate(match.group(0)):
            at = match.start() + offset
            found.append(FoundPlace(start=at, end=at + 1, code=ABBREVIATIONS[char]))
        taken.add(match.start(), match.end())
    for pattern, table_of in ((SITE, ABBREVIATIONS), (DEMONYM, DEMONYMS)):
        for match in pattern.finditer(text):
            word = match.group(0)
            if taken.overlaps(match.start(), match.end()):
                continue
            if pattern is SITE and not _stands_apart(text, match.start(), match.end()):
                continue
            found.append(
                FoundPlace(start=match.start(), end=match.end(), code=table_of[word])
            )
            taken.add(match.start(), match.end())
    found.sort(key=lambda place: place.start)
    return found


def names_origin(text: str, start: int, end: int, code: str) -> bool:
    """Whether the country named at ``text[start:end]`` is where sellers come from
    (中国跨境卖家, "China-based sellers"), not a market the sentence's facts are in."""
    if ORIGIN_AFTER.match(text, end):
        return True
    if code != "CN":
        return False
    return bool(
        CHINA_ORIGIN_AFTER.match(text, end)
        or CHINA_ORIGIN_BEFORE.search(text[max(0, start - 40) : start])
    )


def _place(start: int, end: int, what: str, code: str) -> FoundPlace:
    if what == "region":
        return FoundPlace(start=start, end=end, region=code)
    return FoundPlace(start=start, end=end, code=code)


def _inside_not_name(text: str, start: int, end: int) -> bool:
    for blocker in NOT_NAMES:
        low = max(0, start - len(blocker))
        for match in re.finditer(re.escape(blocker), text[low : end + len(blocker)]):
            if low + match.start() < end and start < low + match.end():
                return True
    return False


def _is_cjk(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff"


def _stands_apart(text: str, start: int, end: int) -> bool:
    """A run of abbreviations is a list of markets where it stands apart: after a
    punctuation mark or a space, or before a market word or one."""
    before = text[start - 1] if start > 0 else ""
    after = text[end : end + 2]
    if any(after.startswith(word) for word in MARKET_WORDS):
        return True
    return (not before or not _is_cjk(before)) and (not after or not _is_cjk(after[0]))
