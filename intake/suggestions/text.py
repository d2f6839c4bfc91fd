"""Reading a text: sentences, a matching copy of it, and numbers written in Chinese."""

import re
from bisect import bisect_right
from decimal import Decimal, InvalidOperation

from intake.suggestions.base import Sentence

#: Where a sentence ends (。！？!?; and a line break), and what closes it after
#: (a closing quotation mark or bracket belongs to the sentence it closes).
TERMINATORS = "。！？!?;；\n"
CLOSERS = "”’\"'」』）)】》"
#: Abbreviations after which an English full stop ends no sentence.
ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "st", "inc", "co", "ltd", "corp", "jr", "sr", "vs",
    "etc", "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "approx", "est", "fig", "e.g", "i.e", "u.s", "u.k", "c",
}  # fmt: skip


def matching_copy(text: str) -> str:
    """The text with full-width letters, digits and signs as ASCII, character for
    character, so that a match in the copy has the same offsets in the text."""
    return "".join(
        chr(ord(char) - 0xFEE0)
        if "\uff01" <= char <= "\uff5e"
        else " "
        if char == "\u3000"
        else char
        for char in text
    )


def sentences(text: str) -> list[Sentence]:
    """The text's sentences, each an exact substring with its offsets, blanks trimmed."""
    found = []
    start = 0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        ends = char in TERMINATORS or (
            char == "." and _ends_english_sentence(text, index)
        )
        if ends:
            index += 1
            while index < length and text[index] in CLOSERS:
                index += 1
            found.append(_trimmed(text, start, index))
            start = index
            continue
        index += 1
    found.append(_trimmed(text, start, length))
    return [sentence for sentence in found if sentence is not None]


def _ends_english_sentence(text: str, index: int) -> bool:
    after = text[index + 1 : index + 2]
    if after and not after.isspace():
        return False  # 1.5, example.com, U.S.A
    word = re.search(r"([A-Za-z.]+)$", text[max(0, index - 12) : index])
    if word:
        token = word.group(1).lower().strip(".")
        if token in ABBREVIATIONS or len(token) == 1:
            return False  # "Mr. Li", "U.S. sellers", an initial
    return True


def _trimmed(text: str, start: int, end: int) -> Sentence | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return Sentence(text=text[start:end], start=start, end=end)


def sentence_at(
    found: list[Sentence], offset: int, starts: list[int]
) -> Sentence | None:
    """The sentence holding this offset of the text; ``starts`` are the sentences'
    starts, in order, so that it is found by bisection, not by reading them all."""
    index = bisect_right(starts, offset) - 1
    if index >= 0 and offset < found[index].end:
        return found[index]
    return None


class Taken:
    """The characters of a text already read as something: a new match is tested in
    its own length, however many were taken before it."""

    def __init__(self, length: int) -> None:
        self.marks = bytearray(length)

    def add(self, start: int, end: int) -> None:
        self.marks[start:end] = b"\x01" * (end - start)

    def overlaps(self, start: int, end: int) -> bool:
        return 1 in self.marks[start:end]


# --- Numbers written in Chinese ------------------------------------------------------

CHINESE_DIGITS = {
    "零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}  # fmt: skip
CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}
CHINESE_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
CHINESE_NUMERAL = "[零〇一二两三四五六七八九十百千]+"


def chinese_number(words: str) -> int | None:
    """一千五百 → 1500, 十二 → 12, 二〇二三 → 2023 (digit by digit); None if not one."""
    if not words:
        return None
    if all(char in CHINESE_DIGITS for char in words) and len(words) > 1:
        return int("".join(str(CHINESE_DIGITS[char]) for char in words))
    total = section = digit = 0
    seen = False
    for char in words:
        if char in CHINESE_DIGITS:
            digit = CHINESE_DIGITS[char]
            seen = True
        elif char in CHINESE_UNITS:
            section += (digit or 1) * CHINESE_UNITS[char]
            digit = 0
            seen = True
        elif char in CHINESE_BIG_UNITS:
            total += (section + digit) * CHINESE_BIG_UNITS[char]
            section = digit = 0
        else:
            return None
    return total + section + digit if seen or total else None


def number(words: str) -> Decimal | None:
    """A number as written: 1,500 or 2.8 or 一千五百; None if it is not one."""
    words = words.strip()
    if not words:
        return None
    if re.fullmatch(r"\d[\d,]*(?:\.\d+)?", words):
        try:
            return Decimal(words.replace(",", ""))
        except InvalidOperation:
            return None
    if "点" in words:
        whole, _, decimals = words.partition("点")
        whole_value = chinese_number(whole)
        if whole_value is None or not all(c in CHINESE_DIGITS for c in decimals):
            return None
        return Decimal(
            f"{whole_value}.{''.join(str(CHINESE_DIGITS[c]) for c in decimals)}"
        )
    value = chinese_number(words)
    return None if value is None else Decimal(value)
