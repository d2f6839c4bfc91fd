"""Every status readable without colour: looked at through Chromium's simulated colour
blindness (and with no colour at all), the legend's swatches of the map and of the
colour matrix still differ in lightness, and each square of the matrix carries its
status's glyph."""

import base64
import itertools
from collections import Counter

import pytest

from markets.vocabulary import LOOKS_OVER_STATUS, statuses_in_order
from tests.markets.test_vocabulary import lightness

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: What Chromium can simulate (DevTools' Emulation.setEmulatedVisionDeficiency).
DEFICIENCIES = ["achromatopsia", "deuteranopia", "protanopia", "tritanopia"]
SHOWN = [status.value for status in statuses_in_order()] + list(LOOKS_OVER_STATUS)
#: Lightness (CIE L*) two statuses' swatches differ by at least, however seen: the
#: palette steps by 8 or more, and the simulations shift it a little.
LEAST_LIGHTNESS_STEP = 7

#: The commonest colour of a PNG, read by a blank page's canvas (no library needed).
COMMONEST_COLOUR = """async source => {
  const image = new Image();
  image.src = source;
  await image.decode();
  const canvas = document.createElement("canvas");
  canvas.width = image.width;
  canvas.height = image.height;
  const context = canvas.getContext("2d");
  context.drawImage(image, 0, 0);
  const data = context.getImageData(0, 0, image.width, image.height).data;
  const counts = new Map();
  for (let i = 0; i < data.length; i += 4) {
    const key = `${data[i]},${data[i + 1]},${data[i + 2]}`;
    counts.set(key, (counts.get(key) || 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0].split(",").map(Number);
}"""


def swatch_lightness(page, reader, selector: str) -> dict[str, float]:
    """Each shown answer's swatch under ``selector``, as the eye simulated sees it."""
    seen = {}
    for shown in SHOWN:
        swatch = page.locator(f"{selector} .map-legend__swatch.map-{shown}").first
        image = base64.b64encode(swatch.screenshot(animations="disabled")).decode()
        colour = reader.evaluate(COMMONEST_COLOUR, f"data:image/png;base64,{image}")
        seen[shown] = lightness("#{:02x}{:02x}{:02x}".format(*colour))
    return seen


@pytest.mark.parametrize("deficiency", DEFICIENCIES)
@pytest.mark.parametrize(
    ("address", "legend"),
    [
        ("/map/?as_of=2024-06-01", ".map-legend"),
        ("/?as_of=2024-06-01", ".colour-matrix__legend"),
    ],
)
def test_no_two_statuses_look_alike_to_a_colour_blind_reader(
    open_page, browser, article_data, deficiency, address, legend
):
    page = open_page(1366, "en-GB")
    session = page.context.new_cdp_session(page)
    session.send("Emulation.setEmulatedVisionDeficiency", {"type": deficiency})
    page.goto(address)
    reader = browser.new_page()
    seen = swatch_lightness(page, reader, legend)
    reader.close()
    for (one, first), (other, second) in itertools.combinations(seen.items(), 2):
        assert abs(first - second) >= LEAST_LIGHTNESS_STEP, (one, other, seen)


def test_every_square_of_the_colour_matrix_says_its_status_in_a_glyph(
    open_page, article_data
):
    page = open_page(390, "zh-CN")
    page.goto("/?as_of=2024-06-01")
    glyphs = page.locator(
        ".colour-matrix__legend .map-legend__swatch"
    ).all_inner_texts()
    said = Counter(glyph for glyph in glyphs if glyph.strip())
    assert len(said) == len(SHOWN) and max(said.values()) == 1
    squares = page.locator(".colour-matrix__square")
    glyphs_drawn = page.locator(".colour-matrix__square .colour-matrix__glyph")
    assert squares.count() > 0 and glyphs_drawn.count() == squares.count()
    for glyph in glyphs_drawn.all_text_contents():
        assert glyph.strip() in said
