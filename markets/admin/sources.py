"""Sources in the admin: the outlets an article relays, and the archived copies of a
source's text. What comes in through a source (its text archived, the suggestions
read from it) is intake's, composed here from intake.admin."""

from django.contrib import admin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from intake.admin import SourceIntakeViews
from markets.admin_base import (
    CHANGE_FIELDSET,
    RECORD_FIELDSET,
    AwaitingFilter,
    BoundedInline,
    ContentAdmin,
    SpreadsheetMixin,
)
from markets.models import Source, SourceKind
from markets.resources import SourceResource


class RelayedOutletInline(BoundedInline):
    """The outlets an article relays, recorded from the article's page by the outlet's
    name alone: the article is their source of record, so they need no title."""

    model = Source
    fk_name = "reported_via"
    fields = ("publisher", "kind", "title", "url", "language", "publication")
    extra = 1
    show_change_link = True
    verbose_name = _("outlet this article relays")
    verbose_name_plural = _("Outlets this article relays")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # An outlet an article relays is most often a news report it cites.
        formset.form.base_fields["kind"].initial = SourceKind.NEWS_REPORT
        return formset

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        if Source.may_publish(request.user):
            return ()
        return ("publication",)


class SuggestionsUntakenFilter(AwaitingFilter):
    title = _("what awaits you")
    method = "archived_uncited"
    label = _("Text archived, no fact taken from it yet")


@admin.register(Source)
class SourceAdmin(SourceIntakeViews, SpreadsheetMixin, ContentAdmin):
    resource_classes = (SourceResource,)
    list_display = (
        "title_shown",
        "publisher",
        "kind",
        "published_shown",
        "reported_via",
        "archived",
        "publication",
    )
    list_filter = (
        SuggestionsUntakenFilter,
        "kind",
        "language",
        "publication",
        "publisher",
    )
    list_select_related = ("reported_via",)
    search_fields = ("title", "title_en", "publisher", "publisher_en", "url", "slug")
    autocomplete_fields = ("reported_via",)
    inlines = (RelayedOutletInline,)
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
                    "publisher_en",
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

    @admin.display(description=_("title"), ordering="title")
    def title_shown(self, obj: Source) -> str:
        return obj.display_title

    @admin.display(description=_("published"), ordering="published_on")
    def published_shown(self, obj: Source) -> str:
        """The publication date as precisely as the source gives it: 2024, not the
        1 January it is stored as."""
        return obj.published_display

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        # Outlets added or changed here keep the article's reason in their history.
        reason = form.cleaned_data.get("change_reason") or None
        for outlet_form in formset.forms:
            outlet_form.instance._change_reason = reason
        super().save_formset(request, form, formset, change)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).with_archive()

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> tuple:
        return (*super().get_readonly_fields(request, obj), "archived_copies")

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
            '<td>{}</td><td class="file-name">{}</td><td>{}</td></tr>',
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
