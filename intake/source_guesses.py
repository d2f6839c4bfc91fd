"""What a pasted text says of its source: its language and its kind.

An analyst adding a source with its text should not have to set by hand what the
text shows at a glance: a text mostly in Chinese characters is Chinese, one with
"people familiar with the matter" or 据…报道 is a news report. These are guesses for
a field the analyst left as it was; a choice the analyst made is never replaced
(intake.admin.SourceForm).
"""

import re

from markets.models.choices import Language, SourceKind

CJK = re.compile(r"[\u4e00-\u9fff]")
KANA = re.compile(r"[\u3040-\u30ff]")
LATIN_WORD = re.compile(r"[A-Za-z]+")

#: Words that tell a kind of source, by kind, in the order a tie is decided.
KIND_CUES: list[tuple[str, re.Pattern]] = [
    (SourceKind.OFFICIAL, re.compile(r"press release|announced today|official statement|newsroom|官方公告|官方声明|公告|通知如下", re.I)),
    (SourceKind.INTERVIEW, re.compile(r"\binterview|\bQ&A\b|told (?:us|me)\b|in an interview|采访|专访|访谈|对话", re.I)),
    (SourceKind.DATA_REPORT, re.compile(r"\breport (?:finds|shows|found)|\bsurvey\b|data (?:show|from)|white ?paper|研究报告|数据显示|调研|白皮书|报告显示", re.I)),
    (SourceKind.NEWS_REPORT, re.compile(r"according to (?:people|sources|a person|reports?)|people familiar|sources? (?:said|say)|\breported\b|Reuters|Bloomberg|\(AP\)|据[^，。]{1,12}报道|消息人士|知情人士|记者", re.I)),
]  # fmt: skip


def guess_language(text: str) -> str:
    """zh-Hans for a text mostly in Chinese characters (a Chinese text quotes English
    names and figures: a character is counted against a Latin word), ja where kana
    show, else en."""
    characters = len(CJK.findall(text))
    kana = len(KANA.findall(text))
    words = len(LATIN_WORD.findall(text))
    if kana and kana * 5 >= characters:
        return Language.JA
    if characters and characters >= words:
        return Language.ZH_HANS
    return Language.EN


def guess_source_kind(text: str) -> str:
    """The kind whose cues the text shows most; an article where none shows."""
    counts = [(len(pattern.findall(text)), kind) for kind, pattern in KIND_CUES]
    best = max(count for count, _ in counts)
    if not best:
        return SourceKind.ARTICLE
    return next(kind for count, kind in counts if count == best)
