"""A release's files: a CSV per table, the whole record as JSON, the Frictionless Data
Package descriptor, a README, the licence and the changelog, zipped.

Written with the standard library alone: a descriptor is JSON, and the server that
makes releases needs no Frictionless at run time. The tests validate every release
with Frictionless itself.
"""

import csv
import dataclasses
import datetime
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.urls import reverse
from rest_framework.utils.encoders import JSONEncoder

from datasets.changelog import Cells
from datasets.tables import RESOURCES, Resource, Row, cell_value
from markets.api.renderers import spreadsheet_cell

#: The compilation's licence. Quotes stay their publishers' words (see LICENCE_TEXT).
LICENCE = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
#: UTF-8 with a byte-order mark, as the API's CSV, so that Excel reads Chinese; the
#: descriptor names it as Frictionless itself describes such a file, and pandas and
#: Python read the mark away under this name.
CSV_ENCODING = "utf-8-sig"
#: The whole record, as the API's serializers write it.
RECORD_JSON = "record.json"
DESCRIPTOR = "datapackage.json"
README = "README.md"
LICENCE_FILE = "LICENSE.txt"
CHANGELOG = "CHANGELOG.md"

MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "md": "text/markdown",
    "txt": "text/plain",
    "zip": "application/zip",
}

LICENCE_TEXT = """\
Loopwatch dataset: licence
==========================

The compilation -- the selection and arrangement of the records, their identifiers,
dates and figures, and Loopwatch's own summaries, translations and notes -- is licensed
under the Creative Commons Attribution 4.0 International licence (CC BY 4.0):
https://creativecommons.org/licenses/by/4.0/

You may share and adapt it for any purpose, also commercially, provided you give
appropriate credit ("Loopwatch dataset, release <version>", with a link to the page the
release was downloaded from), link to the licence, and say whether you changed it.

Quotes remain their publishers' words. The quote column of evidence.csv (and the
quotes in record.json) reproduces the sources' exact words as evidence for each fact,
with the source named beside it. They are not Loopwatch's to license: the CC BY 4.0
licence does not cover them, and reusing them beyond quotation is a matter between
you and their publishers. The same holds for the sources' titles.
"""


@dataclasses.dataclass(frozen=True)
class PackedFile:
    """One file of a release, as it is stored in the archive."""

    name: str
    content: bytes

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.name.rsplit(".", 1)[-1]]

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.content).hexdigest()

    def listing(self) -> dict[str, Any]:
        """What the release keeps of the file without opening the archive."""
        return {
            "name": self.name,
            "size": len(self.content),
            "sha256": self.sha256,
            "media_type": self.media_type,
        }


def csv_cells(resource: Resource, rows: Iterable[Row]) -> list[Cells]:
    """The rows as the CSV's cells. A text cell that a spreadsheet would run as a
    formula is defused as the API's CSV does it; typed cells are left exact."""
    text_columns = {
        column.name for column in resource.columns if column.type == "string"
    }

    def cell(name: str, value: Any) -> str:
        text = cell_value(value)
        return spreadsheet_cell(text) if name in text_columns else text

    return [
        {name: cell(name, row[name]) for name in resource.column_names} for row in rows
    ]


def csv_file(resource: Resource, cells: list[Cells]) -> PackedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=resource.column_names, lineterminator="\r\n"
    )
    writer.writeheader()
    writer.writerows(cells)
    return PackedFile(resource.path, buffer.getvalue().encode(CSV_ENCODING))


def json_file(name: str, data: Any) -> PackedFile:
    text = json.dumps(data, cls=JSONEncoder, ensure_ascii=False, indent=2)
    return PackedFile(name, (text + "\n").encode())


