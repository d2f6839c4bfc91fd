"""Admin building blocks the markets and sellers admins share: forms, mixins, fieldsets."""

from collections.abc import Iterable

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.fields import BLANK_CHOICE_DASH
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportMixin
from simple_history.admin import SimpleHistoryAdmin

from config.text import PlainTextField
from markets.models import Publication, StaleEditError
from markets.resources import SPREADSHEET_FORMATS
from markets.services import content_set_publication, record_delete

BLANK_CHOICE_LABEL = BLANK_CHOICE_DASH[0][1]


class ContentForm(forms.ModelForm):
    """Carries the version the analyst opened, and asks why they change the record."""

    opened_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    change_reason = PlainTextField(
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


#: How an empty choice reads in the admin's forms, in place of Django's "---------".
EMPTY_CHOICE = _("— choose —")


class WordedEmptyChoiceMixin:
    """Every choice list and related-record list of an admin form (or inline), and the
    list page's actions, offer the empty choice in words: EMPTY_CHOICE, not dashes."""

    def formfield_for_choice_field(self, db_field, request: HttpRequest, **kwargs):
        formfield = super().formfield_for_choice_field(db_field, request, **kwargs)
        formfield.choices = [
            ("", EMPTY_CHOICE)
            if value == "" and label == BLANK_CHOICE_LABEL
            else (value, label)
            for value, label in formfield.choices
        ]
        return formfield

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name not in self.radio_fields:
            kwargs.setdefault("empty_label", EMPTY_CHOICE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_action_choices(self, request: HttpRequest, default_choices=None) -> list:
        """The list page's actions, offered after the same worded empty choice."""
        return super().get_action_choices(request, [("", EMPTY_CHOICE)])


class TombstoneOnDeleteMixin:
    """A record deleted in the admin stays deleted when the article data are reloaded."""

    def delete_model(self, request: HttpRequest, obj) -> None:
        record_delete(record=obj, user=request.user)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                record_delete(record=obj, user=request.user)


class ContentAdmin(WordedEmptyChoiceMixin, TombstoneOnDeleteMixin, SimpleHistoryAdmin):
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
        self.tell_public_address(request, obj)

    def tell_public_address(self, request: HttpRequest, obj) -> None:
        """Name the address the record is read at, made on save when left empty."""
        if not hasattr(obj, "get_absolute_url"):
            return
        address = request.build_absolute_uri(obj.get_absolute_url())
        message = (
            _("Its public address: %(link)s")
            if obj.publication == Publication.PUBLISHED
            else _("Its public address, once published: %(link)s")
        )
        link = format_html('<a href="{}">{}</a>', address, address)
        self.message_user(
            request,
            mark_safe(conditional_escape(message) % {"link": link}),  # noqa: S308 (escaped)
            messages.INFO,
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
        self.set_publication(
            request, queryset, state, form.cleaned_data["change_reason"]
        )
        return None

    def set_publication(
        self, request: HttpRequest, records: Iterable, state: str, reason: str
    ) -> bool:
        """Change each record as a save does (markets.services), and say how it went;
        False where another writer came first (nothing is changed then)."""
        try:
            changed = content_set_publication(
                records=records, state=state, user=request.user, reason=reason
            )
        except StaleEditError as error:
            self.message_user(request, error.message, messages.ERROR)
            return False
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
        return True


class PublicationReasonForm(forms.Form):
    """The reason a bulk change of publication goes into each record's history."""

    change_reason = PlainTextField(
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


class AwaitingFilter(admin.SimpleListFilter):
    """A filter with one choice: the records awaiting an analyst, as a queryset method
    of the model reads them. The admin's front page (config.desk) links to each."""

    parameter_name = "awaiting"
    choice = "yes"
    #: The queryset method reading the records awaited, and how the choice reads.
    method: str
    label: str

    def lookups(self, request: HttpRequest, model_admin) -> tuple:
        return ((self.choice, self.label),)

    def queryset(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        if self.value() == self.choice:
            return getattr(queryset, self.method)()
        return queryset


class NotVerifiedFilter(AwaitingFilter):
    title = _("what awaits you")
    method = "not_verified"
    label = _("Not yet verified")


class SpreadsheetMixin(ImportExportMixin):
    """Import and export in the admin, with CSV that a spreadsheet opens in UTF-8."""

    formats = SPREADSHEET_FORMATS


#: The most rows an inline takes in one submission. Django builds as many forms as a
#: posted TOTAL_FORMS asks, up to max_num + 1000: a forged count made 2,000 figure and
#: 2,000 quote forms, a 10 MB page after 50 s. A fact has a handful (6 in the articles).
INLINE_ROWS_MAX = 50


class RowsBoundedMixin(WordedEmptyChoiceMixin):
    """An inline that builds at most INLINE_ROWS_MAX forms, whatever count is posted:
    more is refused with the formset's error ("Please submit at most 50 forms")."""

    max_num = INLINE_ROWS_MAX

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("absolute_max", self.max_num)
        return super().get_formset(request, obj, **kwargs)


class BoundedInline(RowsBoundedMixin, admin.TabularInline):
    """A bounded inline of short rows, one line each."""


class EvidenceInline(RowsBoundedMixin, admin.StackedInline):
    """The verbatim quotes behind a fact, edited beside it; each is checked against its
    source's archived text on save (Evidence.clean).

    Stacked, not tabular: a quote, its source's picker and its claim side by side made
    the event form 1,452 px wide at 1366 px, beside the citing panel, and pushed each
    row's delete box off screen; stacked, each quote takes the form's width."""

    fields = ("source", "quote", "claim", "verification")
    readonly_fields = ("verification",)
    autocomplete_fields = ("source",)
    extra = 1

    class Media:
        # The source's archived text beside the form: a selection there is the quote.
        js = ("admin/js/jquery.init.js", "js/admin-cite.js")
        css = {"all": ("css/admin-intake.css",)}

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault(
            "widgets", {"quote": forms.Textarea(attrs={"rows": 3, "cols": 60})}
        )
        return super().get_formset(request, obj, **kwargs)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("source")


class EvidenceAdmin(WordedEmptyChoiceMixin, TombstoneOnDeleteMixin, SimpleHistoryAdmin):
    """Evidence across all facts: search a quote, see what it supports."""

    list_display = ("quote_excerpt", "fact", "source", "claim", "verification")
    # "Needs review": quotes no longer found since their source was archived again;
    # saving one with its corrected words verifies it again.
    list_filter = (NotVerifiedFilter, "verification", "source")
    list_select_related = ("fact", "source")
    search_fields = ("quote", "claim", "source__title", "source__publisher")
    autocomplete_fields = ("source",)
    readonly_fields = (
        "uuid",
        "verification",
        "quote_exact",
        "quote_prefix",
        "quote_suffix",
        "quote_start",
        "quote_end",
        "created_at",
        "updated_at",
    )

    @admin.display(description=_("quote"), ordering="quote")
    def quote_excerpt(self, obj) -> str:
        return Truncator(obj.quote).chars(80)
