"""Public pages: each picks a queryset from the models' public reads, and a template."""

import functools
from typing import Any

from django import forms
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from markets.caching import (
    TIMEOUT,
    filterset_parameters,
    form_parameters,
    read_only,
    request_key,
)
from markets.filtersets import MarketFilterSet, ModeEventFilterSet, SourceFilterSet
from markets.forms import AsOfForm
from markets.models import Dispute, Market, MarketFigure, ModeEvent, Source
from markets.timeline import build_timeline
from sellers.models import SellerCase, SellerFigure


class CachedForThePublicMixin:
    """A page drawn once per address, language, day and record version for the public.

    Any write retires it (markets.caching). Staff, whose pages carry admin links, are
    always drawn a fresh one. The page sees only the query parameters it reads: its
    filter form's, ``page`` where it has pages, and ``query_forms`` and
    ``query_parameters``; nothing else reaches its key or its links.
    """

    #: Forms the page fills from the query string.
    query_forms: tuple[type[forms.BaseForm], ...] = ()
    #: Query parameters the page reads without a form.
    query_parameters: frozenset[str] = frozenset()

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        read_only(request, page_parameters(type(self)))
        if request.user.is_staff:
            return super().dispatch(request, *args, **kwargs)
        # Pages without a day of their own show today's status.
        key = request_key(request, "page", timezone.localdate())
        content = cache.get(key)
        if content is not None:
            return HttpResponse(content)
        response = super().dispatch(request, *args, **kwargs)
        if response.status_code == 200 and isinstance(response, TemplateResponse):
            response.add_post_render_callback(
                lambda rendered: cache.set(key, rendered.content, TIMEOUT)
            )
        return response


@functools.cache
def page_parameters(view_class: type[CachedForThePublicMixin]) -> frozenset[str]:
    names = set(view_class.query_parameters)
    for form_class in view_class.query_forms:
        names |= form_parameters(form_class)
    if filterset_class := getattr(view_class, "filterset_class", None):
        names |= filterset_parameters(filterset_class)
    if getattr(view_class, "paginate_by", None):
        names.add(view_class.page_kwarg)
    return frozenset(names)


class PublicListView(CachedForThePublicMixin, FilterView):
    """A filtered, paginated list; templates keep Django's default ``_list`` names."""

    template_name_suffix = "_list"
    paginate_by = 25


class HomeView(CachedForThePublicMixin, TemplateView):
    """Where is each mode live, or in beta, on the chosen day, and on what evidence."""

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


class MarketListView(CachedForThePublicMixin, FilterView):
    """Markets by region and by status in each mode on a day (all on one page)."""

    queryset = Market.objects.public()
    filterset_class = MarketFilterSet
    template_name_suffix = "_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            grid=self.object_list.status_grid(self.filterset.as_of_day), **kwargs
        )


class MarketDetailView(CachedForThePublicMixin, DetailView):
    """A market's timeline in every mode, its status on a day (today by default),
    figures and seller cases."""

    queryset = Market.objects.public()
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
            seller_cases=SellerCase.objects.public().concerning(market),
            **kwargs,
        )


class ModeEventListView(PublicListView):
    queryset = ModeEvent.objects.public()
    filterset_class = ModeEventFilterSet
    # Latest first: readers come to learn what changed.
    ordering = ("-date", "-pk")


class ModeEventDetailView(CachedForThePublicMixin, DetailView):
    queryset = ModeEvent.objects.public()
    context_object_name = "event"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        event = self.object
        return super().get_context_data(
            seller_cases=SellerCase.objects.public().filter(reacts_to=event),
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
            seller_cases=SellerCase.objects.public().filter(dispute=dispute),
            seller_figures=SellerFigure.objects.public().filter(dispute=dispute),
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
                "seller_cases": SellerCase.objects.public(),
                "market_figures": MarketFigure.objects.public(),
                "seller_figures": SellerFigure.objects.public(),
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


class SourceDetailView(CachedForThePublicMixin, DetailView):
    """A source, every public fact resting on it, and the sources it relays or is
    relayed by."""

    queryset = Source.objects.public()

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        source = self.object
        return super().get_context_data(
            events=ModeEvent.objects.public().resting_on(source),
            market_figures=MarketFigure.objects.public().resting_on(source),
            seller_cases=SellerCase.objects.published().resting_on(source),
            seller_figures=SellerFigure.objects.public().resting_on(source),
            **kwargs,
        )
