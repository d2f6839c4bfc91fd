"""The rules for text (config.text), for any text at all: what normalised() gives keeps
them and is left as it is by a second pass; what they accept is only made canonical."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from config.text import (
    NEVER_IN_TEXT,
    PlainTextField,
    canonical,
    normalised,
    refused_characters,
    validate_text,
)

#: Characters the rules are about, drawn often beside any other character at all.
AWKWARD = [
    *map(chr, range(0x20)),
    "\x7f",
    *map(chr, range(0x80, 0xA0)),
    "\r\n",
    "\u2028",
    "\u2029",
    "\ud800",
    "\udfff",
    "\ufdd0",
    "\ufffe",
    "\uffff",
    "\U0001fffe",
    "\U0010ffff",
    "e",
    "\u0301",  # a combining accent: composed with the e before it
    "\u212b",  # ANGSTROM SIGN: NFC makes it Å
    "半",
    "\u202e",
]
TEXTS = st.lists(
    st.one_of(st.sampled_from(AWKWARD), st.characters(exclude_categories=())),
    max_size=40,
).map("".join)
MULTILINE = st.booleans()


@given(TEXTS, MULTILINE)
def test_normalised_text_never_holds_what_the_rules_refuse(text, multiline):
    result = normalised(text, multiline=multiline)
    assert refused_characters(result, multiline=multiline) == []
    assert "\r" not in result
    validate_text(result, multiline=multiline)


@given(TEXTS, MULTILINE)
def test_normalising_twice_changes_nothing_more(text, multiline):
    once = normalised(text, multiline=multiline)
    assert normalised(once, multiline=multiline) == once


@given(TEXTS, MULTILINE)
def test_text_the_rules_accept_is_only_made_canonical(text, multiline):
    if refused_characters(canonical(text, multiline=multiline), multiline=multiline):
        with pytest.raises(ValidationError):
            validate_text(canonical(text, multiline=multiline), multiline=multiline)
    else:
        assert normalised(text, multiline=multiline) == canonical(
            text, multiline=multiline
        )


@given(TEXTS)
def test_one_line_text_never_breaks_a_line(text):
    result = normalised(text, multiline=False)
    assert len(result.splitlines()) <= 1 and "\t" not in result


@pytest.mark.parametrize(
    ("multiline", "sent", "kept"),
    [
        (True, "one\r\ntwo\tthree", "one\ntwo\tthree"),
        (False, "e\u0301t\u00e9", "\u00e9t\u00e9"),
    ],
)
def test_a_plain_form_field_keeps_text_the_rules_accept_canonical(
    multiline, sent, kept
):
    assert PlainTextField(multiline=multiline).clean(sent) == kept


@pytest.mark.parametrize(
    ("multiline", "sent"),
    [(True, "ding\x07"), (True, "a\x85b"), (False, "one\ntwo"), (False, "a\tb")],
)
def test_a_plain_form_field_refuses_what_the_rules_refuse(multiline, sent):
    with pytest.raises(ValidationError) as refused:
        PlainTextField(multiline=multiline).clean(sent)
    assert "U+" in refused.value.messages[0]


def test_every_refused_character_is_named_in_the_message():
    with pytest.raises(ValidationError) as refused:
        validate_text("a\x07b\x1bc\x07", multiline=True)
    assert "U+0007, U+001B" in refused.value.messages[0]
    assert NEVER_IN_TEXT.search("\U0001fffe")
