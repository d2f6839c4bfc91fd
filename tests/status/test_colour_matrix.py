"""The colour matrix on the home page: every published market in every mode one linked
square, coloured by the same answer the grid and the API give, in chunks narrow
enough for a phone, drawn from what the page reads already."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 (our own page)

import pytest
from django.test import Client
from django.utils import translation

from markets.models import Market, Mode, ModeEvent, Publication
from status.colourmatrix import MARKETS_PER_CHUNK, SQUARE
from tests.factories import MarketFactory

SVG = "{http://www.w3.org/2000/svg}"
DAYS = ["2020-06-01", "2023-09-15", "2024-02-10", "2024-06-01", "2025-06-01"]
#: What a 390 px phone leaves for the page inside its margins.
PHONE_WIDTH = 362


def visitor(language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def matrix_chunks(text: str) -> list[ET.Element]:
    """Each chunk of the matrix in a page, parsed as the SVG it is."""
    chunks = re.findall(r'<svg class="colour-matrix__chunk".*?</svg>', text, re.S)
    return [
        ET.fromstring(chunk.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1))  # noqa: S314
        for chunk in chunks
    ]


def squares_of(chunks: list[ET.Element]) -> dict[tuple[str, str], ET.Element]:
    squares = [square for chunk in chunks for square in chunk.findall(f"{SVG}a")]
    keys = [(square.get("data-market"), square.get("data-mode")) for square in squares]
    assert len(keys) == len(set(keys)), "one square per market and mode"
    return dict(zip(keys, squares, strict=True))


@pytest.mark.parametrize("day", DAYS)
def test_each_market_and_mode_is_one_square_coloured_by_its_answer(
    article_data, client, day
):
    answers = client.get("/api/status/", {"as_of": day}).json()
    page = visitor().get("/", {"as_of": day})
    squares = squares_of(matrix_chunks(page.content.decode()))

    assert len(answers) == Market.objects.published().count() * len(Mode.values)
    for cell in answers:
        square = squares.pop((cell["market"], cell["mode"]))
        assert square.get("href") == f"/markets/{cell['market']}/?as_of={day}"
        assert square.get("data-status") == cell["status"]
        colour = "uncertain" if cell["uncertain"] else cell["status"]
        assert f"map-{colour}" in square.get("class").split()
        hatches = [
            path.get("class").split()[-1]
            for path in square.findall(f"{SVG}path")
            if path.get("class")
        ]
        if cell["uncertain"]:
            assert hatches == ["colour-matrix__hatched--uncertain"]
        elif cell["stale"]:
            assert hatches == ["colour-matrix__hatched--stale"]
        else:
            assert hatches == []
    assert squares == {}, "no square the API does not answer for"


def column_codes(chunks: list[ET.Element]) -> list[str]:
    """The markets' codes above the columns, left to right, chunk after chunk."""
    return [
        text.text
        for chunk in chunks
        for text in chunk.iter(f"{SVG}text")
        if text.get("class") == "colour-matrix__code"
    ]


def test_markets_stand_in_the_order_of_their_codes_and_modes_are_its_rows(
    article_data,
):
    page = visitor().get("/", {"as_of": "2024-06-01"})
    grid = page.context["grid"]
    chunks = matrix_chunks(page.content.decode())
    codes = column_codes(chunks)
    assert codes == sorted(row.market.code for row in grid.rows)
    # Each square stands under its market's code.
    for chunk in chunks:
        labels = {
            group.get("data-market"): group.find(f"{SVG}text").get("x")
            for group in chunk.findall(f"{SVG}g")
        }
        for square in chunk.findall(f"{SVG}a"):
            left = int(square.find(f"{SVG}path").get("d").split()[0][1:])
            assert int(labels[square.get("data-market")]) == left + SQUARE // 2
    for chunk in chunks:
        rows: dict[int, set[str]] = {}
        for square in chunk.findall(f"{SVG}a"):
            # The square's path starts at its top left corner: "M<x> <y>h…".
            top = int(square.find(f"{SVG}path").get("d").split("h")[0].split()[1])
            rows.setdefault(top, set()).add(square.get("data-mode"))
        # One row per mode, in the grid's order of modes, top to bottom.
        assert [rows[top] for top in sorted(rows)] == [{mode} for mode in grid.modes]


def test_each_square_is_a_target_a_finger_finds_and_can_be_skipped(article_data):
    """WCAG 2.5.8: 24 px a side at least; and one link passes every square, to the
    legend that follows them."""
    text = visitor("zh-hans").get("/", {"as_of": "2024-06-01"}).content.decode()
    for square in squares_of(matrix_chunks(text)).values():
        d = square.find(f"{SVG}path").get("d")
        assert re.search(r"h(\d+)v(\d+)", d).groups() == ("24", "24")
    skip = text.index('<a class="skip-past" href="#colour-matrix-legend">跳过色块</a>')
    assert skip < text.index('<figure class="colour-matrix">')
    assert text.index('id="colour-matrix-legend" tabindex="-1"') > text.index(
        "</figure>", skip
    )


