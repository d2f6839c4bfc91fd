"""What a release offers, as /data/ lists it: its files with their titles and rows, and
its changes since the previous release table by table.

Apart from the model because the titles are the tables' own (datasets.record), which
are read through the API's serializers: a model module imports no serializer.
"""

import dataclasses
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from datasets.models import Release
from datasets.tables import RESOURCES_BY_NAME

#: What each file beside the tables holds, as the page names it (datasets.packaging
#: writes them).
FILE_TITLES = {
    "datapackage.json": _("Frictionless Data Package descriptor: every column typed"),
    "README.md": _("What the release holds, and how to cite it"),
    "LICENSE.txt": _("The licence"),
    "CHANGELOG.md": _("What changed from release to release"),
    "record.json": _("The whole record, as the API's JSON shows it"),
}


@dataclasses.dataclass(frozen=True)
class Download:
    """One file a release offers: the zip, or a file in it."""

    name: str
    size: int
    sha256: str
    media_type: str
    title: str | Promise = ""
    rows: int | None = None

    @property
    def content_type(self) -> str:
        if self.media_type.startswith("text/"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


@dataclasses.dataclass(frozen=True)
class TableChanges:
    """What changed in one table since the previous release, as the page shows it."""

    title: str | Promise
    added: list[str]
    removed: list[str]
    changed: list[dict[str, Any]]


def release_downloads(release: Release) -> list[Download]:
    """The zip, then every file in it, each table with its title and rows."""
    found = [
        Download(
            release.archive_name,
            release.size,
            release.sha256,
            "application/zip",
            title=_("Everything, zipped"),
        )
    ]
    tables = {resource.path: resource for resource in RESOURCES_BY_NAME.values()}
    for listing in release.files:
        resource = tables.get(listing["name"])
        found.append(
            Download(
                listing["name"],
                listing["size"],
                listing["sha256"],
                listing["media_type"],
                title=(
                    resource.title if resource else FILE_TITLES.get(listing["name"], "")
                ),
                rows=release.counts.get(resource.name) if resource else None,
            )
        )
    return found


def release_download(release: Release, name: str) -> Download | None:
    """The file of this name the release offers, or None."""
    return next(
        (found for found in release_downloads(release) if found.name == name), None
    )


def release_table_changes(release: Release) -> list[TableChanges]:
    """The changes since the previous release, each table under its title."""
    return [
        TableChanges(
            title=(
                RESOURCES_BY_NAME[entry["resource"]].title
                if entry["resource"] in RESOURCES_BY_NAME
                else entry["resource"]
            ),
            added=entry["added"],
            removed=entry["removed"],
            changed=entry["changed"],
        )
        for entry in release.changes
    ]


@dataclasses.dataclass(frozen=True)
class ReleaseShown:
    """A release as the list page shows it."""

    release: Release
    downloads: list[Download]
    changes: list[TableChanges]

    @classmethod
    def of(cls, release: Release) -> "ReleaseShown":
        changes = [] if release.is_first else release_table_changes(release)
        return cls(release, release_downloads(release), changes)
