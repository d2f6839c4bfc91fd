"""Template helpers that draw the answer: the grid's rows and cells, and the colour
matrix, each kept drawn per row or cell (caching.kept.drawn_once)."""

from operator import attrgetter

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from caching.kept import drawn_once
from markets.templatetags.loopwatch import market_links
from status.colourmatrix import ColourMatrix
from status.grid import MarketStatusRow, ModeStatus, StatusGrid
from status.wording import no_evidence_yet

register = template.Library()


@register.filter
def drawn_rows(grid: StatusGrid) -> list[str]:
    """The grid's rows as HTML (``_status_row.html``), kept per row, and within a row
    drawn anew per cell: after a write, only the rows and cells whose spans it
    rewrote are drawn again."""

    def draw(missing: list[MarketStatusRow]) -> list[str]:
        return [
            render_to_string(
                "status/includes/_status_row.html", {"row": row, "cells": cells}
            )
            for row, cells in with_drawn_cells(missing)
        ]

    drawn = drawn_once(
        "status-row-html", grid.rows_with_evidence, attrgetter("drawing_key"), draw
    )
    return [mark_safe(row) for row in drawn]  # noqa: S308


def with_drawn_cells(
    rows: list[MarketStatusRow],
) -> list[tuple[MarketStatusRow, list[tuple]]]:
    """The rows, each cell beside its drawing (``_status_cell.html``), kept per
    cell."""
    cells = [cell for row in rows for cell in row.cells]

    def draw(missing: list[ModeStatus]) -> list[str]:
        if missing:
            missing[0].events.only_for(cell.span for cell in missing)
        return [
            render_to_string("status/includes/_status_cell.html", {"cell": cell})
            for cell in missing
        ]

    drawings = iter(
        drawn_once("status-cell-html", cells, attrgetter("drawing_key"), draw)
    )
    return [
        (row, [(cell, mark_safe(next(drawings))) for cell in row.cells])  # noqa: S308
        for row in rows
    ]


@register.filter
def markets_without_evidence(grid: StatusGrid) -> SafeString:
    """The grid's markets no source speaks of yet, in one line, each a link to its
    page on the grid's day; empty where there is none."""
    markets = grid.markets_without_evidence
    if not markets:
        return SafeString()
    return no_evidence_yet(market_links([market], grid.day) for market in markets)


@register.filter
def modes_without_evidence(row: MarketStatusRow) -> SafeString:
    """The row's modes no source speaks of yet, in one line; empty where none."""
    modes = row.modes_without_evidence
    return no_evidence_yet(modes) if modes else SafeString()


@register.filter
def colour_matrix(grid: StatusGrid) -> ColourMatrix:
    """The grid as a matrix of coloured squares (status.colourmatrix), each titled
    with its answer in words (``_cell_in_words.txt``), kept per cell as the grid's
    cells are: after a write, only the answers it changed are worded again, reading
    the events of those cells alone."""
    cells = [cell for row in grid.rows for cell in row.cells]

    def draw(missing: list[ModeStatus]) -> list[str]:
        if missing:
            missing[0].events.only_for(cell.span for cell in missing)
        return [
            render_to_string("status/includes/_cell_in_words.txt", {"cell": cell})
            for cell in missing
        ]

    words = drawn_once("cell-in-words", cells, attrgetter("drawing_key"), draw)
    # Drawn by a template, so escaped already.
    return ColourMatrix(grid, [mark_safe(text) for text in words])  # noqa: S308
