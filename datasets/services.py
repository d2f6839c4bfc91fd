"""Making a dataset release: the one writer of releases."""

import datetime
import hashlib
from typing import Any

from django.db import connection, transaction
from django.utils import timezone, translation

from config.text import normalised
from datasets.changelog import Table, changelog_section, compare, tables_in_archive
from datasets.models import Release
from datasets.packaging import csv_cells, package_files, zipped
from datasets.record import PublicRecord
from datasets.tables import RESOURCES


def release_create(*, notes: str = "", only_if_changed: bool = False) -> Release | None:
    """Release what the public sees now, with what changed since the last release;
    with ``only_if_changed``, nothing (None) where no record changed since then.

    Every table is read in one transaction that sees one state of the record (on
    PostgreSQL, repeatable read): a publish landing halfway through cannot leave a
    quote whose fact, or an event whose market, is missing from the release.
    """
    # An operator's words, typed in a shell: kept to the rules for text, not refused.
    notes = normalised(notes, multiline=True)
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # SQLite's transaction is one snapshot already; PostgreSQL's default
            # (read committed) is one per statement.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        record = PublicRecord()
        rows = record.tables()
        cells = {
            resource.name: csv_cells(resource, rows[resource.name])
            for resource in RESOURCES
        }
        previous = Release.objects.first()
        changes = compare(
            tables_in_archive(bytes(previous.archive)) if previous else None,
            {
                resource.name: Table(
                    resource.primary_key, resource.column_names, cells[resource.name]
                )
                for resource in RESOURCES
            },
        )
        if only_if_changed and previous and not changes:
            return None
        created = timezone.now()
        version = Release.objects.next_version(timezone.localdate(created))
        # The archive is written in English; the interface is translated around it.
        with translation.override("en"):
            files = package_files(
                version=version,
                created=created,
                notes=notes,
                cells=cells,
                record=record.as_the_api_shows_it(),
                changelog=changelog_text(version, created, previous, changes),
            )
        archive = zipped(files, created)
        return Release.objects.create(
            version=version,
            created_at=created,
            notes=notes,
            archive=archive,
            sha256=hashlib.sha256(archive).hexdigest(),
            size=len(archive),
            files=[file.listing() for file in files],
            counts={name: len(table) for name, table in cells.items()},
            previous_version=previous.version if previous else "",
            changes=changes,
        )


def changelog_text(
    version: str,
    created: datetime.datetime,
    previous: Release | None,
    changes: list[dict[str, Any]],
) -> str:
    """CHANGELOG.md of a release: its own changes, then every earlier release's."""
    sections = [
        changelog_section(
            version,
            timezone.localdate(created).isoformat(),
            previous.version if previous else None,
            changes,
        ),
        *(
            changelog_section(
                older.version,
                timezone.localdate(older.created_at).isoformat(),
                older.previous_version or None,
                older.changes,
            )
            for older in Release.objects.listed()
        ),
    ]
    return "# Changelog\n\n" + "\n".join(sections)
