"""The world map: every market one linked shape, coloured by the same answer the grid
and the API give, hatched where that answer is uncertain or stale."""

import gzip
import re
import xml.etree.ElementTree as ET  # noqa: S405 (our own page)

import pytest
from django.test import Client

from markets.models import Market, Mode
from status.worldmap import scaled_path
from tests.factories import MarketFactory

pytestmark = pytest.mark.usefixtures("article_data")

SVG = "{http://www.w3.org/2000/svg}"
DAYS = ["2020-06-01", "2023-09-15", "2024-02-10", "2024-06-01", "2025-06-01"]


def visitor(language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def drawn_map(query: dict, language: str = "en") -> tuple[ET.Element, str]:
    page = visitor(language).get("/map/", query)
    assert page.status_code == 200
    text = page.content.decode()
    svg = re.search(r"<svg .*?</svg>", text, re.S).group(0)
    # The page is HTML; the map in it is well-formed SVG on its own.
    svg = svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)
    return ET.fromstring(svg), text  # noqa: S314


def markets_on(svg: ET.Element) -> dict[str, ET.Element]:
    links = svg.findall(f"{SVG}a")
    codes = [link.get("data-market") for link in links]
    assert len(codes) == len(set(codes)), "one shape per market"
    return dict(zip(codes, links, strict=True))


@pytest.mark.parametrize("mode", Mode.values)
@pytest.mark.parametrize("day", DAYS)
def test_each_market_is_one_link_coloured_by_its_answer(client, day, mode):
    answers = client.get("/api/status/", {"as_of": day, "mode": mode}).json()
    svg, text = drawn_map({"as_of": day, "mode": mode})
    shapes = markets_on(svg)

    names = dict(Market.objects.values_list("code", "name_en"))
    for cell in answers:
        code = cell["market"]
        if code not in shapes:
            # Only a market the geometry lacks may be left off, and it is named.
            assert (
                f'href="/markets/{code}/?as_of={day}"' in text.split("</svg>", 1)[1]
            ), code
            continue
        shape = shapes.pop(code)
        # The market's page opens on the same day.
        assert shape.get("href") == f"/markets/{code}/?as_of={day}"
        assert shape.get("data-status") == cell["status"], code
        assert f"map-{cell['shown_as']}" in shape.get("class").split(), code
        title = shape.find(f"{SVG}title").text
        assert code in title and names[code] in title
        hatches = [
            path.get("class")
            for path in shape.findall(f"{SVG}path")
            if "world-map__hatched" in (path.get("class") or "")
        ]
        if cell["uncertain"]:
            assert hatches == ["world-map__hatched world-map__hatched--uncertain"]
            assert "uncertain" in title.lower()
        elif cell["stale"]:
            assert hatches == ["world-map__hatched world-map__hatched--stale"]
            assert "stale" in title.lower()
        else:
            assert hatches == []
    assert shapes == {}, "no shape for a market the API does not answer for"


def test_titles_and_legend_are_in_the_readers_language():
    svg, text = drawn_map({"as_of": "2024-06-01"}, language="zh-hans")
    germany = markets_on(svg)["DE"].find(f"{SVG}title").text
    assert "德国" in germany and "内测" in germany
    assert "地图" in text


def test_a_market_the_geometry_lacks_is_listed_and_a_tiny_one_marked():
    MarketFactory(code="GI", name_en="Gibraltar", name_zh="直布罗陀")
    MarketFactory(code="SG", name_en="Singapore", name_zh="新加坡")
    svg, text = drawn_map({"as_of": "2024-06-01"})
    shapes = markets_on(svg)
    assert "GI" not in shapes
    after_map = text.split("</svg>", 1)[1]
    assert 'href="/markets/GI/?as_of=' in after_map and "Gibraltar" in after_map
    assert shapes["SG"].find(f"{SVG}circle") is not None
    assert shapes["DE"].find(f"{SVG}circle") is None


def test_the_map_is_drawn_in_a_few_queries_and_served_kept(
    django_assert_max_num_queries,
):
    with django_assert_max_num_queries(8):
        first = visitor().get("/map/", {"as_of": "2024-06-01"})
    with django_assert_max_num_queries(1):
        again = visitor().get("/map/", {"as_of": "2024-06-01"})
    assert again.content == first.content


def test_a_kept_map_holds_nothing_of_its_first_visitor(admin_client):
    visitor().get("/map/", {"as_of": "2024-06-01"})
    second = visitor().get("/map/", {"as_of": "2024-06-01"})
    assert "csrfmiddlewaretoken" not in second.content.decode()
    assert not second.cookies
    assert second["Cache-Control"].startswith("public")


def test_bad_input_is_named_and_the_map_still_drawn():
    page = visitor().get("/map/", {"as_of": "someday", "mode": "nope"})
    assert page.status_code == 200
    errors = re.findall(
        r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', page.content.decode()
    )
    assert len(errors) == 2
    assert 'data-market="DE"' in page.content.decode()


def land_address(text: str) -> str:
    return re.search(r'<image href="([^"]+)"', text).group(1)


def test_the_land_behind_the_markets_is_kept_by_browsers_for_good():
    """The land is the same for every page: under an address that names its content,
    a browser keeps it and never asks again; it is small enough for a phone's first
    visit (about 150 KB gzipped before curves were straightened)."""
    _, text = drawn_map({"as_of": "2024-06-01"})
    address = land_address(text)
    assert re.fullmatch(r"/map/land-[0-9a-f]{16}\.svg", address)
    land = visitor().get(address, HTTP_ACCEPT_ENCODING="gzip")
    assert land["Content-Type"] == "image/svg+xml"
    directives = {part.strip() for part in land["Cache-Control"].split(",")}
    assert {"public", "immutable", "max-age=31536000"} <= directives
    assert len(land.content) < 60_000
    body = gzip.decompress(land.content)
    assert ET.fromstring(body).get("viewBox").startswith("0 0 1000 ")  # noqa: S314
    # Every map, in any region, points at the same file.
    _, europe = drawn_map({"as_of": "2024-06-01", "region": "europe"})
    assert land_address(europe) == address


