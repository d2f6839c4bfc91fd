"""The parts of a sentence: which words speak of which event, and whether of one
announced ahead or of one past.

A sentence may tell two events: "TikTok Shop opened in Indonesia in early 2022, and
later expanded to the UK and US", "2021年在印尼上线，随后扩展到英美". A date belongs
with the markets, the verb and the tense of its own part, never of the next one. The
parts are cut where a new event starts: a semicolon, or a comma (or "and") before a
word that moves the story on (later, then, but, while, 随后, 后来, 但, 而) or reports
another statement ("WSJ reported, adding that it was tested in Britain", 并称). A comma
inside a list (Germany, France, Spain and Italy; 德国、法国) cuts nothing.
"""

import re

#: Words that start the telling of another event, after a comma or "and".
NEXT_EVENT = (
    r"(?:and\s+)?(?:later|then|subsequently|afterwards|since\s+then|but|while|"
    r"whereas|although|though|before|after\s+which|followed\s+by|meanwhile|yet|"
    r"adding|noting)\b|"
    r"随后|后来|之后|此后|然后|接着|但是?|不过|而|却|同时|并且?|再|又|此前|"
    r"紧接着|与此同时"
)
EVENT_BREAK = re.compile(
    rf"\s*[;；]\s*|\s*[,，:：—]\s*(?={NEXT_EVENT})|\s+(?=and\s+(?:later|then)\b)",
    re.IGNORECASE,
)

#: Words announcing what is still to come. 要 only as a verb of intent (将要, 即将,
#: 要在): on its own it is in 需要, 主要, 重要.
AHEAD_WORDS = re.compile(
    r"将于|将在|将要|即将|将会|将(?!近)|预计|计划|拟于|拟|准备|有望|"
    r"(?<![需主重只想不必])要(?![求素点是么])|下个?月|明年|"
    r"\b(?:will|shall|(?:is|are)\s+set\s+to|set\s+to|plans?\s+to|planning\s+to|"
    r"(?:is|are)\s+expected\s+to|expected\s+to|scheduled\s+to|(?:is|are)\s+to|"
    r"intends?\s+to|aims?\s+to|is\s+going\s+to|are\s+going\s+to|upcoming|"
    r"(?:is\s+|are\s+)?(?:preparing|poised|about|gearing\s+up|getting\s+ready)\s+to|"
    r"next\s+(?:year|month|week)|later\s+this\s+year|the\s+coming)\b",
    re.IGNORECASE,
)
#: Words telling what is done. English past verbs end in -ed, bar the few that
#: announce (expected, scheduled, planned), read as ahead first.
PAST_WORDS = re.compile(
    r"了|已经|已|曾经|曾|此前|上个?月|去年|"
    r"\b(?:was|were|had|did|ran|began|begun|shut|went|took|ago|last|earlier|"
    r"already|[a-z]{3,}ed)\b",
    re.IGNORECASE,
)


#: A date told as the start of what is still under way ("testing since August",
#: 自8月以来, 8月至今): it began before the telling, so it is never announced ahead,
#: whatever else its part says.
BEGUN_BEFORE = re.compile(r"\b(?:ever\s+)?since\s+(?:early\s+|mid-?|late\s+)?$", re.I)
BEGUN_AFTER = re.compile(r"\s*(?:以来|至今|迄今)")


def told_as_begun(sentence: str, start: int, end: int) -> bool:
    """Whether the date at ``sentence[start:end]`` is told as the start of something
    under way."""
    return bool(
        BEGUN_BEFORE.search(sentence[max(0, start - 20) : start])
        or BEGUN_AFTER.match(sentence, end)
    )


def event_parts(sentence: str) -> list[tuple[int, int]]:
    """The sentence's parts, each telling one event, as (start, end) offsets."""
    parts = []
    start = 0
    for match in EVENT_BREAK.finditer(sentence):
        parts.append((start, match.start()))
        start = match.end()
    parts.append((start, len(sentence)))
    return parts


def part_at(sentence: str, offset: int) -> tuple[int, int]:
    """The part of the sentence holding ``offset`` (a date's end, say)."""
    parts = event_parts(sentence)
    for start, end in parts:
        if offset <= end:
            return start, end
    return parts[-1]


def speaks_ahead(words: str) -> bool:
    """Whether the words announce something still to come."""
    return bool(AHEAD_WORDS.search(words))


def tense(words: str) -> str:
    """ "ahead", "past" or "" (the words do not say)."""
    if speaks_ahead(words):
        return "ahead"
    if PAST_WORDS.search(words):
        return "past"
    return ""


def subject_places(sentence: str, places: list) -> list:
    """The places (market or region suggestions of ``sentence``) of its first part
    naming any: what the sentence is about."""
    for part_start, part_end in event_parts(sentence):
        named = [
            place
            for place in places
            if part_start <= place.wording_start - place.start < part_end
        ]
        if named:
            return named
    return []
