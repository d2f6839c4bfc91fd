"""Bookkeeping records: the tombstones of deleted records and the record version."""

from django.conf import settings
from django.db import models
from django.utils import timezone
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


class RecordPart(models.TextChoices):
    """The parts of the record a cached read may depend on; a write raises its own."""

    STATUS = "status", _("Markets, sources, events and disputes")
    FIGURES = "figures", _("Market figures")
    SELLERS = "sellers", _("Seller cases and their figures")

    @classmethod
    def of(cls, model: type[models.Model]) -> "RecordPart":
        """The part a model's rows belong to; a many-to-many link, its owner's."""
        opts = model._meta
        if opts.auto_created:
            opts = opts.auto_created._meta
        if opts.app_label == "sellers":
            return cls.SELLERS
        if opts.model_name in ("marketfigure", "marketfigureevidence"):
            return cls.FIGURES
        # Sources, markets and disputes are drawn on every page: a change of them is a
        # change of the status part, which every read depends on.
        return cls.STATUS


class RecordVersion(models.Model):
    """One number per part of the record, raised by every write to that part: what
    cached reads are keyed by.

    It is raised in the writing transaction itself, so a reader sees the new number
    exactly when it sees the new data, in whichever process (caching.versions).
    """

    part = models.CharField(
        _("part"), max_length=20, choices=RecordPart.choices, unique=True
    )
    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("record version")
        verbose_name_plural = _("record versions")

    def __str__(self) -> str:
        return f"{self.part} {self.number}"


class ShownRevision(models.Model):
    """How many times what a list shows of one row has changed: the row itself, or
    anything drawn with it (its markets, its quotes and their sources, its dispute,
    its figures).

    Raised by database triggers (caching.triggers.ROWS_SHOWING) in the writing
    transaction, for every writer alike: saves, bulk updates, links, SQL typed by
    hand. A list keeps each row's JSON under its revision (markets.api.readers), so a
    write redraws only the rows it changed.
    """

    listed = models.CharField(
        _("listed model"), max_length=40, help_text=_("app.model")
    )
    row_id = models.BigIntegerField(_("row"))
    number = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("shown revision")
        verbose_name_plural = _("shown revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["listed", "row_id"], name="shown_revision_once_per_row"
            )
        ]

    def __str__(self) -> str:
        return f"{self.listed} {self.row_id}: {self.number}"


class TableRevision(models.Model):
    """How many times one table the public reads has been written: raised by database
    triggers (caching.triggers) on every insert, update and delete, in the writing
    transaction, for every writer alike.

    What is read from these tables is kept under their revisions
    (caching.kept.kept_read): a write to a table retires only what was read from
    it. ``since`` tells a table's count apart from an earlier one that started again
    from 1, after the table of revisions was emptied.
    """

    table_name = models.CharField(_("table"), max_length=63, unique=True)
    number = models.PositiveBigIntegerField(default=1)
    since = models.DateTimeField(_("counted since"), default=timezone.now)

    class Meta:
        verbose_name = _("table revision")
        verbose_name_plural = _("table revisions")

    def __str__(self) -> str:
        return f"{self.table_name} {self.number}"


#: The bookkeeping kept beside the record, by model name: written by what follows a
#: write, never itself a change of the record.
DERIVED = frozenset(
    {"statusspan", "recordversion", "tombstone", "shownrevision", "tablerevision"}
)
