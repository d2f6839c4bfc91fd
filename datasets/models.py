"""Dataset releases: the published record as files, versioned, made by
``manage.py release_dataset`` and offered for download at /data/."""

import datetime
import hashlib
import io
import zipfile
from typing import Any

from django.db import models
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImmutableReleaseError(Exception):
    """A release is never changed once made: its address and checksum are cited."""


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

    def content_of(self, name: str) -> bytes:
        """A file's bytes, read from the archive: the zip itself, or a file in it."""
        archive = bytes(self.archive)
        if name == self.archive_name:
            return archive
        with zipfile.ZipFile(io.BytesIO(archive)) as package:
            return package.read(name)
