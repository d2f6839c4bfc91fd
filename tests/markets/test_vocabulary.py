"""One vocabulary of modes and statuses (markets/vocabulary.py), and every use of it
generated: a status or a mode added there is labelled, coloured, filtered and drawn
everywhere without another hand-written list."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import translation

from markets.api.views import MarketViewSet
from markets.models import EventKind, ModeEvent
from markets.views import MarketListView
from markets.vocabulary import (
    LOOKS_OVER_STATUS,
    RUNNING,
    STATUS_LOOKS,
    UNCERTAIN,
    UNCERTAIN_LOOK,
    Look,
    Mode,
    Status,
    StatusSet,
    look_of,
    statuses_in_order,
)
from status.api.views import StatusViewSet
from status.filtersets import MarketFilterSet
from status.models import StatusSpan
from status.stylesheet import STYLESHEET, status_css
from tests.factories import MarketFactory, ModeEventFactory

#: WCAG 2.1 AA for body text.
LEAST_CONTRAST = 4.5


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of a ``#rrggbb`` colour."""
    channels = [int(colour[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [
        channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4
        for channel in channels
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def lightness(colour: str) -> float:
    """CIE L* of a ``#rrggbb`` colour: 0 is black, 100 white."""
    y = relative_luminance(colour)
    return 116 * y ** (1 / 3) - 16 if y > 0.008856 else 903.3 * y


def contrast(text: str, ground: str) -> float:
    lighter, darker = sorted(
        (relative_luminance(text), relative_luminance(ground)), reverse=True
    )
    return (lighter + 0.05) / (darker + 0.05)


def test_the_contrast_ratio_is_wcags():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#ffffff", "#ffffff") == pytest.approx(1)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


LOOKS = [
    *((status.value, status.look) for status in Status),
    (UNCERTAIN, UNCERTAIN_LOOK),
]


@pytest.mark.parametrize(("shown", "look"), LOOKS, ids=[shown for shown, _ in LOOKS])
def test_every_answer_is_written_in_colours_anyone_can_read(shown, look: Look):
    """The text drawn on a status's colour (a badge), and a status label in running
    text, meet WCAG AA; the glyph says it where colour cannot."""
    assert contrast(look.on_colour, look.colour) >= LEAST_CONTRAST, shown
    assert contrast(look.on_tint, look.tint) >= LEAST_CONTRAST, shown
    assert len(look.glyph) == 1 and not look.glyph.isspace()
    assert look_of(shown) is look


def test_every_status_has_a_look_labels_in_both_languages_and_its_own_rank():
    assert set(STATUS_LOOKS) == set(Status)
    glyphs = [status.glyph for status in Status] + [UNCERTAIN_LOOK.glyph]
    assert len(set(glyphs)) == len(glyphs), "a glyph tells one answer"
    assert len({status.rank for status in Status}) == len(Status)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for status in Status:
                assert str(status.label) and str(status.short_label), status
    for status in Status:
        # The Chinese catalogue has them all: none falls back to English.
        with translation.override("en"):
            english = (str(status.label), str(status.short_label))
        with translation.override("zh-hans"):
            chinese = (str(status.label), str(status.short_label))
        assert all(zh != en for zh, en in zip(chinese, english, strict=True)), status


def test_running_and_the_order_of_lists_come_from_the_vocabulary():
    assert RUNNING == (Status.LIVE, Status.BETA)
    assert statuses_in_order()[: len(RUNNING)] == list(RUNNING)
    assert statuses_in_order()[-1] == Status.NO_EVIDENCE


def test_what_an_event_sets_is_any_status_with_evidence_or_none():
    assert StatusSet.values == [
        *(status.value for status in Status if status != Status.NO_EVIDENCE),
        "none",
    ]
    assert ModeEvent._meta.get_field("status_set").choices == StatusSet.choices
    assert StatusSpan._meta.get_field("status").choices == Status.choices


def test_every_mode_has_a_short_label_in_both_languages():
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for mode in Mode:
                assert str(mode.label) and str(mode.short_label), mode


@pytest.mark.parametrize(
    "filterset",
    [
        MarketListView.filterset_class,
        MarketViewSet.filterset_class,
        StatusViewSet.filterset_class,
    ],
    ids=["markets page", "API markets", "API status"],
)
def test_every_mode_has_its_status_filter_on_the_pages_and_in_the_api(filterset):
    for mode in Mode:
        found = filterset.base_filters[mode.value]
        assert list(found.extra["choices"]) == Status.choices
        assert found.label == mode.label
    assert filterset is MarketFilterSet


@pytest.mark.django_db
@pytest.mark.parametrize("mode", list(Mode))
def test_each_modes_filter_finds_the_markets_with_that_status(client, mode):
    germany, france = MarketFactory(code="DE"), MarketFactory(code="FR")
    ModeEventFactory(
        mode=mode,
        kind=EventKind.LAUNCH,
        status_set=Status.LIVE,
        date=datetime.date(2024, 2, 1),
        markets=[germany],
    )
    StatusSpan.objects.rebuild()
    day = {"as_of": "2024-06-01"}
    live = client.get("/api/markets/", {mode.value: "live", **day}).json()
    assert [market["code"] for market in live["results"]] == ["DE"]
    unknown = client.get("/api/markets/", {mode.value: "no_evidence", **day}).json()
    assert [market["code"] for market in unknown["results"]] == ["FR"]
    page = client.get("/markets/", {mode.value: "live", **day}).content.decode()
    assert "/markets/DE/" in page and "/markets/FR/" not in page
    assert france.code == "FR"


def test_the_committed_stylesheet_is_written_from_the_vocabulary():
    """Run ``manage.py write_status_css`` after changing a status's look."""
    assert STYLESHEET.read_text("utf-8") == status_css()
    call_command("write_status_css", "--check")
    css = status_css()
    for status in Status:
        for rule in (
            f".status-{status.value} {{",
            f".band.status-{status.value} {{",
            f".map-{status.value} circle {{",
            f"--status-{status.value}: {status.look.colour};",
        ):
            assert rule in css, rule


def test_the_statuses_colours_step_in_lightness():
    """Read in grey, no two answers share a shade (the browser test looks at them
    through simulated colour blindness)."""
    looks = [status.look for status in Status] + list(LOOKS_OVER_STATUS.values())
    shades = sorted(lightness(look.colour) for look in looks)
    assert min(b - a for a, b in zip(shades, shades[1:], strict=False)) >= 8, shades
