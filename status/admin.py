"""The publication preview in the events' admin: how the public answer would change
were the chosen events published (or returned to draft), and the button to do it.

``EventPublicationPreview`` is a mixin that ``markets.admin.events.ModeEventAdmin``
composes: the preview shows answers (status.preview), so it lives with the answer,
while the event's admin stays the record's. Publishing itself goes through the bulk
action's service (``FactAdmin.set_publication``). The page keeps the model's admin
name (``admin:markets_modeevent_preview``) and template
(``admin/markets/modeevent/preview.html``, under markets/templates/, where the admin
looks for a model's templates).
"""

from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from markets.admin_base import FactAdmin, PublicationReasonForm
from markets.models import Market, MarketFigure, Publication, Source
from status.preview import changing_events, publication_preview


class EventPublicationPreview:
    """The preview page of an event admin, and the two bulk actions leading to it."""

    actions = (*FactAdmin.actions, "preview_publishing", "preview_return_to_draft")

    def get_urls(self) -> list[URLPattern]:
        opts = self.opts
        preview = path(
            "preview/",
            self.admin_site.admin_view(self.preview_view),
            name=f"{opts.app_label}_{opts.model_name}_preview",
        )
        # Before the model's own URLs, whose change page takes any path as a key.
        return [preview, *super().get_urls()]

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
        named = "figure" in request.GET or "market" in request.GET
        return self.preview_response(
            request,
            self.get_queryset(request).filter(pk__in=ids),
            state,
            figures=self.figures_alongside(request.GET, state) if named else None,
            markets=self.markets_alongside(request.GET, state) if named else None,
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

    @staticmethod
    def markets_alongside(data, state: str) -> list[Market]:
        """The markets ``?market=`` names, set to ``state`` with the events: those
        added to the record with them, from one text."""
        ids = [value for value in data.getlist("market") if value.isdecimal()]
        if not ids:
            return []
        return list(
            Market.objects.filter(pk__in=ids)
            .exclude(publication=state)
            .order_by("code")
        )

    @staticmethod
    def accepted_with(records: list) -> tuple[list[MarketFigure], list[Market]]:
        """What publishing draft events brings along where the preview names nothing
        itself (the list's action, an event's link): the draft markets they concern,
        without which the public never sees them, and the draft figures resting on
        the same sources, as accepted with them from one text."""
        if not records:
            return [], []
        markets = Market.objects.filter(
            events__in=records, publication=Publication.DRAFT
        ).distinct()
        sources = Source.objects.filter(eventevidence_set__fact__in=records)
        figures = MarketFigure.objects.filter(
            publication=Publication.DRAFT,
            evidence__source__in=sources,
        ).distinct()
        return list(figures.order_by("pk")), list(markets.order_by("code"))

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
        alongside = {
            "figures": self.figures_alongside(request.POST, state),
            "markets": self.markets_alongside(request.POST, state),
        }
        if (alongside["figures"] and not MarketFigure.may_publish(request.user)) or (
            alongside["markets"] and not Market.may_publish(request.user)
        ):
            raise PermissionDenied
        form = PublicationReasonForm(request.POST)
        if not form.is_valid():
            return self.preview_response(
                request, queryset, state, reason_form=form, **alongside
            )
        published = self.set_publication(
            request,
            [
                *alongside["markets"],
                *queryset.order_by("date", "slug"),
                *alongside["figures"],
            ],
            state,
            form.cleaned_data["change_reason"],
        )
        if not published:
            return self.preview_response(
                request, queryset, state, reason_form=form, **alongside
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
        markets: list[Market] | None = None,
    ) -> TemplateResponse:
        """How the public answer would change were these events set to ``state``,
        with a button to do it for those who may (the bulk action, markets.services).
        Publishing, the figures and markets accepted with them come along (named, or
        else ``accepted_with``), so that one confirmation publishes them all."""
        state = Publication(state)
        # Each headline names the markets, or their regions.
        named_markets = Prefetch("markets", queryset=Market.objects.with_related())
        records = list(
            queryset.prefetch_related(None)
            .prefetch_related(named_markets)
            .order_by("date", "slug")
        )
        changing = changing_events(records, state)
        publishing = state == Publication.PUBLISHED
        if publishing and figures is None and markets is None:
            figures, markets = self.accepted_with(records)
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
                "markets": markets or [],
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
