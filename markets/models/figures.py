"""Figures about markets, regions and the platform, their evidence, and how a value
reads."""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from markets.models.bases import (
    Bilingual,
    Content,
    FactQuerySet,
    FigureValue,
    unit_bound_constraints,
)
from markets.models.choices import FigureUnit, Qualifier
from markets.models.evidence import Evidence
from markets.models.markets import Market, Region
from markets.search import SearchableQuerySet

# --- Figures about markets, regions and the platform ---------------------------------


class FigureQuerySet(SearchableQuerySet, FactQuerySet):
    search_substring_fields = ("metric_zh",)
    search_english_fields = ("metric_en", "period_en")


class MarketFigureQuerySet(FigureQuerySet):
    def with_related(self) -> "MarketFigureQuerySet":
        return self.select_related("region", "dispute").prefetch_related(
            "markets", "evidence__source"
        )

    def public(self) -> "MarketFigureQuerySet":
        """Published figures with their region, published markets and public evidence."""
        return (
            self.published()
            .select_related("region")
            .prefetch_related(
                models.Prefetch("markets", queryset=Market.objects.published())
            )
            .with_public_evidence()
        )

    def concerning(self, market: "Market") -> "MarketFigureQuerySet":
        """Figures about this market, or about its region as a whole."""
        return self.filter(
            Q(
                pk__in=MarketFigure.markets.through.objects.filter(
                    market=market
                ).values("marketfigure")
            )
            | Q(region=market.region_id)
        )


class MarketFigure(FigureValue, Bilingual):
    """A number about markets, a region, or TikTok Shop as a whole (neither given)."""

    value_fields = ("value",)
    recorded_fields = FigureValue.figure_fields(value_fields)

    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    markets = models.ManyToManyField(
        Market, blank=True, related_name="figures", verbose_name=_("markets")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name=_("region"),
        help_text=_("For a figure the source gives for a region as a whole."),
    )

    objects = MarketFigureQuerySet.as_manager()
    _history_m2m_fields = ["markets"]

    class Meta(Content.Meta):
        ordering = ["metric_en"]
        verbose_name = _("market figure")
        verbose_name_plural = _("market figures")
        constraints = unit_bound_constraints("marketfigure", ["value"])

    def __str__(self) -> str:
        return f"{self.localized('metric')}: {self.value_display}"

    @property
    def value_display(self) -> str:
        return format_figure(self.value, self.unit, self.qualifier)


class MarketFigureEvidence(Evidence):
    fact = models.ForeignKey(
        MarketFigure,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("market figure"),
    )

    class Meta(Evidence.Meta):
        verbose_name = _("market figure evidence")
        verbose_name_plural = _("market figure evidence")


UNIT_SYMBOLS = {
    FigureUnit.PERCENT: "%",
    FigureUnit.PERCENT_CHANGE: "%",
    FigureUnit.MULTIPLE: "×",
}
QUALIFIER_SYMBOLS = {
    Qualifier.MORE_THAN: ">",
    Qualifier.LESS_THAN: "<",
    Qualifier.ABOUT: "≈",
    Qualifier.AT_MOST: "≤",
    Qualifier.AT_LEAST: "≥",
}


def format_figure(value: Decimal | None, unit: str, qualifier: str) -> str:
    """A value as a reader expects it: "> 50,000,000", "+120%", "2.8×", "¥5,000"."""
    if value is None:
        return "–"
    number = f"{value.normalize():,f}"
    if unit == FigureUnit.PERCENT_CHANGE and value > 0:
        number = f"+{number}"
    if unit in UNIT_SYMBOLS:
        text = f"{number}{UNIT_SYMBOLS[unit]}"
    elif unit == FigureUnit.CNY:
        text = f"¥{number}"
    elif unit == FigureUnit.USD:
        text = f"US${number}"
    elif unit == FigureUnit.RANK:
        text = f"#{number}"
    elif unit in (
        FigureUnit.MINUTES,
        FigureUnit.HOURS,
        FigureUnit.DAYS,
        FigureUnit.YEARS,
    ):
        text = f"{number} {FigureUnit(unit).label.lower()}"
    else:
        text = number
    prefix = QUALIFIER_SYMBOLS.get(qualifier)
    return f"{prefix} {text}" if prefix else text
