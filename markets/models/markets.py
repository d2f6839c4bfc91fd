"""Regions and markets."""

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from markets.models.bases import (
    Bilingual,
    Content,
    PublishableQuerySet,
    Vocabulary,
    in_language,
)
from markets.models.choices import validate_country_code

if TYPE_CHECKING:
    from markets.models.events import ModeEvent


# --- Reference data ------------------------------------------------------------------


class Region(Vocabulary):
    """A group of markets that sources name as a whole (东南亚, 拉美, 中亚, …)."""

    class Meta(Vocabulary.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")


def market_label(code: str, name_zh: str, name_en: str) -> str:
    """How a market is named wherever it is picked: its code and its name."""
    return f"{code} · {in_language(name_zh, name_en)}"


def events_keeping(markets: Iterable["Market"]) -> "models.QuerySet[ModeEvent]":
    """The events that keep these markets from being deleted: a market that events
    concern is history, not a typo, and the many-to-many rows would otherwise vanish
    silently with it."""
    # The events' model, reached through the relation its module declares: events
    # build on markets, which name no model of theirs.
    events = Market._meta.get_field("events").related_model
    return events.objects.filter(markets__in=markets).distinct()


def refuse_deleting_markets_with_events(markets: Iterable["Market"]) -> None:
    """Refuse to delete markets that events concern, naming the events."""
    events = events_keeping(markets)
    if events.exists():
        raise models.ProtectedError(
            _("Cannot delete a market that events concern: %(events)s.")
            % {"events": "; ".join(str(event) for event in events[:10])},
            set(events),
        )


class MarketQuerySet(PublishableQuerySet):
    def with_related(self) -> "MarketQuerySet":
        return self.select_related("region")

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse_deleting_markets_with_events(self)
        return super().delete()

    def public(self) -> "MarketQuerySet":
        """Published markets with what every public page shows of them."""
        return self.published().with_related()


class Market(Content, Bilingual):
    """A country where TikTok Shop runs, or may run, one of its modes."""

    natural_key_field = "code"

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2, upper case: DE, US, JP."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="markets",
        verbose_name=_("region"),
    )

    objects = MarketQuerySet.as_manager()

    class Meta(Content.Meta):
        ordering = ["code"]
        verbose_name = _("market")
        verbose_name_plural = _("markets")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"),
                name="market_code_upper_alpha2",
                violation_error_message=_("The code is two upper-case letters."),
            )
        ]

    def __str__(self) -> str:
        return market_label(self.code, self.name_zh, self.name_en)

    def get_absolute_url(self) -> str:
        return reverse("markets:market-detail", kwargs={"code": self.code})

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        refuse_deleting_markets_with_events(type(self).objects.filter(pk=self.pk))
        return super().delete(*args, **kwargs)
