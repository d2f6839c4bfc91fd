"""Dataset releases: the published record as files, versioned, made by
``manage.py release_dataset`` and offered for download at /data/."""

import dataclasses
import datetime
import hashlib
import io
import zipfile
from typing import Any

from django.db import models
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: What each file beside the tables holds, as the page names it (datasets.packaging
#: writes them).
FILE_TITLES = {
    "datapackage.json": _("Frictionless Data Package descriptor: every column typed"),
    "README.md": _("What the release holds, and how to cite it"),
    "LICENSE.txt": _("The licence"),
    "CHANGELOG.md": _("What changed from release to release"),
    "record.json": _("The whole record, as the API's JSON shows it"),
}


class ImmutableReleaseError(Exception):
    """A release is never changed once made: its address and checksum are cited."""


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


class ReleaseQuerySet(models.QuerySet):
    def listed(self) -> "ReleaseQuerySet":
        """Releases without their archives: all a list, or a file's validators, read."""
        return self.defer("archive")

    def next_version(self, day: datetime.date) -> str:
        """The day as YYYY.MM.DD; a second release that day is YYYY.MM.DD.2, and so on."""
        base = day.strftime("%Y.%m.%d")
        taken = self.filter(Q(version=base) | Q(version__startswith=f"{base}.")).count()
        return f"{base}.{taken + 1}" if taken else base

    def validators(self, *shown: object) -> tuple[str, datetime.datetime]:
        """An ETag and a last-modified time for a page listing releases, in one query.

        Releases never change: how many there are and when the newest was made say
        whether the list changed. ``shown`` names the rest of what the page shows (the
        release that draws it, its number, its language). As every public page's,
        they change daily too.
        """
        found = self.aggregate(count=Count("pk"), newest=Max("created_at"))
        today = timezone.localdate()
        modified = timezone.make_aware(
            datetime.datetime.combine(today, datetime.time())
        )
        if found["newest"] is not None:
            modified = max(modified, found["newest"])
        key = repr((found["count"], found["newest"], today, *shown)).encode()
        return f'"{hashlib.blake2b(key, digest_size=16).hexdigest()}"', modified


class Release(models.Model):
    """A versioned dump of the published record: one CSV per table, the record as
    JSON, a Frictionless Data Package descriptor, README, licence and changelog, in one
    zip. Never changed once made; the next release says what changed since."""

    version = models.CharField(
        _("version"),
        max_length=20,
        unique=True,
        help_text=_("The day it was made, YYYY.MM.DD, with .2, .3… for more that day."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("What the release is for, if anything.")
    )
    archive = models.BinaryField(_("archive"), help_text=_("The zip itself."))
    sha256 = models.CharField(_("SHA-256"), max_length=64, help_text=_("Of the zip."))
    size = models.PositiveBigIntegerField(
        _("size"), help_text=_("Of the zip, in bytes.")
    )
    files = models.JSONField(
        _("files"),
        default=list,
        help_text=_("Name, size, SHA-256 and media type of each file in the zip."),
    )
    counts = models.JSONField(
        _("rows"), default=dict, help_text=_("How many rows each table holds.")
    )
    previous_version = models.CharField(
        _("previous version"),
        max_length=20,
        blank=True,
        help_text=_("The release the changes are counted from; empty for the first."),
    )
    changes = models.JSONField(
        _("changes"),
        default=list,
        help_text=_(
            "Per table, the keys of the rows added, removed and changed (with the "
            "columns that changed) since the previous release."
        ),
    )

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]
        verbose_name = _("dataset release")
        verbose_name_plural = _("dataset releases")

    def __str__(self) -> str:
        return self.version

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableReleaseError(
                f"Release {self.version} is never changed: make a new one."
            )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("datasets:release-file", args=[self.version, self.archive_name])

    @property
    def archive_name(self) -> str:
        return f"loopwatch-{self.version}.zip"

    @property
    def is_first(self) -> bool:
        return not self.previous_version

    def downloads(self) -> list[Download]:
        """The zip, then every file in it, each table with its title and rows."""
        # Imported when used: the tables module reads the API's field descriptions,
        # which a models module does not load.
        from datasets.tables import RESOURCES_BY_NAME

        tables = {resource.path: resource for resource in RESOURCES_BY_NAME.values()}
        found = [
            Download(
                self.archive_name,
                self.size,
                self.sha256,
                "application/zip",
                title=_("Everything, zipped"),
            )
        ]
        for listing in self.files:
            resource = tables.get(listing["name"])
            found.append(
                Download(
                    listing["name"],
                    listing["size"],
                    listing["sha256"],
                    listing["media_type"],
                    title=(
                        resource.title
                        if resource
                        else FILE_TITLES.get(listing["name"], "")
                    ),
                    rows=self.counts.get(resource.name) if resource else None,
                )
            )
        return found

    def download(self, name: str) -> Download | None:
        """The file of this name the release offers, or None."""
        return next((found for found in self.downloads() if found.name == name), None)

    def content_of(self, download: Download) -> bytes:
        """A file's bytes, read from the archive."""
        archive = bytes(self.archive)
        if download.name == self.archive_name:
            return archive
        with zipfile.ZipFile(io.BytesIO(archive)) as package:
            return package.read(download.name)

    def table_changes(self) -> list[TableChanges]:
        """The changes since the previous release, each table under its title."""
        # Imported when used, as in downloads().
        from datasets.tables import RESOURCES_BY_NAME

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
            for entry in self.changes
        ]
