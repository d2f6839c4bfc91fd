"""Intake in the admin: a source's text archived from its form, and the facts it
suggests accepted as drafts.

``SourceIntakeViews`` is a mixin that ``markets.admin.sources.SourceAdmin`` composes,
rather than intake registering the Source admin itself: the source is the record's,
and its admin (columns, filters, relayed outlets, the archived copies) is read and
changed in one place, markets.admin; intake adds to it only what comes in through it
(the text to archive, the citing panel's text, the suggestions page). Arrows point
one way: this module imports markets' domain and its admin building blocks, and
markets.admin imports this module, never the reverse; intake's domain modules
(candidates, suggestions, extraction) import no admin.

The screens keep the model's admin names (``admin:markets_source_suggestions``,
``admin:markets_source_text``) and templates (``admin/markets/source/``), which the
admin finds by app label and model name: they stay under markets/templates/.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from intake.accepting import Offered, candidate_forms, candidates_accept
from intake.candidates import (
    ACCEPT_PERMISSIONS,
    ACCEPTED_REASON,
    part_start,
    suggestion_part,
)
from intake.new_markets import NewMarketForm, missing_codes, new_market_forms
from intake.rows import error_summary, named_codes
from intake.source_guesses import guess_language, guess_source_kind
from intake.uploads import pasted_text, uploaded_text
from markets.admin_base import ContentForm
from markets.archive import (
    quotes_in_text,
    source_archive,
    validate_archived_length,
)
from markets.models import (
    Market,
    ModeEvent,
    Region,
    Source,
    SourceText,
)
from markets.services import market_create


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
        # Checked here, so that a refused text leaves the source unsaved too.
        try:
            if upload:
                cleaned["archive"] = uploaded_text(upload)
            elif text.strip():
                cleaned["archive"] = pasted_text(text)
        except ValidationError as error:
            self.add_error("archive_file" if upload else "archive_text", error)
            return cleaned
        if cleaned["archive"]:
            self.guess_from_text(cleaned, cleaned["archive"][0])
        return cleaned

    def guess_from_text(self, cleaned: dict, text: str) -> None:
        """A new source's language and kind as its text shows them, where the analyst
        left the field as the form offered it: a choice they made is kept."""
        if self.instance.pk:
            return
        guesses = {"language": guess_language, "kind": guess_source_kind}
        for name, guess in guesses.items():
            if name in self.fields and name not in self.changed_data:
                cleaned[name] = guess(text)


class SourceIntakeViews:
    """What comes in through a source's admin: its text archived on saving, the
    archived text for the citing panel, and the suggestions read from it."""

    form = SourceForm

    #: Writing the suggestions accepted needs these (the Analyst group has them).
    INTAKE_PERMISSIONS = ACCEPT_PERMISSIONS

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

    def save_model(self, request: HttpRequest, obj: Source, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        archive = form.cleaned_data.get("archive")
        if archive:
            self.archive_from_form(request, obj, archive, form.cleaned_data)

    def archive_from_form(
        self, request: HttpRequest, source: Source, archive: tuple, cleaned: dict
    ) -> None:
        """Archive the text the form brought, and say what became of its quotes."""
        text, kind, file_name = archive
        try:
            archived = source_archive(
                source=source,
                text=text,
                kind=kind,
                retrieved_at=cleaned.get("archive_retrieved_at"),
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
        suggestions = reverse("admin:markets_source_suggestions", args=[source.pk])
        self.message_user(
            request,
            format_html(
                '<a href="{}">{}</a>',
                suggestions,
                _("See the suggestions from its text, to add them as drafts."),
            ),
            messages.INFO,
        )

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
        copy = source.current_text()
        refused = self.refuse_suggesting(request, source, copy)
        if refused is not None:
            return refused
        part = suggestion_part(
            source, copy, quotes_in_text(source), start=part_start(request)
        )
        regions = list(Region.objects.all())
        data = request.POST if request.method == "POST" else None
        markets_by_code = {market.code: market for market in Market.objects.all()}
        candidates = candidate_forms(part.groups, data, regions, markets_by_code)
        new_markets = []
        if request.user.has_perm("markets.add_market"):
            codes = named_codes(candidate for _, candidate in candidates)
            new_markets = new_market_forms(
                missing_codes(codes, markets_by_code), data, regions
            )
        if data is not None:
            rows = AcceptedRows(candidates, new_markets, markets_by_code, regions)
            created = self.accept_suggestions(request, source, rows)
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
                "groups": part.groups,
                "part": part,
                "offered": len(candidates),
                "new_markets": new_markets,
                "errors": error_summary(candidates, new_markets) if data else [],
                "may_add": may_add,
            },
        )

    def refuse_suggesting(
        self, request: HttpRequest, source: Source, copy: SourceText | None
    ) -> HttpResponse | None:
        """Send the analyst back where no text is archived, or where the text changed
        since the page was opened (the candidates were read from the older one)."""
        if copy is None:
            self.message_user(
                request,
                _("Archive the source's text first: suggestions are read from it."),
                messages.WARNING,
            )
            return redirect(reverse("admin:markets_source_change", args=[source.pk]))
        if request.method == "POST" and request.POST.get("sha256") != copy.sha256:
            self.message_user(
                request,
                _("The text was archived again since you opened the page: look again."),
                messages.ERROR,
            )
            return redirect(request.get_full_path())
        return None

    def accept_suggestions(
        self, request: HttpRequest, source: Source, rows: "AcceptedRows"
    ) -> HttpResponse | None:
        """Add the markets ticked, then the candidates ticked, in one transaction;
        None where a row is refused (the page shows its errors) or none is ticked."""
        accepted = [(g, c) for g, c in rows.candidates if c.form.accepted]
        adding = [form for form in rows.new_markets if form.accepted]
        if not accepted and not adding:
            self.message_user(
                request, _("Tick the facts to add: none was ticked."), messages.WARNING
            )
            return None
        with transaction.atomic():
            markets = self.add_markets(request, adding, rows.markets_by_code)
            created = self.add_drafts(request, source, accepted, rows.regions)
            if markets is None or created is None:
                # Nothing stays while any row is refused, the markets included.
                transaction.set_rollback(True)
                return None
        if markets:
            self.message_user(
                request,
                _("Added to the record, to publish with the drafts: %(markets)s.")
                % {"markets": "; ".join(str(market) for market in markets)},
                messages.SUCCESS,
            )
        if not created:
            return redirect(request.get_full_path())
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
            [
                *(f"market={market.pk}" for market in markets),
                *(
                    f"id={fact.pk}"
                    if isinstance(fact, ModeEvent)
                    else f"figure={fact.pk}"
                    for fact in created
                ),
            ]
        )
        return redirect(f"{reverse('admin:markets_modeevent_preview')}?{query}")

    @staticmethod
    def add_markets(
        request: HttpRequest,
        forms: list[NewMarketForm],
        markets_by_code: dict[str, Market],
    ) -> list[Market] | None:
        """Add the markets ticked (markets.services), each joining ``markets_by_code``
        so that the rows naming it are checked against it; None where one is refused.
        """
        added: list[Market] | None = []
        for form in forms:
            market = None
            if form.is_valid():
                try:
                    market = market_create(
                        code=form.code,
                        user=request.user,
                        reason=ACCEPTED_REASON,
                        name_zh=form.cleaned_data["name_zh"],
                        name_en=form.cleaned_data["name_en"],
                        region=form.cleaned_data["region"],
                    )
                except ValidationError as error:
                    form.add_model_errors(error)
            if market is None:
                added = None
                # The rows naming it are checked as if it were added: their own
                # errors show now, not after the market's are mended.
                market = Market(code=form.code)
            elif added is not None:
                added.append(market)
            markets_by_code[form.code] = market
        return added

    @staticmethod
    def add_drafts(
        request: HttpRequest,
        source: Source,
        accepted: list[Offered],
        regions: list[Region],
    ) -> list | None:
        """Add the candidates ticked as drafts (intake.accepting.candidates_accept,
        as the API does); None where a row is refused, each refused row given its
        errors."""
        return candidates_accept(
            source=source, accepted=accepted, regions=regions, user=request.user
        )


@dataclass
class AcceptedRows:
    """What the suggestions page was posted with: the candidates and the markets
    offered, the markets by code (which the markets added join) and the regions."""

    candidates: list[Offered]
    new_markets: list[NewMarketForm]
    markets_by_code: dict[str, Market]
    regions: list[Region]
