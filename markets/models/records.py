"""Bookkeeping records: the tombstones of deleted records and the record version."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    """A record someone deleted, by its natural key: reloading the article data never
    brings it back (``manage.py load_articles``)."""

    model = models.CharField(_("model"), max_length=100, help_text=_("app.model"))
    natural_key = models.CharField(_("natural key"), max_length=200)
    deleted_at = models.DateTimeField(_("deleted"), auto_now_add=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    class Meta:
        ordering = ["-deleted_at"]
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")
        constraints = [
            models.UniqueConstraint(
                fields=["model", "natural_key"], name="tombstone_once_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.natural_key}"


class RecordVersion(models.Model):
    """One number, raised by every write to the record: what cached reads are keyed by.

    It is raised in the writing transaction itself, so a reader sees the new number
    exactly when it sees the new data, in whichever process (markets.caching).
    """

    number = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("record version")
        verbose_name_plural = _("record versions")

    def __str__(self) -> str:
        return str(self.number)
