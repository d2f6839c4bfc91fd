"""Mode events and their evidence in the admin. The preview of what publishing them
would change shows answers: status.admin's, composed here."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from markets.admin_base import (
    CHANGE_FIELDSET,
    DISPUTE_FIELDSET,
    RECORD_FIELDSET,
    ContentForm,
    EvidenceAdmin,
    EvidenceInline,
    FactAdmin,
    SpreadsheetMixin,
)
from markets.models import EventEvidence, EventScope, Market, ModeEvent
from markets.resources import EventEvidenceResource, ModeEventResource
from status.admin import EventPublicationPreview


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
class ModeEventAdmin(EventPublicationPreview, SpreadsheetMixin, FactAdmin):
    resource_classes = (ModeEventResource,)
    form = ModeEventForm
    list_display = (
        "headline",
        "status_set",
        "market_codes",
        "is_scheduled",
        "disputed",
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
        # The headline names the markets, or their regions: both read in two queries.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("markets", queryset=Market.objects.select_related("region"))
            )
        )

    @admin.display(description=_("event"), ordering="date")
    def headline(self, obj: ModeEvent) -> str:
        """What happened, to which mode, where and when: the row reads as a title."""
        return obj.headline

    @admin.display(description=_("disputed"), boolean=True, ordering="dispute")
    def disputed(self, obj: ModeEvent) -> bool:
        return obj.is_disputed

    @admin.display(description=_("markets"))
    def market_codes(self, obj: ModeEvent) -> str:
        codes = ", ".join(market.code for market in obj.markets.all())
        return codes or obj.get_scope_display()


@admin.register(EventEvidence)
class EventEvidenceAdmin(SpreadsheetMixin, EvidenceAdmin):
    resource_classes = (EventEvidenceResource,)
    autocomplete_fields = ("source", "fact")
