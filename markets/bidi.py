"""Bidirectional text: which direction controls a record may hold, and how text is
isolated from what is shown beside it.

An override (U+202E) left open turns everything after it around, up to the end of the
paragraph: "‮gpj.exe" reads as "exe.jpg", a name can push the figures beside it into the
wrong order. A record's short fields (names, titles, codes) hold no direction control at
all; its longer texts (summaries, notes, verbatim quotes) may, but must close every one
they open, so that none reaches past the text itself on any page, feed or export.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Embeddings and overrides (closed by PDF) and isolates (closed by PDI).
EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")
POP_DIRECTIONAL_FORMATTING = "\u202c"
ISOLATES = frozenset("\u2066\u2067\u2068")
POP_DIRECTIONAL_ISOLATE = "\u2069"
DIRECTION_CONTROLS = (
    EMBEDDINGS | ISOLATES | {POP_DIRECTIONAL_FORMATTING, POP_DIRECTIONAL_ISOLATE}
)

FIRST_STRONG_ISOLATE = "\u2068"


def holds_direction_controls(text: str) -> bool:
    return any(character in DIRECTION_CONTROLS for character in text)


def closes_what_it_opens(text: str) -> bool:
    """Whether every embedding, override and isolate the text opens is closed in it,
    and it closes none it did not open (which would end one around it)."""
    opened: list[str] = []
    for character in text:
        if character in EMBEDDINGS:
            opened.append(POP_DIRECTIONAL_FORMATTING)
        elif character in ISOLATES:
            opened.append(POP_DIRECTIONAL_ISOLATE)
        elif character == POP_DIRECTIONAL_FORMATTING:
            if not opened or opened[-1] != POP_DIRECTIONAL_FORMATTING:
                return False
            opened.pop()
        elif character == POP_DIRECTIONAL_ISOLATE:
            # A PDI also closes the embeddings opened inside its isolate.
            if POP_DIRECTIONAL_ISOLATE not in opened:
                return False
            while opened.pop() != POP_DIRECTIONAL_ISOLATE:
                pass
    return not opened


def validate_short_text(value: str) -> None:
    if holds_direction_controls(value):
        raise ValidationError(
            _(
                "Holds a direction control character (U+202A-U+202E, U+2066-U+2069), "
                "which can make the text read in another order than it is written."
            ),
            code="direction_control",
        )


def validate_long_text(value: str) -> None:
    if not closes_what_it_opens(value):
        raise ValidationError(
            _(
                "Opens a direction override or isolate it does not close (or closes "
                "one it did not open): it would turn around the text shown after it."
            ),
            code="unbalanced_direction",
        )


def runs_right_to_left(text: str) -> bool:
    return any(
        unicodedata.bidirectional(character) in ("R", "AL") for character in text
    )


def isolate(text: str) -> str:
    """Text wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL ISOLATE where it could
    change the order of what stands beside it; other text unchanged."""
    if runs_right_to_left(text) or holds_direction_controls(text):
        return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"
    return text
