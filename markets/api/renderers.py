"""The API's JSON, encoded by orjson, and ``?format=csv`` on every list."""

import csv
import io
from typing import Any

import orjson
from rest_framework import renderers
from rest_framework.renderers import BaseRenderer
from rest_framework.utils.encoders import JSONEncoder as DRFEncoder

from config.text import normalised
from markets.bidi import isolate


class JSONRenderer(renderers.JSONRenderer):
    """DRF's JSON, encoded by orjson, several times faster on a page of records.

    What orjson cannot encode itself (lazy translations, decimals) goes through DRF's
    encoder; an indented response (``Accept: application/json; indent=4``), or data
    orjson refuses, is left to DRF's renderer.
    """

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        if data is None:
            return super().render(data, accepted_media_type, renderer_context)
        if self.get_indent(accepted_media_type, renderer_context or {}):
            return super().render(plain(data), accepted_media_type, renderer_context)
        try:
            return orjson.dumps(data, default=self.encoder_class().default)
        except orjson.JSONEncodeError:
            return super().render(plain(data), accepted_media_type, renderer_context)


def plain(data: Any) -> Any:
    """The data with the JSON kept drawn in it (``orjson.Fragment``) read back, for an
    encoder that cannot write it: DRF's, indenting, or the CSV's columns."""
    try:
        return orjson.loads(orjson.dumps(data, default=DRFEncoder().default))
    except orjson.JSONEncodeError:
        # Nothing kept drawn is refused by orjson: what is, is left to DRF's encoder.
        return data


# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """A record as flat columns: ``region.code``; a list joined one item per line.

    A list of objects (evidence) becomes one column per key, ``evidence.quote``,
    ``evidence.source.title``, holding one line per item in the same order, so the
    n-th line of every ``evidence.*`` column describes the same piece of evidence.
    """
    if isinstance(value, dict):
        columns: dict[str, str] = {}
        for key, item in value.items():
            columns.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
        return columns
    if isinstance(value, list):
        if any(isinstance(item, dict | list) for item in value):
            lines: dict[str, list[str]] = {}
            for item in value:
                for key, text in flatten(item, prefix).items():
                    lines.setdefault(key, []).append(text)
            return {key: "\n".join(texts) for key, texts in lines.items()}
        return {prefix: "; ".join(cell_text(item) for item in value)}
    return {prefix: cell_text(value)}


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    return str(value)


def defuse(text: str) -> str:
    """Keep a cell from running as a formula, leaving numbers such as -12.5 alone."""
    if not text.startswith(FORMULA_PREFIXES):
        return text
    try:
        float(text)
    except ValueError:
        return f"'{text}"
    return text


def spreadsheet_cell(text: str) -> str:
    """A value as an exported cell: without what no text may hold (config.text; a row
    stored before that rule, or past it by SQL, still exports clean), never run as a
    formula, and isolated where its direction could turn the text beside it around
    (markets.bidi)."""
    return isolate(defuse(normalised(text, multiline=True)))


class CSVRenderer(BaseRenderer):
    """Comma-separated, UTF-8 with a byte-order mark so that Excel reads Chinese."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict | None = None,
    ) -> bytes:
        if data is None:
            return b""
        data = plain(data)
        if isinstance(data, dict) and "results" in data:
            records = data["results"]
        elif isinstance(data, list):
            records = data
        else:
            records = [data]
        rows = [flatten(record) for record in records]
        header: dict[str, None] = {}
        for row in rows:
            header.update(dict.fromkeys(row))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(spreadsheet_cell(row.get(column, "")) for column in header)
        self.name_download(renderer_context)
        return ("\ufeff" + buffer.getvalue()).encode(self.charset)

    def name_download(self, renderer_context: dict | None) -> None:
        response = (renderer_context or {}).get("response")
        view = (renderer_context or {}).get("view")
        if response is None or view is None or response.status_code >= 400:
            return
        name = getattr(view, "basename", None) or "export"
        response["Content-Disposition"] = f'attachment; filename="loopwatch-{name}.csv"'
