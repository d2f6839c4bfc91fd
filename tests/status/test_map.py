"""The world map: every market one linked shape, coloured by the same answer the grid
and the API give, hatched where that answer is uncertain or stale."""

import gzip
import re
import xml.etree.ElementTree as ET  # noqa: S405 (our own page)

import pytest
from django.test import Client

from markets.models import Market, Mode
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


def test_the_land_behind_the_markets_is_kept_by_browsers():
    land = visitor().get("/map/land.svg", HTTP_ACCEPT_ENCODING="gzip")
    assert land["Content-Type"] == "image/svg+xml"
    assert "max-age=86400" in land["Cache-Control"]
    body = gzip.decompress(land.content)
    assert ET.fromstring(body).get("viewBox").startswith("0 0 1000 ")  # noqa: S314
    again = visitor().get("/map/land.svg", HTTP_IF_NONE_MATCH=land["ETag"])
    assert again.status_code == 304