def utc_text(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def homepage() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("datasets:release-list")


def table_resource(resource: Resource, file: PackedFile) -> dict[str, Any]:
    """The descriptor's entry for one table: its CSV file and its Table Schema."""
    return {
        "name": resource.name,
        "path": file.name,
        "profile": "tabular-data-resource",
        "title": str(resource.title),
        "description": resource.description,
        "format": "csv",
        "mediatype": file.media_type,
        "encoding": CSV_ENCODING,
        "bytes": len(file.content),
        "hash": f"sha256:{file.sha256}",
        "schema": resource.schema(),
    }


def record_resource(record: PackedFile) -> dict[str, Any]:
    """The descriptor's entry for record.json."""
    return {
        "name": "record",
        "path": record.name,
        # Not a table: every record as the public API shows it, evidence nested.
        "profile": "data-resource",
        "title": "The whole record",
        "description": (
            "Every table's records as the public API's JSON shows them "
            "(/api/markets/ and the rest), evidence nested in each fact."
        ),
        "format": "json",
        "mediatype": record.media_type,
        "encoding": "utf-8",
        "bytes": len(record.content),
        "hash": f"sha256:{record.sha256}",
    }


def descriptor(
    version: str,
    created: datetime.datetime,
    tables: list[PackedFile],
    record: PackedFile,
) -> dict[str, Any]:
    """The Frictionless Data Package (v1) descriptor of a release's data files."""
    resources = [
        table_resource(resource, file)
        for resource, file in zip(RESOURCES, tables, strict=True)
    ]
    resources.append(record_resource(record))
    return {
        "profile": "data-package",
        "name": "loopwatch",
        "title": "Loopwatch: TikTok Shop's commerce modes, market by market",
        "description": (
            "Where TikTok Shop's semi-closed loop, closed loop and fully managed modes "
            "run, market by market: the published record of Loopwatch, with the "
            "verbatim evidence behind every fact. Dates are fuzzy: each carries its "
            "precision and the source's own wording. The compilation is licensed CC "
            "BY 4.0; quotes remain their publishers' words and are not covered by it "
            "(see LICENSE.txt). A text cell that a spreadsheet would run as a formula "
            "(starting with =, +, -, @) is written with a leading apostrophe; "
            "record.json keeps the exact text."
        ),
        "version": version,
        "created": utc_text(created),
        "homepage": homepage(),
        "keywords": ["TikTok Shop", "e-commerce", "cross-border", "commerce modes"],
        "licenses": [LICENCE],
        "sources": [{"title": "Loopwatch", "path": settings.SITE_URL}],
        "contributors": [
            {"title": "Loopwatch", "path": settings.SITE_URL, "role": "publisher"}
        ],
        "resources": resources,
    }


def readme(
    version: str, created: datetime.datetime, counts: dict[str, int], notes: str
) -> str:
    lines = [
        f"Loopwatch dataset {version}",
        "=" * len(f"Loopwatch dataset {version}"),
        "",
        "Where TikTok Shop's commerce modes run, market by market, with the verbatim "
        "evidence behind every fact: the published record of Loopwatch as it stood on "
        f"{utc_text(created)}. Drafts are never included.",
        "",
    ]
    if notes:
        lines += ["Notes on this release:", "", notes, ""]
    lines += [
        "Files",
        "-----",
        "",
        f"- `{DESCRIPTOR}`: the Frictionless Data Package descriptor, with a Table "
        "Schema (types, primary and foreign keys) for every CSV file. Check the "
        f"package with `frictionless validate {DESCRIPTOR}`.",
        f"- `{RECORD_JSON}`: the whole record as the public API's JSON shows it.",
        f"- `{CHANGELOG}`: what changed from release to release.",
        f"- `{LICENCE_FILE}`: the licence (CC BY 4.0; quotes remain their "
        "publishers' words).",
        "",
        "One CSV file per table, UTF-8 with a byte-order mark (spreadsheets read the "
        "Chinese text intact), comma-separated, one header row:",
        "",
    ]
    for resource in RESOURCES:
        rows = counts[resource.name]
        lines.append(
            f"- `{resource.path}` ({rows} row{'' if rows == 1 else 's'}): "
            f"{resource.description}"
        )
    lines += [
        "",
        "Every table is keyed by the record's natural key (an ISO code, a slug or a "
        "UUID), stable from release to release. Many-to-many links are tables of "
        "their own (mode-event-markets.csv and the like). A fuzzy date is its first "
        "possible day with its precision (day, month, month_end, year, year_end, "
        "approximate) and the source's wording; mode events also give the earliest "
        "and latest day the date may stand for.",
        "",
        "Cite as: Loopwatch dataset, release " + version + ", " + homepage(),
        "",
    ]
    return "\n".join(lines)


def zipped(files: list[PackedFile], created: datetime.datetime) -> bytes:
    """The files in one zip, each dated when the release was made."""
    stamp = created.astimezone(datetime.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            info = zipfile.ZipInfo(file.name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, file.content)
    return buffer.getvalue()


def package_files(
    *,
    version: str,
    created: datetime.datetime,
    notes: str,
    cells: dict[str, list[Cells]],
    record: dict[str, Any],
    changelog: str,
) -> list[PackedFile]:
    """Every file of a release, the descriptor first."""
    tables = [csv_file(resource, cells[resource.name]) for resource in RESOURCES]
    record_file = json_file(
        RECORD_JSON,
        {"version": version, "created": utc_text(created), "licenses": [LICENCE]}
        | record,
    )
    counts = {name: len(rows) for name, rows in cells.items()}
    return [
        json_file(DESCRIPTOR, descriptor(version, created, tables, record_file)),
        PackedFile(README, readme(version, created, counts, notes).encode()),
        PackedFile(LICENCE_FILE, LICENCE_TEXT.encode()),
        PackedFile(CHANGELOG, changelog.encode()),
        record_file,
        *tables,
    ]