def test_two_days_with_different_answers_give_the_same_column_order(article_data):
    """The grid ranks its rows by answer; the matrix's columns stay put."""
    before, after = "2020-06-01", "2024-06-01"
    grids = [
        visitor().get("/", {"as_of": day}).context["grid"] for day in (before, after)
    ]
    rank_orders = [[row.market.code for row in grid.rows] for grid in grids]
    assert rank_orders[0] != rank_orders[1], "the days must answer differently"
    orders = [
        column_codes(matrix_chunks(visitor().get("/", {"as_of": day}).text))
        for day in (before, after)
    ]
    assert orders[0] == orders[1] == sorted(orders[0])


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_each_column_names_its_market_in_the_readers_language(article_data, language):
    chunks = matrix_chunks(visitor(language).get("/").text)
    names = {
        group.get("data-market"): group.find(f"{SVG}title").text
        for chunk in chunks
        for group in chunk.findall(f"{SVG}g")
        if group.get("class") == "colour-matrix__market"
    }
    with translation.override(language):
        expected = {
            market.code: market.localized("name")
            for market in Market.objects.published()
        }
    assert names == expected
    assert names["DE"] == {"en": "Germany", "zh-hans": "德国"}[language]


def test_a_squares_title_says_the_answer_in_the_words_of_the_map(article_data):
    matrix = squares_of(matrix_chunks(visitor().get("/?as_of=2024-02-10").text))
    page = visitor().get("/map/", {"as_of": "2024-02-10", "mode": "semi_closed_loop"})
    on_the_map = re.search(
        r'data-market="DE".*?<title>(.*?)</title>', page.content.decode(), re.S
    ).group(1)
    title = matrix[("DE", "semi_closed_loop")].find(f"{SVG}title").text
    market, words = on_the_map.split(": ", 1)
    assert title == f"{market} · Semi-closed loop: {words}"
    assert "uncertain" in words.lower() and "2024-03-01" in words


def test_titles_names_and_legend_are_in_the_readers_language(article_data):
    text = visitor("zh-hans").get("/", {"as_of": "2024-06-01"}).content.decode()
    chunks = matrix_chunks(text)
    germany = squares_of(chunks)[("DE", "semi_closed_loop")].find(f"{SVG}title").text
    assert "德国" in germany and "半闭环" in germany and "内测" in germany
    modes = {
        text.text
        for text in chunks[0].findall(f"{SVG}text")
        if text.get("class") == "colour-matrix__mode"
    }
    with translation.override("zh-hans"):
        assert modes == {str(mode.short_label) for mode in Mode}
    legend = text[text.index('class="map-legend colour-matrix__legend"') :]
    assert "不确定" in legend.split("</ul>")[0]


def test_a_draft_market_never_gets_a_square(article_data):
    MarketFactory(code="GI", publication=Publication.DRAFT)
    squares = squares_of(matrix_chunks(visitor().get("/").content.decode()))
    assert not [key for key in squares if key[0] == "GI"]


def test_the_matrix_holds_no_inline_style(article_data):
    text = visitor().get("/").content.decode()
    section = text[text.index('<figure class="colour-matrix">') :]
    section = section[: section.index("</ul>")]
    assert "style" not in section


@pytest.mark.parametrize(("address", "bound"), [("/", 7), ("/?as_of=2024-06-01", 9)])
def test_the_matrix_costs_the_home_page_no_query(
    article_data, django_assert_max_num_queries, address, bound
):
    """The bounds of tests/markets/test_query_budget.py: the matrix reads the grid the
    page has read already, and its words are those of the events the grid names."""
    with django_assert_max_num_queries(bound):
        first = visitor().get(address)
    with django_assert_max_num_queries(1):
        again = visitor().get(address)
    assert again.content == first.content
    assert 'class="colour-matrix__chunk"' in first.content.decode()


def test_a_write_rewords_only_the_squares_it_changed(
    article_data, django_assert_max_num_queries
):
    """An event saved again writes its spans anew: the matrix is drawn again, but
    only the cells of those spans are worded again, and the page costs what it did
    before there was a matrix."""

    def worded(page) -> int:
        return sum(
            t.name == "status/includes/_cell_in_words.txt" for t in page.templates
        )

    first = visitor().get("/", {"as_of": "2024-06-01"})
    cells = Market.objects.published().count() * len(Mode.values)
    assert worded(first) == cells
    event = ModeEvent.objects.get(date="2024-02-01", status_set="beta")
    event.summary_en = "Written again."
    event.save()
    with django_assert_max_num_queries(9):
        again = visitor().get("/", {"as_of": "2024-06-01"})
    assert 0 < worded(again) <= event.markets.count()
    assert again.content != first.content


# Last: the large set, once copied in, stays for the rest of the module.
def test_chunks_of_many_markets_fit_a_phone_in_either_language(large_data_set):
    for language in ("en", "zh-hans"):
        chunks = matrix_chunks(visitor(language).get("/").content.decode())
        sizes = [len(chunk.findall(f"{SVG}a")) // len(Mode.values) for chunk in chunks]
        assert sum(sizes) == Market.objects.published().count()
        assert max(sizes) <= MARKETS_PER_CHUNK
        # As even as may be: no stub of a chunk at the end.
        assert max(sizes) - min(sizes) <= 1
        for chunk in chunks:
            assert int(chunk.get("width")) <= PHONE_WIDTH
            assert (
                chunk.get("viewBox")
                == f"0 0 {chunk.get('width')} {chunk.get('height')}"
            )
