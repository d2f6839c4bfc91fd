"""Public pages: each picks a queryset from the models' public reads, and a template."""

import hashlib
from typing import Any

from django.apps import apps
from django.db.models import Manager
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.cache import cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import condition, require_safe
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from caching.public import reads_parameters
from config.pages import (
    CachedForThePublicMixin,
    DraftsForStaffMixin,
    PublicListView,
)
from markets.archive import evidence_models, quotes_standing_in
from markets.filtersets import MarketFilterSet, ModeEventFilterSet, SourceFilterSet
from markets.forms import AsOfForm, ChangesForm, MapForm
from markets.models import (
    Dispute,
    Market,
    MarketFigure,
    Mode,
    ModeEvent,
    RecordPart,
    Source,
    Verification,
)
from status.badges import LABEL_COLOUR, Badge
from status.changes import changes_between
from status.timeline import build_timeline
from status.worldmap import WorldMap, land_svg


def seller_cases() -> Manager:
    """Seller cases, whose records build on this app's: found through the app registry
    rather than imported, so that no import runs from markets to sellers."""
    return apps.get_model("sellers", "SellerCase").objects


def seller_figures() -> Manager:
    return apps.get_model("sellers", "SellerFigure").objects


class HomeView(CachedForThePublicMixin, TemplateView):
    """Where is each mode live, or in beta, on the chosen day, and on what evidence."""

    reads = (RecordPart.STATUS,)

    template_name = "markets/home.html"
    query_forms = (AsOfForm,)

    #: Days offered as shortcuts: the latest on which a status changed.
    key_date_count = 24

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = AsOfForm(self.request.GET or None)
        return super().get_context_data(
            form=form,
            grid=Market.objects.published().status_grid(form.day),
            key_dates=ModeEvent.objects.key_dates(latest=self.key_date_count),
            **kwargs,
        )


class MapView(CachedForThePublicMixin, TemplateView):
    """The answer in one mode on a day, on a world map drawn on the server."""

    reads = (RecordPart.STATUS,)

    template_name = "markets/map.html"
    query_forms = (MapForm,)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = MapForm(self.request.GET or None)
        day, mode = form.day, form.mode_shown
        cells = Market.objects.published().status_on(day, [mode])
        return super().get_context_data(
            form=form, map=WorldMap(day, mode, cells), **kwargs
        )


def land_etag(request: HttpRequest) -> str:
    return hashlib.blake2b(land_svg(), digest_size=12).hexdigest()


@require_safe
@reads_parameters()
@gzip_page
@condition(etag_func=land_etag)
@cache_control(public=True, max_age=86400)
def map_land(request: HttpRequest) -> HttpResponse:
    """The map's background, which changes only with the installed geometry."""
    return HttpResponse(land_svg(), content_type="image/svg+xml")


class ChangesView(CachedForThePublicMixin, TemplateView):
    """Every cell whose answer differs between two days, or between two days of
    knowledge, with the events and the quotes that changed it."""

    reads = (RecordPart.STATUS,)

    template_name = "markets/changes.html"
    query_forms = (ChangesForm,)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = ChangesForm(self.request.GET or None)
        comparison = form.comparison
        mode = form.cleaned_data.get("mode") if comparison else None
        changes = (
            changes_between(
                Market.objects.public(), comparison, [mode] if mode else None
            )
            if comparison
            else []
        )
        return super().get_context_data(
            form=form, comparison=comparison, changes=changes, **kwargs
        )


class BadgeView(CachedForThePublicMixin, TemplateView):
    """One market's answer in one mode as an SVG badge to embed, on a day (today by
    default); kept like every public answer."""

    reads = (RecordPart.STATUS,)

    template_name = "markets/badge.svg"
    content_type = "image/svg+xml; charset=utf-8"
    query_forms = (AsOfForm,)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        mode = kwargs["mode"]
        if mode not in Mode.values:
            raise Http404
        day = AsOfForm(self.request.GET or None).day
        cells = (
            Market.objects.public().filter(code=kwargs["code"]).status_on(day, [mode])
        )
        if not cells:
            raise Http404
        (cell,) = cells
        return super().get_context_data(
            badge=Badge.of(cell), label_colour=LABEL_COLOUR, **kwargs
        )


class MarketListView(CachedForThePublicMixin, FilterView):
    """Markets by region and by status in each mode on a day (all on one page)."""

    reads = (RecordPart.STATUS,)

    queryset = Market.objects.public()
    filterset_class = MarketFilterSet
    template_name_suffix = "_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            grid=self.object_list.status_grid(self.filterset.as_of_day), **kwargs
        )


class MarketDetailView(DraftsForStaffMixin, CachedForThePublicMixin, DetailView):
    """A market's timeline in every mode, its status on a day (today by default),
    figures and seller cases."""

    queryset = Market.objects.public()
    draft_queryset = Market.objects.with_related()
    slug_field = "code"
    slug_url_kwarg = "code"
    query_forms = (AsOfForm,)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        market = self.object
        today = timezone.localdate()
        form = AsOfForm(self.request.GET or None)
        events = list(ModeEvent.objects.public().concerning(market))
        (status_row,) = Market.objects.filter(pk=market.pk).status_grid(form.day).rows
        return super().get_context_data(
            today=today,
            form=form,
            day=form.day,
            status_row=status_row,
            events=events,
            timeline=build_timeline(events, market.status_spans.all(), today),
            figures=MarketFigure.objects.public().concerning(market),
            seller_cases=seller_cases().public().concerning(market),
            **kwargs,
        )


