"""The evidence of a fact: the exact words quoted from a source, and where they
stand in its archived text.

Abstract: each kind of fact has its own evidence table (markets.models.events,
markets.models.figures, sellers). The source is named by its label, so that
markets.models.sources, which asks which tables hold evidence, imports this module
and not the reverse.
"""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from markets.models.bases import NaturalKeyQuerySet, NaturallyKeyed, Timestamped
from markets.models.choices import Publication, Verification
from markets.quotes import Selector, locate

RECHECK_REASON = "Re-checked against the new archived text"


class EvidenceQuerySet(NaturalKeyQuerySet):
    def public(self) -> "EvidenceQuerySet":
        """Quotes the public may see: those whose source is published, with the
        article whose text they stand in (``Evidence.text_url``)."""
        return self.filter(source__publication=Publication.PUBLISHED).select_related(
            "source", "source__reported_via"
        )

    def needing_review(self) -> "EvidenceQuerySet":
        return self.filter(verification=Verification.NEEDS_REVIEW)

    def not_verified(self) -> "EvidenceQuerySet":
        """Quotes not (or no longer) found in their source's archived text: those with
        no text to stand in yet, and those the newest copy no longer holds."""
        return self.exclude(verification=Verification.VERIFIED)


class Evidence(NaturallyKeyed, Timestamped):
    """The exact words of a source that support a fact, in the source's own language."""

    natural_key_field = "uuid"

    uuid = models.UUIDField(
        _("identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    source = models.ForeignKey(
        "markets.Source",
        on_delete=models.PROTECT,
        related_name="%(class)s_set",
        verbose_name=_("source"),
    )
    quote = models.TextField(
        _("quote"),
        help_text=_(
            "Verbatim, in the source's language; for a relayed outlet, the words of the "
            "article that relays it."
        ),
    )
    claim = models.CharField(
        _("claim"),
        max_length=200,
        blank=True,
        help_text=_("On a disputed fact: what this source claims, e.g. 2020年左右."),
    )
    # Where the quote stands in the archived text, as the W3C TextQuoteSelector and
    # TextPositionSelector say it; set by clean() and by re-archiving, never typed.
    verification = models.CharField(
        _("verification"),
        max_length=12,
        choices=Verification.choices,
        default=Verification.UNVERIFIED,
        editable=False,
    )
    quote_exact = models.TextField(_("exact text"), blank=True, editable=False)
    quote_prefix = models.TextField(_("text before"), blank=True, editable=False)
    quote_suffix = models.TextField(_("text after"), blank=True, editable=False)
    quote_start = models.PositiveIntegerField(
        _("start offset"), null=True, blank=True, editable=False
    )
    quote_end = models.PositiveIntegerField(
        _("end offset"), null=True, blank=True, editable=False
    )

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        # Named after the fact it supports: that is what a refused deletion must list.
        return f"{self.fact} ← {self.source.publisher}: “{self.quote[:40]}”"

    def clean(self) -> None:
        super().clean()
        if self.source_id is None or not self.quote:
            return
        text = self.source.text_source.current_text()
        if text is None:
            self.place(None, Verification.UNVERIFIED)
            return
        selector = locate(self.quote, text.text)
        if selector is None:
            raise ValidationError(
                {
                    "quote": _(
                        "This quote does not stand in the archived text of "
                        "“%(source)s”: copy it verbatim from the text."
                    )
                    % {"source": text.source}
                },
                code="quote_not_in_text",
            )
        self.place(selector, Verification.VERIFIED)

    def recheck(self, text: str | None, user: Any = None, reason: str = "") -> str:
        """Check the quote again against ``text`` (None: there is none), saving what
        changed: found, it is placed anew; not found, it needs review, never kept as
        verified. Returns the verification it ends with."""
        before = (self.verification, self.quote_start, self.quote_end, self.quote_exact)
        if text is None:
            self.place(None, Verification.UNVERIFIED)
        else:
            selector = locate(self.quote, text)
            self.place(
                selector,
                Verification.VERIFIED if selector else Verification.NEEDS_REVIEW,
            )
        if before != (
            self.verification,
            self.quote_start,
            self.quote_end,
            self.quote_exact,
        ):
            self._change_reason = reason or RECHECK_REASON
            self._history_user = user
            self.save()
        return self.verification

    def place(self, selector: Selector | None, verification: str) -> None:
        """Record where the quote stands (or that it stands nowhere yet)."""
        self.verification = verification
        if selector is None:
            if verification == Verification.UNVERIFIED:
                self.quote_exact = self.quote_prefix = self.quote_suffix = ""
                self.quote_start = self.quote_end = None
            return
        self.quote_exact = selector.exact
        self.quote_prefix = selector.prefix
        self.quote_suffix = selector.suffix
        self.quote_start = selector.start
        self.quote_end = selector.end

    @property
    def selector(self) -> dict | None:
        """The W3C selector of a quote found in the archived text, else None."""
        if self.verification != Verification.VERIFIED or self.quote_start is None:
            return None
        return {
            "exact": self.quote_exact,
            "prefix": self.quote_prefix,
            "suffix": self.quote_suffix,
            "start": self.quote_start,
            "end": self.quote_end,
        }

    @property
    def text_url(self) -> str:
        """The archived text this quote stands in, opened at the quote."""
        article = self.source.text_source
        return reverse("markets:source-text", kwargs={"slug": article.slug}) + (
            f"#quote-{self.uuid}"
        )
