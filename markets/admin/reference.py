"""Regions, markets and disputes in the admin: the reference data facts point to."""

from django.contrib import admin
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from markets.admin_base import (
    CHANGE_FIELDSET,
    RECORD_FIELDSET,
    AwaitingFilter,
    ContentAdmin,
    WordedEmptyChoiceMixin,
)
from markets.models import Dispute, Market, ModeEvent, Region, events_keeping


@admin.register(Region)
class RegionAdmin(WordedEmptyChoiceMixin, SimpleHistoryAdmin):
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


class OpenDisputeFilter(AwaitingFilter):
    title = _("what awaits you")
    method = "open"
    label = _("Open: claims still disagreeing")


@admin.register(Dispute)
class DisputeAdmin(WordedEmptyChoiceMixin, SimpleHistoryAdmin):
    """Claims that disagree, tied once: each claim names this dispute."""

    list_display = ("slug", "note_zh", "note_en", "updated_at")
    list_filter = (OpenDisputeFilter,)
    search_fields = ("slug", "note_zh", "note_en")
    readonly_fields = ("created_at", "updated_at")
