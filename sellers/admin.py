"""Seller cases with their figures and evidence, for the analysts."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from markets.admin_base import (
    CHANGE_FIELDSET,
    DISPUTE_FIELDSET,
    FIGURE_FIELDSET,
    RECORD_FIELDSET,
    EvidenceAdmin,
    EvidenceInline,
    FactAdmin,
    RowsBoundedMixin,
    SpreadsheetMixin,
    WordedEmptyChoiceMixin,
)
from sellers.models import (
    SellerCase,
    SellerCaseEvidence,
    SellerFigure,
    SellerFigureEvidence,
    Strategy,
)
from sellers.resources import (
    SellerCaseEvidenceResource,
    SellerCaseResource,
    SellerFigureEvidenceResource,
    SellerFigureResource,
)


@admin.register(Strategy)
class StrategyAdmin(WordedEmptyChoiceMixin, SimpleHistoryAdmin):
    list_display = ("code", "name_zh", "name_en")
    search_fields = ("code", "name_zh", "name_en")
    readonly_fields = ("created_at", "updated_at")


class SellerCaseEvidenceInline(EvidenceInline):
    model = SellerCaseEvidence


class SellerFigureInline(RowsBoundedMixin, admin.StackedInline):
    """Figures in the case's form; their quotes are on each figure's own page.

    Stacked, not tabular: a figure's fourteen fields on one line made a table of
    1,909 px (2,293 px in English) in the form's 643 at 1366 px."""

    model = SellerFigure
    fields = (*SellerFigure.recorded_fields, "publication")
    extra = 1
    show_change_link = True


@admin.register(SellerCase)
class SellerCaseAdmin(SpreadsheetMixin, FactAdmin):
    resource_classes = (SellerCaseResource,)
    list_display = (
        "__str__",
        "city_en",
        "category_en",
        "strategy_names",
        "reacts_to",
        "dispute",
        "evidence_count",
        "publication",
    )
    list_filter = (
        "strategies",
        "city_en",
        "category_en",
        "target_markets",
        "target_markets__region",
        ("dispute", admin.EmptyFieldListFilter),
        "publication",
    )
    list_select_related = ("reacts_to",)
    search_fields = (
        "slug",
        "seller_name",
        "seller_name_en",
        "person_name",
        "person_name_en",
        "city_zh",
        "city_en",
        "narrative_zh",
        "narrative_en",
    )
    autocomplete_fields = (
        "target_markets",
        "target_regions",
        "reacts_to",
        "strategies",
        "dispute",
    )
    inlines = (SellerFigureInline, SellerCaseEvidenceInline)
    fieldsets = (
        (
            _("Seller"),
            {
                "fields": (
                    ("seller_name", "seller_name_en"),
                    ("person_name", "person_name_en"),
                    ("person_role_zh", "person_role_en"),
                    ("city_zh", "city_en"),
                    ("category_zh", "category_en"),
                )
            },
        ),
        (
            _("What happened"),
            {
                "fields": (
                    "reacts_to",
                    "strategies",
                    "target_markets",
                    "target_regions",
                    "narrative_zh",
                    "narrative_en",
                )
            },
        ),
        (None, {"fields": ("slug", "publication")}),
        DISPUTE_FIELDSET,
        CHANGE_FIELDSET,
        RECORD_FIELDSET,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("strategies")

    @admin.display(description=_("strategies"))
    def strategy_names(self, obj: SellerCase) -> str:
        return ", ".join(str(strategy) for strategy in obj.strategies.all())


class SellerFigureEvidenceInline(EvidenceInline):
    model = SellerFigureEvidence


@admin.register(SellerFigure)
class SellerFigureAdmin(SpreadsheetMixin, FactAdmin):
    resource_classes = (SellerFigureResource,)
    list_display = (
        "metric_en",
        "seller_case",
        "before_display",
        "after_display",
        "period_en",
        "evidence_count",
        "publication",
    )
    list_filter = ("unit", "is_projection", "seller_case__strategies", "publication")
    list_select_related = ("seller_case",)
    search_fields = (
        "metric_zh",
        "metric_en",
        "seller_case__seller_name",
        "seller_case__person_name",
    )
    autocomplete_fields = ("seller_case", "dispute")
    inlines = (SellerFigureEvidenceInline,)
    fieldsets = (
        (None, {"fields": ("seller_case",)}),
        FIGURE_FIELDSET,
        (None, {"fields": (("value_before", "value_after"), "publication")}),
        (
            _("Against the event"),
            {
                "fields": (("period_date", "period_precision"), "event_side"),
                "description": _(
                    "Whether the figure shows what the event did, or what happened "
                    "before or after it: its period's date decides, else the source's "
                    "words."
                ),
            },
        ),
        DISPUTE_FIELDSET,
        CHANGE_FIELDSET,
        RECORD_FIELDSET,
    )

    @admin.display(description=_("before"), ordering="value_before")
    def before_display(self, obj: SellerFigure) -> str:
        return obj.before_display

    @admin.display(description=_("after"), ordering="value_after")
    def after_display(self, obj: SellerFigure) -> str:
        return obj.after_display


@admin.register(SellerCaseEvidence)
class SellerCaseEvidenceAdmin(SpreadsheetMixin, EvidenceAdmin):
    resource_classes = (SellerCaseEvidenceResource,)
    autocomplete_fields = ("source", "fact")


@admin.register(SellerFigureEvidence)
class SellerFigureEvidenceAdmin(SpreadsheetMixin, EvidenceAdmin):
    resource_classes = (SellerFigureEvidenceResource,)
    autocomplete_fields = ("source", "fact")
