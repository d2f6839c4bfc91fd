"""The analysts' daily tool: every fact edited together with its evidence."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from markets import bidi
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
from markets.archive import extract_upload, source_archive
from markets.models import (
    ArchiveKind,
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
from markets.resources import (
    EventEvidenceResource,
    MarketFigureEvidenceResource,
    ModeEventResource,
    SourceResource,
)

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


# --- Disputes ---------------------------------------------------------------------------


@admin.register(Dispute)
class DisputeAdmin(SimpleHistoryAdmin):
    """Claims that disagree, tied once: each claim names this dispute."""

    list_display = ("slug", "note_zh", "note_en", "updated_at")
    search_fields = ("slug", "note_zh", "note_en")
    readonly_fields = ("created_at", "updated_at")


# --- Sources ----------------------------------------------------------------------------


class SourceForm(ContentForm):
    """A source, and its text to archive: pasted, or uploaded as HTML, PDF or text.

    The text is not a field of the source: saving hands it to markets.archive, which
    keeps each distinct text as a copy of its own and checks the quotes again.
    """

    archive_text = forms.CharField(
        label=_("Paste the text"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "cols": 80}),
        help_text=_(
            "The source's full text, as published. Archiving a changed text keeps the "
            "earlier copies and checks every quote resting on it again."
        ),
    )
    archive_file = forms.FileField(
        label=_("Or upload it"),
        required=False,
        help_text=_("An HTML page, a PDF with text, or a plain-text file."),
    )
    archive_retrieved_at = forms.DateTimeField(
        label=_("Retrieved"),
        required=False,
        help_text=_(
            "When the text was read from the source (UTC); leave empty if unknown."
        ),
    )

    def clean(self) -> dict:
        cleaned = super().clean()
        text, upload = cleaned.get("archive_text") or "", cleaned.get("archive_file")
        if text.strip() and upload:
            self.add_error(
                "archive_file", _("Paste the text or upload a file, not both.")
            )
            return cleaned
        cleaned["archive"] = None
        if upload:
            try:
                extracted, kind = extract_upload(upload)
            except ValidationError as error:
                self.add_error("archive_file", error)
                return cleaned
            if not extracted.strip():
                self.add_error("archive_file", _("The file holds no text."))
                return cleaned
            cleaned["archive"] = (extracted, kind, upload.name or "")
        elif text.strip():
            cleaned["archive"] = (text, ArchiveKind.PASTED, "")
        if cleaned["archive"]:
            # Checked here, so that a refused text leaves the source unsaved too.
            try:
                bidi.validate_long_text(cleaned["archive"][0])
            except ValidationError as error:
                field = "archive_file" if upload else "archive_text"
                self.add_error(field, error)
        return cleaned


@admin.register(Source)
class SourceAdmin(ImportExportMixin, ContentAdmin):
    resource_classes = (SourceResource,)
    form = SourceForm
    list_display = (
        "title",
        "publisher",
        "kind",
        "published_on",
        "published_precision",
        "reported_via",
        "archived",
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
        (
            _("Archived text"),
            {
                "fields": (
                    "archived_copies",
                    "archive_text",
                    "archive_file",
                    "archive_retrieved_at",
                ),
                "description": _(
                    "Quotes must stand verbatim in the current (newest) copy; a relayed "
                    "outlet's quotes, in the text of the article relaying it."
                ),
            },
        ),
        CHANGE_FIELDSET,
        RECORD_FIELDSET,
    )

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_archive()

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        return (*super().get_readonly_fields(request, obj), "archived_copies")

    def save_model(self, request: HttpRequest, obj: Source, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        archive = form.cleaned_data.get("archive")
        if not archive:
            return
        text, kind, file_name = archive
        try:
            archived = source_archive(
                source=obj,
                text=text,
                kind=kind,
                retrieved_at=form.cleaned_data.get("archive_retrieved_at"),
                file_name=file_name,
                user=request.user,
            )
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return
        if not archived.created:
            self.message_user(
                request,
                _("The text is the same as the current copy: nothing was added."),
                messages.INFO,
            )
            return
        level = messages.WARNING if archived.needs_review else messages.SUCCESS
        self.message_user(
            request,
            ngettext(
                "Text archived; %(verified)d quote found in it, %(review)d need "
                "review.",
                "Text archived; %(verified)d quotes found in it, %(review)d need "
                "review.",
                archived.verified,
            )
            % {"verified": archived.verified, "review": archived.needs_review},
            level,
        )

    @admin.display(description=_("archived"), ordering="archived_sha256")
    def archived(self, obj: Source) -> bool:
        return bool(obj.archived_sha256)

    archived.boolean = True

    @admin.display(description=_("archived copies"))
    def archived_copies(self, obj: Source) -> str:
        copies = (
            list(obj.archived_copies.select_related("created_by")) if obj.pk else []
        )
        if not copies:
            return _("No text archived yet: its quotes are unverified.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td>"
            "<td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    _("current") if index == 0 else "",
                    copy.created_at.strftime("%Y-%m-%d %H:%M UTC"),
                    copy.retrieved_at.strftime("%Y-%m-%d %H:%M UTC")
                    if copy.retrieved_at
                    else _("not recorded"),
                    copy.sha256,
                    copy.get_kind_display(),
                    copy.file_name,
                    copy.created_by or "",
                )
                for index, copy in enumerate(copies)
            ),
        )
        return format_html(
            "<table><thead><tr><th></th><th>{}</th><th>{}</th><th>{}</th><th>{}</th>"
            "<th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
            _("archived"),
            _("retrieved"),
            _("SHA-256"),
            _("how it came"),
            _("original file name"),
            _("archived by"),
            rows,
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
class EventEvidenceAdmin(ImportExportMixin, EvidenceAdmin):
    resource_classes = (EventEvidenceResource,)
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
class MarketFigureEvidenceAdmin(ImportExportMixin, EvidenceAdmin):
    resource_classes = (MarketFigureEvidenceResource,)
    autocomplete_fields = ("source", "fact")
