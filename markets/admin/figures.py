"""Figures about markets, regions and the platform, and their evidence, in the admin."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from markets.admin_base import (
    CHANGE_FIELDSET,
    DISPUTE_FIELDSET,
    FIGURE_FIELDSET,
    RECORD_FIELDSET,
    EvidenceAdmin,
    EvidenceInline,
    FactAdmin,
    SpreadsheetMixin,
)
from markets.models import MarketFigure, MarketFigureEvidence
from markets.resources import MarketFigureEvidenceResource


class MarketFigureEvidenceInline(EvidenceInline):
    model = MarketFigureEvidence


@admin.register(MarketFigure)
class MarketFigureAdmin(FactAdmin):
    list_display = (
        "__str__",
        "scope",
        "period_en",
        "is_projection",
        "dispute",
        "evidence_count",
        "publication",
    )
    list_filter = (
        "unit",
        "is_projection",
        "region",
        "markets",
        ("dispute", admin.EmptyFieldListFilter),
        "publication",
    )
    list_select_related = ("region", "dispute")
    search_fields = (
        "metric_zh",
        "metric_en",
        "period_zh",
        "period_en",
        "markets__code",
    )
    autocomplete_fields = ("markets", "dispute")
    inlines = (MarketFigureEvidenceInline,)
    fieldsets = (
        FIGURE_FIELDSET,
        (None, {"fields": ("value", "markets", "region", "publication")}),
        DISPUTE_FIELDSET,
        CHANGE_FIELDSET,
        RECORD_FIELDSET,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("markets")

    @admin.display(description=_("applies to"))
    def scope(self, obj: MarketFigure) -> str:
        codes = ", ".join(market.code for market in obj.markets.all())
        return codes or (
            str(obj.region) if obj.region else str(_("TikTok Shop overall"))
        )


@admin.register(MarketFigureEvidence)
class MarketFigureEvidenceAdmin(SpreadsheetMixin, EvidenceAdmin):
    resource_classes = (MarketFigureEvidenceResource,)
    autocomplete_fields = ("source", "fact")