def test_straightening_an_outline_drops_curves_short_steps_and_specks():
    """At the map's scale a curve's control points and a step shorter than half a
    unit are invisible, and so is an island they leave no steps of; the point after
    a dropped step is still placed exactly, so no coastline drifts."""
    d = "M0 0c1 1 2 2 30 0l.2 0l0 30l-31 0zM100 100l.1 0l0 .1z"
    assert scaled_path(d, 1, shortest=5).d == "M0 0l30 0l.2 30l-31 0z"
    assert scaled_path(d, 1).d == d


def test_an_old_address_of_the_land_leads_to_the_current_one():
    _, text = drawn_map({"as_of": "2024-06-01"})
    old = visitor().get("/map/land-0123456789abcdef.svg")
    assert old.status_code == 302
    assert old["Location"] == land_address(text)


def view_box(svg: ET.Element) -> tuple[float, float, float, float]:
    left, top, width, height = (float(value) for value in svg.get("viewBox").split())
    return left, top, left + width, top + height


def test_the_europe_view_is_cropped_to_its_markets():
    world, _ = drawn_map({"as_of": "2024-06-01"})
    assert view_box(world)[:3] == (0, 0, 1000)
    europe, _ = drawn_map({"as_of": "2024-06-01", "region": "europe"})
    left, top, right, bottom = view_box(europe)
    # Germany, a phone's Europe is ten times the world: no more than 100 units wide.
    assert right - left <= 100
    assert right - left >= bottom - top, "no taller than wide"
    shapes = markets_on(europe)
    assert set(shapes) == {"GB", "DE", "FR", "ES", "IT"}
    for code in shapes:
        # Each market's code stands inside the view.
        code_label = shapes[code].find(f"{SVG}text[@class='world-map__code']")
        x, y = float(code_label.get("x")), float(code_label.get("y"))
        assert left < x < right and top < y < bottom, code


def test_an_unknown_region_shows_the_world():
    svg, _ = drawn_map({"as_of": "2024-06-01", "region": "atlantis<script>"})
    assert view_box(svg)[:3] == (0, 0, 1000)
    assert len(markets_on(svg)) == Market.objects.published().count()


def test_a_region_is_shown_even_beside_a_bad_day():
    svg, _ = drawn_map({"as_of": "someday", "region": "europe"})
    assert set(markets_on(svg)) == {"GB", "DE", "FR", "ES", "IT"}


def test_the_region_links_keep_the_day_and_mode_and_name_europe_first():
    _, text = drawn_map({"as_of": "2024-02-10", "mode": "closed_loop"}, "zh-hans")
    nav = re.search(r'<nav class="map-regions".*?</nav>', text, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav)
    assert links[0] == (
        "?as_of=2024-02-10&amp;mode=closed_loop&amp;region=europe",
        "欧洲",
    )
    assert links[-1][0] == "?as_of=2024-02-10&amp;mode=closed_loop"
    assert 'aria-current="page">世界</a>' in nav
    # The form keeps the region when the day or the mode changes.
    _, europe = drawn_map({"as_of": "2024-02-10", "region": "europe"})
    assert '<input type="hidden" name="region" value="europe"' in europe


@pytest.mark.parametrize("language", ["en", "zh-hans"])
@pytest.mark.parametrize("region", ["", "europe"])
def test_the_list_names_each_market_shown_with_its_answer(client, language, region):
    """Beside the map, each market shown as a link a finger can find, named in the
    reader's language, with its glyph and its answer in the words of every surface
    (the API's in_words)."""
    day = "2024-02-10"
    query = {"as_of": day, **({"region": region} if region else {})}
    svg, text = drawn_map(query, language)
    answers = {
        cell["market"]: cell
        for cell in client.get(
            "/api/status/",
            {"as_of": day, "mode": "semi_closed_loop"},
            HTTP_ACCEPT_LANGUAGE=language,
        ).json()
    }
    listed = re.search(r'<section class="map-markets".*?</section>', text, re.S)
    items = re.findall(
        r'<li><a href="([^"]+)" data-market="(\w+)">([^<]+)</a> '
        r'<span class="map-markets__answer"><span [^>]*>([^<]+)</span> ([^<]+)</span>',
        listed.group(0),
    )
    assert [code for _, code, *_ in items] == list(markets_on(svg))
    names = dict(
        Market.objects.values_list("code", "name_zh" if language != "en" else "name_en")
    )
    for href, code, name, glyph, words in items:
        assert href == f"/markets/{code}/?as_of={day}"
        assert name == names[code]
        assert words.strip() == answers[code]["in_words"]
        assert glyph.strip()


def test_each_shape_is_named_for_a_screen_reader_and_on_focus():
    svg, _ = drawn_map({"as_of": "2024-06-01", "region": "europe"}, "zh-hans")
    germany = markets_on(svg)["DE"]
    title = germany.find(f"{SVG}title").text
    assert germany.get("aria-label") == title
    assert title.startswith("DE · 德国") and "内测" in title
    name = germany.find(f"{SVG}text[@class='world-map__name']")
    assert name.text == "德国" and name.get("aria-hidden") == "true"


def test_a_region_is_drawn_in_as_few_queries_as_the_world(
    django_assert_max_num_queries,
):
    with django_assert_max_num_queries(8):
        visitor().get("/map/", {"as_of": "2024-06-01", "region": "europe"})
