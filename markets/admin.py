"""The analysts' daily tool: every fact edited together with its evidence."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from markets.admin_base import (
    CHANGE_FIELDSET,
    DISPUTE_FIELDSET,
    FIGURE_FIELDSET,
    RECORD_FIELDSET,
    ContentAdmin,
    ContentForm,
    EvidenceAdmin,
    EvidenceInline,
    FactAdmin,
)
from markets.models import (
    Dispute,
    EventEvidence,
    EventScope,
    Market,
    MarketFigure,
    MarketFigureEvidence,
    ModeEvent,
    Region,
    Source,
    events_keeping,
)
from markets.resources import ModeEventResource, SourceResource

# --- Reference data ---------------------------------------------------------------------


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name_zh", "name_en", "market_count")
    search_fields = ("code", "name_zh", "name_en")
    readonly_fields = ("created_at", "updated_at")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(market_count=Count("markets"))

    @admin.display(description=_("markets"), ordering="market_count")
    def market_count(self, obj: Region) -> int:
        return obj.market_count


@admin.register(Market)
class MarketAdmin(ContentAdmin):
    def get_deleted_objects(self, objs, request: HttpRequest):
        """List the events that keep a market from being deleted, as PROTECT would."""
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        events = events_keeping(list(objs))
        protected = [
            *protected,
            *(f"{ModeEvent._meta.verbose_name}: {e}" for e in events),
        ]
        return deleted, model_count, perms_needed, protected

    list_display = ("code", "name_zh", "name_en", "region", "publication", "updated_at")
    list_filter = ("region", "publication")
    list_select_related = ("region",)
    search_fields = ("code", "name_zh", "name_en")
    fieldsets = (
        (None, {"fields": ("code", "name_zh", "name_en", "region", "publication")}),
        CHANGE_FIELDSET,
        RECORD_FIELDSET,
    )

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet, search_term: str
    ) -> tuple[QuerySet, bool]:
        """Best match first, so that Enter in the market picker takes it: the exact
        code ("US", not AU whose name holds "us"), then an exact name in either
        language, then names starting with the term, then the rest. One ordered
        query, which the autocomplete view pages as it is."""
        queryset, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        term = search_term.strip()
        if not term:
            return queryset, may_have_duplicates
        rank = Case(
            When(code__iexact=term, then=Value(0)),
            When(Q(name_zh=term) | Q(name_en__iexact=term), then=Value(1)),
            When(
                Q(name_zh__startswith=term) | Q(name_en__istartswith=term),
                then=Value(2),
            ),
            default=Value(3),
            output_field=IntegerField(),
        )
        return (
            queryset.annotate(search_rank=rank).order_by("search_rank", "code"),
            may_have_duplicates,
        )


# --- Disputes ---------------------------------------------------------------------------


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    """Claims that disagree, tied once: each claim names this dispute."""

    list_display = ("slug", "note_zh", "note_en", "updated_at")
    search_fields = ("slug", "note_zh", "note_en")
    readonly_fields = ("created_at", "updated_at")


# --- Sources ----------------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(ImportExportMixin, ContentAdmin):
    resource_classes = (SourceResource,)
    list_display = (
        "title",
        "publisher",
        "kind",
        "published_on",
        "published_precision",
        "reported_via",
        "publication",
    )
    list_filter = ("kind", "language", "publication", "publisher")
    list_select_related = ("reported_via",)
    search_fields = ("title", "title_en", "publisher", "url", "slug")
    autocomplete_fields = ("reported_via",)
    prepopulated_fields = {"slug": ("publisher", "title_en")}
    date_hierarchy = "published_on"
    # An address typed without a scheme is taken as https, as Django 6 will do.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "title",
                    "title_en",
                    "slug",
                    "publisher",
                    "kind",
                    "url",
                    "language",
                )
            },
        ),
        (
            _("Publication date"),
            {
                "fields": (
                    "published_on",
                    "published_precision",
                    "published_wording",
                    "published_note",
                    "published_note_zh",
                )
            },
        ),
        (None, {"fields": ("reported_via", "publication")}),
        CHANGE_FIELDSET,
        RECORD_FIELDSET,
    )


# --- Events -----------------------------------------------------------------------------


class ModeEventForm(ContentForm):
    class Meta:
        model = ModeEvent
        fields = (
            *ModeEvent.recorded_fields,
            "markets",
            "slug",
            "publication",
            "dispute",
        )

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            ModeEvent.validate_market_scope(
                cleaned.get("markets") or [], cleaned.get("scope", EventScope.MARKETS)
            )
        except ValidationError as error:
            self.add_error(None, error)
        return cleaned


class EventEvidenceInline(EvidenceInline):
    model = EventEvidence


@admin.register(ModeEvent)
class ModeEventAdmin(ImportExportMixin, FactAdmin):
    resource_classes = (ModeEventResource,)
    form = ModeEventForm
    list_display = (
        "date_display",
        "mode",
        "kind",
        "market_codes",
        "status_set",
        "is_scheduled",
        "dispute",
        "evidence_count",
        "publication",
    )
    list_filter = (
        "mode",
        "kind",
        "status_set",
        "scope",
        "is_scheduled",
        "date_precision",
        "markets__region",
        "markets",
        ("dispute", admin.EmptyFieldListFilter),
        "publication",
    )
    list_select_related = ("dispute",)
    search_fields = (
        "slug",
        "summary_zh",
        "summary_en",
        "date_wording",
        "markets__code",
    )
    autocomplete_fields = ("markets", "dispute")
    prepopulated_fields = {"slug": ("mode", "kind", "date")}
    date_hierarchy = "date"
    inlines = (EventEvidenceInline,)
    fieldsets = (
        (None, {"fields": ("mode", "kind", "status_set", "scope", "markets")}),
        (
            _("Date"),
            {
                "fields": (
                    "date",
                    "date_precision",
                    "date_wording",
                    "date_note",
                    "date_note_zh",
                    "is_scheduled",
                )
            },
        ),
        (_("Summary"), {"fields": ("summary_zh", "summary_en")}),
        (None, {"fields": ("slug", "publication")}),
        DISPUTE_FIELDSET,
        CHANGE_FIELDSET,
        RECORD_FIELDSET,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).prefetch_related("markets")

    @admin.display(description=_("date"), ordering="date")
    def date_display(self, obj: ModeEvent) -> str:
        return obj.date_display

    @admin.display(description=_("markets"))
    def market_codes(self, obj: ModeEvent) -> str:
        codes = ", ".join(market.code for market in obj.markets.all())
        return codes or obj.get_scope_display()


@admin.register(EventEvidence)
class EventEvidenceAdmin(EvidenceAdmin):
    autocomplete_fields = ("source", "fact")


# --- Market figures ---------------------------------------------------------------------


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
class MarketFigureEvidenceAdmin(EvidenceAdmin):
    autocomplete_fields = ("source", "fact")
