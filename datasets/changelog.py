"""What changed between two releases: per table, by primary key, the rows added,
removed and changed, with the columns that changed.

Both sides are compared as the CSV cells a reader downloads, so a change shown is a
change in the files. The bookkeeping columns (record.BOOKKEEPING) are left out: a save
that changed nothing shown still raises them.
"""

import csv
import dataclasses
import io
import json
import zipfile
from typing import Any

from datasets.tables import BOOKKEEPING

#: Joins the parts of a composite key where a change names the row.
KEY_SEPARATOR = " / "

Cells = dict[str, str]


@dataclasses.dataclass
class Table:
    """A release's table as CSV cells: its primary key, columns and rows."""

    primary_key: tuple[str, ...]
    columns: tuple[str, ...]
    rows: list[Cells]

    def keyed(self, primary_key: tuple[str, ...]) -> dict[str, Cells]:
        """The rows by ``primary_key`` (the newer release's), where this table has it."""
        if not set(primary_key) <= set(self.columns):
            return {}
        return {
            KEY_SEPARATOR.join(row[column] for column in primary_key): row
            for row in self.rows
        }


def tables_in_archive(archive: bytes) -> dict[str, Table]:
    """The tables of a release's zip, read back through its datapackage.json."""
    with zipfile.ZipFile(io.BytesIO(archive)) as package:
        descriptor = json.loads(package.read("datapackage.json"))
        tables = {}
        for resource in descriptor["resources"]:
            if "schema" not in resource:
                continue
            text = package.read(resource["path"]).decode(resource["encoding"])
            reader = csv.DictReader(io.StringIO(text, newline=""))
            rows = list(reader)
            tables[resource["name"]] = Table(
                primary_key=tuple(resource["schema"]["primaryKey"]),
                columns=tuple(reader.fieldnames or ()),
                rows=rows,
            )
    return tables


def compare(
    previous: dict[str, Table] | None, current: dict[str, Table]
) -> list[dict[str, Any]]:
    """Each table's changes since ``previous``, tables without any left out.

    A table new in this release has every row added; one gone from it, every row
    removed. Only the columns both releases have are compared.
    """
    if previous is None:
        return []
    changes = []
    for name in (*current, *(name for name in previous if name not in current)):
        table, before = current.get(name), previous.get(name)
        primary_key = (table or before).primary_key
        old = before.keyed(primary_key) if before else {}
        new = table.keyed(primary_key) if table else {}
        compared = [
            column
            for column in (table.columns if table else ())
            if before and column in before.columns and column not in BOOKKEEPING
        ]
        changed = []
        for key, row in new.items():
            if key in old:
                fields = [
                    column for column in compared if row[column] != old[key][column]
                ]
                if fields:
                    changed.append({"key": key, "fields": fields})
        entry = {
            "resource": name,
            "added": [key for key in new if key not in old],
            "removed": [key for key in old if key not in new],
            "changed": changed,
        }
        if entry["added"] or entry["removed"] or entry["changed"]:
            changes.append(entry)
    return changes


def changelog_section(
    version: str, created: str, previous: str | None, changes: list[dict[str, Any]]
) -> str:
    """One release's part of CHANGELOG.md, in English as the whole archive."""
    lines = [f"## {version} ({created})", ""]
    if previous is None:
        lines += ["The first release: every record is new.", ""]
        return "\n".join(lines)
    if not changes:
        lines += [f"No record changed since {previous}.", ""]
        return "\n".join(lines)
    lines += [
        f"Compared with {previous}, table by table, by primary key. The bookkeeping "
        f"columns ({', '.join(BOOKKEEPING)}) are not compared.",
        "",
    ]
    for entry in changes:
        lines += [f"### {entry['resource']}", ""]
        lines += [f"- added: `{key}`" for key in entry["added"]]
        lines += [f"- removed: `{key}`" for key in entry["removed"]]
        lines += [
            f"- changed: `{change['key']}` ({', '.join(change['fields'])})"
            for change in entry["changed"]
        ]
        lines.append("")
    return "\n".join(lines)
