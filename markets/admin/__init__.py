"""The analysts' daily tool: every fact edited together with its evidence."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import (
    Case,
    Count,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from intake.candidates import (
    ACCEPTED_REASON,
    EventCandidateForm,
    FigureCandidateForm,
    candidate_extra,
    candidate_initial,
    part_start,
    suggestion_part,
)
from markets import bidi
from markets.admin_base import (
    CHANGE_FIELDSET,
    DISPUTE_FIELDSET,
    FIGURE_FIELDSET,
    RECORD_FIELDSET,
    BoundedInline,
    ContentAdmin,
    ContentForm,
    EvidenceAdmin,
    EvidenceInline,
    FactAdmin,
    PublicationReasonForm,
    SpreadsheetMixin,
)
from markets.archive import (
    extract_upload,
    quotes_in_text,
    source_archive,
    validate_archived_length,
)
from markets.models import (
    ArchiveKind,
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
    SourceKind,
    events_keeping,
)
from markets.resources import (
    EventEvidenceResource,
    MarketFigureEvidenceResource,
    ModeEventResource,
    SourceResource,
)
from markets.services import (
    DraftErrors,
    facts_create_from_source,
)
from status.preview import changing_events, publication_preview

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
        validators=[validate_archived_length],
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
class SourceAdmin(SpreadsheetMixin, ContentAdmin):
    resource_classes = (SourceResource,)
    form = SourceForm
    list_display = (
        "title_shown",
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

    #: Writing the suggestions accepted needs these (the Analyst group has them).
    INTAKE_PERMISSIONS = (
        "markets.add_modeevent",
        "markets.add_eventevidence",
        "markets.add_marketfigure",
        "markets.add_marketfigureevidence",
    )

    @admin.display(description=_("title"), ordering="title")
    def title_shown(self, obj: Source) -> str:
        return obj.display_title

    def get_urls(self) -> list[URLPattern]:
        opts = self.opts
        name = f"{opts.app_label}_{opts.model_name}"
        views = [
            path(
                "<int:object_id>/suggestions/",
                self.admin_site.admin_view(self.suggestions_view),
                name=f"{name}_suggestions",
            ),
            path(
                "<int:object_id>/text.json",
                self.admin_site.admin_view(self.text_view),
                name=f"{name}_text",
            ),
        ]
        # Before the model's own URLs, whose change page takes any path as a key.
        return [*views, *super().get_urls()]

    def text_view(self, request: HttpRequest, object_id: int) -> JsonResponse:
        """The archived text a quote from this source must stand in (for a relayed
        outlet, its article's), for the citing panel beside a fact's form: drafts
        included, staff only."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        source = get_object_or_404(
            Source.objects.select_related("reported_via"), pk=object_id
        )
        copy = source.text_source.current_text()
        if copy is None:
            # A source without a text is no error: its quotes are unverified, and the
            # panel says so (a 404 would be logged by the browser on every such form).
            return JsonResponse(
                {
                    "text": None,
                    "detail": _(
                        "No text is archived for this source: its quotes cannot be "
                        "checked."
                    ),
                }
            )
        return JsonResponse(
            {
                "text": copy.text,
                "sha256": copy.sha256,
                "retrieved_at": copy.retrieved_at.isoformat()
                if copy.retrieved_at
                else None,
                # The panel's words, in the analyst's language: the script has none.
                "heading": _("Archived text: %(source)s")
                % {"source": source.text_source},
                "labels": {
                    "hint": _("Select a passage to make it the quote of this row."),
                    "found": _("The row's quote stands where it is marked."),
                    "not_found": _(
                        "The row's quote does not stand in this text: select the "
                        "passage to cite."
                    ),
                },
            }
        )

    def suggestions_view(self, request: HttpRequest, object_id: int) -> HttpResponse:
        """The candidate facts of the source's text, by sentence; those ticked are
        added as drafts with their quotes in one submission (markets.services)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        may_add = request.user.has_perms(self.INTAKE_PERMISSIONS)
        if request.method == "POST" and not may_add:
            raise PermissionDenied
        source = get_object_or_404(self.get_queryset(request), pk=object_id)
        change_url = reverse("admin:markets_source_change", args=[source.pk])
        copy = source.current_text()
        if copy is None:
            self.message_user(
                request,
                _("Archive the source's text first: suggestions are read from it."),
                messages.WARNING,
            )
            return redirect(change_url)
        if request.method == "POST" and request.POST.get("sha256") != copy.sha256:
            self.message_user(
                request,
                _("The text was archived again since you opened the page: look again."),
                messages.ERROR,
            )
            return redirect(request.get_full_path())
        part = suggestion_part(
            source, copy, quotes_in_text(source), start=part_start(request)
        )
        groups = part.groups
        markets_by_code = {market.code: market for market in Market.objects.all()}
        regions = list(Region.objects.all())
        data = request.POST if request.method == "POST" else None
        candidates = []
        for group in groups:
            for candidate in group.candidates:
                options = {
                    "prefix": candidate.key,
                    "markets_by_code": markets_by_code,
                    "initial": candidate_initial(candidate),
                }
                if candidate.kind == "event":
                    candidate.form = EventCandidateForm(data, **options)
                else:
                    candidate.form = FigureCandidateForm(
                        data, regions=regions, **options
                    )
                candidates.append((group, candidate))
        if data is not None:
            created = self.accept_suggestions(request, source, candidates, regions)
            if created is not None:
                return created
        return TemplateResponse(
            request,
            "admin/markets/source/suggestions.html",
            {
                **self.admin_site.each_context(request),
                "title": _("Suggestions from its text"),
                "opts": self.opts,
                "original": source,
                "copy": copy,
                "groups": groups,
                "part": part,
                "offered": len(candidates),
                "may_add": may_add,
            },
        )

    def accept_suggestions(
        self, request: HttpRequest, source: Source, candidates: list, regions: list
    ) -> HttpResponse | None:
        """Add the ticked candidates; None where a row is refused (the page shows its
        errors) or none is ticked."""
        accepted = [(g, c) for g, c in candidates if c.form.accepted]
        if not accepted:
            self.message_user(
                request, _("Tick the facts to add: none was ticked."), messages.WARNING
            )
            return None
        # The rows valid as typed are checked by the model too, so that every
        # row's errors show at once; nothing stays while any row is refused.
        valid = [(g, c) for g, c in accepted if c.form.is_valid()]
        by_code = {region.code: region for region in regions}
        drafts = [
            candidate.form.draft(
                quote=group.sentence.text,
                extra=candidate_extra(source, group, candidate),
                regions=by_code,
            )
            for group, candidate in valid
        ]
        with transaction.atomic():
            try:
                created = facts_create_from_source(
                    source=source,
                    drafts=drafts,
                    user=request.user,
                    reason=ACCEPTED_REASON,
                )
            except DraftErrors as refused:
                for index, errors in refused.errors.items():
                    valid[index][1].form.add_model_errors(errors)
                return None
            if len(valid) < len(accepted):
                transaction.set_rollback(True)
                return None
        self.message_user(
            request,
            ngettext(
                "%(count)d draft added with its quote; check it, then publish.",
                "%(count)d drafts added with their quotes; check them, then publish.",
                len(created),
            )
            % {"count": len(created)},
            messages.SUCCESS,
        )
        query = "&".join(
            f"id={fact.pk}" if isinstance(fact, ModeEvent) else f"figure={fact.pk}"
            for fact in created
        )
        return redirect(f"{reverse('admin:markets_modeevent_preview')}?{query}")

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
        suggestions = reverse("admin:markets_source_suggestions", args=[obj.pk])
        self.message_user(
            request,
            format_html(
                '<a href="{}">{}</a>',
                suggestions,
                _("See the suggestions from its text, to add them as drafts."),
            ),
            messages.INFO,
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
class ModeEventAdmin(SpreadsheetMixin, FactAdmin):
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

    actions = (*FactAdmin.actions, "preview_publishing", "preview_return_to_draft")

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The headline names the markets, or their regions: both read in two queries.
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("markets", queryset=Market.objects.select_related("region"))
            )
        )

    def get_urls(self) -> list[URLPattern]:
        opts = self.opts
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.preview_view),
            name=f"{opts.app_label}_{opts.model_name}_preview",
        )
        # Before the model's own URLs, whose change page takes any path as a key.
        return [preview, *super().get_urls()]

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

    @admin.action(description=_("Preview publishing"), permissions=("view",))
    def preview_publishing(
        self, request: HttpRequest, queryset: QuerySet
    ) -> TemplateResponse:
        return self.preview_response(request, queryset, Publication.PUBLISHED)

    @admin.action(description=_("Preview returning to draft"), permissions=("view",))
    def preview_return_to_draft(
        self, request: HttpRequest, queryset: QuerySet
    ) -> TemplateResponse:
        return self.preview_response(request, queryset, Publication.DRAFT)

    def preview_view(self, request: HttpRequest) -> TemplateResponse:
        """The preview of the events ``?id=`` names (a change page links here), as
        published, or with ``?state=draft`` as returned to draft."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            return self.preview_apply(request)
        ids = [value for value in request.GET.getlist("id") if value.isdecimal()]
        state = request.GET.get("state")
        if state not in Publication.values:
            state = Publication.PUBLISHED
        return self.preview_response(
            request,
            self.get_queryset(request).filter(pk__in=ids),
            state,
            figures=self.figures_alongside(request.GET, state),
        )

    @staticmethod
    def figures_alongside(data, state: str) -> list[MarketFigure]:
        """The market figures ``?figure=`` names, set to ``state`` with the events:
        those accepted from one text with them. They change no status."""
        ids = [value for value in data.getlist("figure") if value.isdecimal()]
        if not ids:
            return []
        return list(
            MarketFigure.objects.filter(pk__in=ids)
            .exclude(publication=state)
            .order_by("pk")
        )

    def preview_apply(self, request: HttpRequest) -> HttpResponse:
        """Publish (or return to draft) what the preview showed, with the reason typed
        beside it: one submission, through the service the bulk action uses."""
        if not self.has_publish_permission(request):
            raise PermissionDenied
        ids = [
            value
            for value in request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
            if value.isdecimal()
        ]
        state = request.POST.get("state")
        if state not in Publication.values:
            state = Publication.PUBLISHED
        queryset = self.get_queryset(request).filter(pk__in=ids)
        figures = self.figures_alongside(request.POST, state)
        if figures and not MarketFigure.may_publish(request.user):
            raise PermissionDenied
        form = PublicationReasonForm(request.POST)
        if not form.is_valid():
            return self.preview_response(
                request, queryset, state, reason_form=form, figures=figures
            )
        published = self.set_publication(
            request,
            [*queryset.order_by("date", "slug"), *figures],
            state,
            form.cleaned_data["change_reason"],
        )
        if not published:
            return self.preview_response(
                request, queryset, state, reason_form=form, figures=figures
            )
        return redirect(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"
        )

    def preview_response(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        state: str,
        reason_form: PublicationReasonForm | None = None,
        figures: list[MarketFigure] | None = None,
    ) -> TemplateResponse:
        """How the public answer would change were these events set to ``state``,
        with a button to do it for those who may (the bulk action, markets.services)."""
        state = Publication(state)
        # Each headline names the markets, or their regions.
        markets = models.Prefetch("markets", queryset=Market.objects.with_related())
        records = list(
            queryset.prefetch_related(None)
            .prefetch_related(markets)
            .order_by("date", "slug")
        )
        changing = changing_events(records, state)
        publishing = state == Publication.PUBLISHED
        return TemplateResponse(
            request,
            "admin/markets/modeevent/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": (
                    _("Preview publishing")
                    if publishing
                    else _("Preview returning to draft")
                ),
                "opts": self.opts,
                "records": records,
                "changing": changing,
                "changes": publication_preview(changing, state),
                "publishing": publishing,
                "may_publish": self.has_publish_permission(request),
                "reason_form": reason_form or PublicationReasonForm(),
                "figures": figures or [],
                "state": state,
                "action": "publish" if publishing else "unpublish",
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                # Quotes of draft sources date no claim until the source is
                # published too: the preview, like publishing, leaves them out.
                "draft_sources": (
                    Source.objects.filter(
                        eventevidence_set__fact__in=changing,
                        publication=Publication.DRAFT,
                    ).distinct()
                    if publishing and changing
                    else []
                ),
            },
        )


@admin.register(EventEvidence)
class EventEvidenceAdmin(SpreadsheetMixin, EvidenceAdmin):
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
class MarketFigureEvidenceAdmin(SpreadsheetMixin, EvidenceAdmin):
    resource_classes = (MarketFigureEvidenceResource,)
    autocomplete_fields = ("source", "fact")