class ModeEventListView(PublicListView):
    reads = (RecordPart.STATUS,)
    queryset = ModeEvent.objects.public()
    filterset_class = ModeEventFilterSet
    # Latest first: readers come to learn what changed.
    ordering = ("-date", "-pk")


class ModeEventDetailView(DraftsForStaffMixin, CachedForThePublicMixin, DetailView):
    reads = (RecordPart.STATUS, RecordPart.SELLERS)
    queryset = ModeEvent.objects.public()
    draft_queryset = ModeEvent.objects.with_related()
    context_object_name = "event"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        event = self.object
        return super().get_context_data(
            seller_cases=seller_cases().public().filter(reacts_to=event),
            rival_claims=(
                ModeEvent.objects.public()
                .filter(dispute=event.dispute_id)
                .exclude(pk=event.pk)
                if event.dispute_id
                else ModeEvent.objects.none()
            ),
            **kwargs,
        )


class DisputeDetailView(CachedForThePublicMixin, DetailView):
    """Claims that disagree, side by side: every published fact of one dispute."""

    queryset = Dispute.objects.public()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        dispute = self.object
        return super().get_context_data(
            events=ModeEvent.objects.public().filter(dispute=dispute),
            market_figures=MarketFigure.objects.public().filter(dispute=dispute),
            seller_cases=seller_cases().public().filter(dispute=dispute),
            seller_figures=seller_figures().public().filter(dispute=dispute),
            **kwargs,
        )


class SearchView(CachedForThePublicMixin, TemplateView):
    """One box for everything public: events, seller cases, figures and sources, ranked."""

    template_name = "markets/search.html"
    query_parameters = frozenset({"q"})
    #: Results shown per kind; the ranking puts the best first.
    limit = 20

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        query = " ".join(self.request.GET.get("q", "").split())[:200]
        sections = {}
        if query:
            sections = {
                "events": ModeEvent.objects.public(),
                "seller_cases": seller_cases().public(),
                "market_figures": MarketFigure.objects.public(),
                "seller_figures": seller_figures().public(),
                "sources": Source.objects.public(),
            }
            sections = {
                name: list(queryset.search(query)[: self.limit])
                for name, queryset in sections.items()
            }
        return super().get_context_data(
            query=query,
            limit=self.limit,
            found=sum(len(rows) for rows in sections.values()),
            **sections,
            **kwargs,
        )


class SourceListView(PublicListView):
    queryset = Source.objects.public().with_fact_counts()
    filterset_class = SourceFilterSet


class SourceTextView(CachedForThePublicMixin, DetailView):
    """A source's current archived text, each public quote resting on it marked where
    it stands (``#quote-<uuid>``), escaped like any text."""

    queryset = Source.objects.public()
    template_name = "markets/source_text.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        copy = self.object.current_text()
        if copy is None:
            raise Http404("No archived text")
        return super().get_context_data(
            copy=copy,
            marked_text=marked_text(copy.text, public_quote_spans(self.object)),
            **kwargs,
        )


class SourceDetailView(DraftsForStaffMixin, CachedForThePublicMixin, DetailView):
    """A source, every public fact resting on it, and the sources it relays or is
    relayed by."""

    queryset = Source.objects.public()
    draft_queryset = Source.objects.with_related().prefetch_related("relayed_sources")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        source = self.object
        return super().get_context_data(
            events=ModeEvent.objects.public().resting_on(source),
            market_figures=MarketFigure.objects.public().resting_on(source),
            seller_cases=seller_cases().published().resting_on(source),
            seller_figures=seller_figures().public().resting_on(source),
            # The text its quotes stand in: a relayed outlet's is its article's.
            archived_copy=source.text_source.current_text(),
            **kwargs,
        )


def public_quote_spans(source: Source) -> list[tuple[int, int, str]]:
    """(start, end, uuid) of every verified public quote standing in ``source``'s text:
    quotes of published sources supporting facts the public sees; one query a kind of
    evidence."""
    spans = []
    for model in evidence_models():
        facts = model._meta.get_field("fact").related_model.objects.public()
        spans += (
            model.objects.public()
            .filter(
                quotes_standing_in(source),
                verification=Verification.VERIFIED,
                quote_start__isnull=False,
                fact__in=facts.values("pk"),
            )
            .values_list("quote_start", "quote_end", "uuid")
        )
    return sorted(spans)


def marked_text(text: str, spans: list[tuple[int, int, str]]) -> SafeString:
    """``text``, escaped, with each span in a ``<mark>``; the mark where a quote begins
    carries ``id="quote-<uuid>"``. Quotes may overlap: the text is cut at every edge and
    each piece is marked by every quote covering it (marks nest where two begin)."""
    edges = sorted({0, len(text), *(e for s, e, _ in spans), *(s for s, e, _ in spans)})
    out = []
    for start, end in zip(edges, edges[1:], strict=False):
        piece = escape(text[start:end])
        beginning = [key for s, _e, key in spans if s == start]
        covered = any(s <= start and end <= e for s, e, _ in spans)
        if beginning:
            opened = "".join(f'<mark id="quote-{key}">' for key in beginning)
            out.append(f"{opened}{piece}{'</mark>' * len(beginning)}")
        elif covered:
            out.append(f"<mark>{piece}</mark>")
        else:
            out.append(piece)
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above
