"""The analysts' daily tool: every fact edited together with its evidence."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from markets.models import (
    Dispute,
    EventEvidence,
    EventScope,
    Market,
    MarketFigure,
    MarketFigureEvidence,
    ModeEvent,
    Publication,
    Region,
    Source,
    StaleEditError,
)
from markets.resources import ModeEventResource, SourceResource
from markets.services import content_set_publication, record_delete

# --- Shared pieces ----------------------------------------------------------------------


class ContentForm(forms.ModelForm):
    """Carries the version the analyst opened, and asks why they change the record."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=100,
        required=False,
        help_text=_(
            "Kept in the record's history, e.g. “date corrected from the source”."
        ),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The stored version, not the instance's: a revert starts from an old copy.
            self.fields["opened_version"].initial = self.instance.stored_version()
            self.fields["change_reason"].required = True

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            self.instance.pk
            and cleaned.get("opened_version") != self.instance.stored_version()
        ):
            raise ValidationError(StaleEditError(self.instance).message, code="stale")
        return cleaned


class TombstoneOnDeleteMixin:
    """A record deleted in the admin stays deleted when the article data are reloaded."""

    def delete_model(self, request: HttpRequest, obj) -> None:
        record_delete(record=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_delete(record=obj, user=request.user)


class ContentAdmin(TombstoneOnDeleteMixin, SimpleHistoryAdmin):
    """History with diffs and revert, a version check on save, publishing in bulk."""

    form = ContentForm
    actions = ("publish", "unpublish")
    readonly_fields = ("created_at", "updated_at")

    def save_model(self, request: HttpRequest, obj, form, change: bool) -> None:
        obj._change_reason = form.cleaned_data.get("change_reason") or None
        obj._history_user = request.user
        obj.save(
            expected_version=form.cleaned_data.get("opened_version") if change else None
        )

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        """Publishing is the editors' permission: analysts see it, and cannot change it."""
        fields = tuple(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request):
            fields += ("publication",)
        return fields

    def has_publish_permission(self, request: HttpRequest) -> bool:
        return self.model.may_publish(request.user)

    @admin.action(
        description=_("Publish the selected records"), permissions=("publish",)
    )
    def publish(self, request: HttpRequest, queryset: QuerySet):
        return self._set_publication(request, queryset, Publication.PUBLISHED)

    @admin.action(
        description=_("Return the selected records to draft"), permissions=("publish",)
    )
    def unpublish(self, request: HttpRequest, queryset: QuerySet):
        return self._set_publication(request, queryset, Publication.DRAFT)

    def _set_publication(self, request: HttpRequest, queryset: QuerySet, state: str):
        """Ask why, then change each record as a save does (markets.services)."""
        form = PublicationReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return TemplateResponse(
                request,
                "admin/set_publication.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Why do you change these records?"),
                    "opts": self.opts,
                    "form": form,
                    "records": queryset,
                    "state": Publication(state),
                    "action": request.POST.get("action", ""),
                    "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                },
            )
        try:
            changed = content_set_publication(
                records=queryset,
                state=state,
                user=request.user,
                reason=form.cleaned_data["change_reason"],
            )
        except StaleEditError as error:
            self.message_user(request, error.message, messages.ERROR)
            return None
        self.message_user(
            request,
            ngettext(
                "%(count)d record is now %(state)s.",
                "%(count)d records are now %(state)s.",
                len(changed),
            )
            % {"count": len(changed), "state": Publication(state).label.lower()},
            messages.SUCCESS,
        )
        return None


class PublicationReasonForm(forms.Form):
    """The reason a bulk change of publication goes into each record's history."""

    change_reason = forms.CharField(
        label=_("Reason for this change"),
        max_length=100,
        help_text=_(
            "Kept in each record's history, e.g. “checked against the source”."
        ),
    )


class FactAdmin(ContentAdmin):
    """A fact's list shows how much evidence it rests on, counted in the same query."""

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(evidence_count=Count("evidence"))

    @admin.display(description=_("evidence"), ordering="evidence_count")
    def evidence_count(self, obj) -> int:
        return obj.evidence_count


DISPUTE_FIELDSET = (
    _("Dispute"),
    {
        "classes": ("collapse",),
        "fields": ("dispute",),
        "description": _(
            "Where sources disagree, enter each claim as its own record with its own "
            "source, and tie them to one dispute, which says what they disagree on."
        ),
    },
)
RECORD_FIELDSET = (
    _("Record"),
    {"classes": ("collapse",), "fields": ("created_at", "updated_at")},
)
CHANGE_FIELDSET = (_("This change"), {"fields": ("change_reason", "opened_version")})


class EvidenceInline(admin.TabularInline):
    """The verbatim quotes behind a fact, edited beside it."""

    fields = ("source", "quote", "claim")
    autocomplete_fields = ("source",)
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault(
            "widgets", {"quote": forms.Textarea(attrs={"rows": 3, "cols": 60})}
        )
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("source")


class EvidenceAdmin(TombstoneOnDeleteMixin, SimpleHistoryAdmin):
    """Evidence across all facts: search a quote, see what it supports."""

    list_display = ("quote_excerpt", "fact", "source", "claim")
    list_filter = ("source",)
    list_select_related = ("fact", "source")
    search_fields = ("quote", "claim", "source__title", "source__publisher")
    autocomplete_fields = ("source",)
    readonly_fields = ("uuid", "created_at", "updated_at")

    @admin.display(description=_("quote"), ordering="quote")
    def quote_excerpt(self, obj) -> str:
        return Truncator(obj.quote).chars(80)


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
        events = ModeEvent.objects.filter(markets__in=list(objs)).distinct()
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
            "mode",
            "kind",
            "status_set",
            "markets",
            "scope",
            "date",
            "date_precision",
            "date_wording",
            "date_note",
            "is_scheduled",
            "summary_zh",
            "summary_en",
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


FIGURE_FIELDSET = (
    _("Figure"),
    {
        "fields": (
            ("metric_zh", "metric_en"),
            ("qualifier", "unit", "is_projection"),
            ("period_zh", "period_en"),
        )
    },
)


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
