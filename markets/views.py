"""Public pages: each picks a queryset from the models' public reads, and a template."""

from typing import Any

from django.utils import timezone
from django.views.generic import DetailView, TemplateView
from django_filters.views import FilterView

from markets.filtersets import MarketFilterSet, ModeEventFilterSet, SourceFilterSet
from markets.forms import AsOfForm
from markets.models import Market, MarketFigure, ModeEvent, Source
from markets.timeline import build_timeline
from sellers.models import SellerCase, SellerFigure


class PublicListView(FilterView):
    """A filtered, paginated list; templates keep Django's default ``_list`` names."""

    template_name_suffix = "_list"
    paginate_by = 25


class HomeView(TemplateView):
    """Where is each mode live, or in beta, on the chosen day, and on what evidence."""

    template_name = "markets/home.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = AsOfForm(self.request.GET or None)
        return super().get_context_data(
            form=form,
            grid=Market.objects.published().status_grid(form.day),
            key_dates=ModeEvent.objects.key_dates(),
            **kwargs,
        )


class MarketListView(FilterView):
    """Markets by region and by status in each mode on a day (all on one page)."""

    queryset = Market.objects.public()
    filterset_class = MarketFilterSet
    template_name_suffix = "_list"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            grid=self.object_list.status_grid(self.filterset.as_of_day), **kwargs
        )


class MarketDetailView(DetailView):
    """A market's timeline in every mode, its status today, figures and seller cases."""

    queryset = Market.objects.public()
    slug_field = "code"
    slug_url_kwarg = "code"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        market = self.object
        today = timezone.localdate()
        events = list(ModeEvent.objects.public().concerning(market))
        (status_row,) = Market.objects.filter(pk=market.pk).status_grid(today).rows
        return super().get_context_data(
            today=today,
            status_row=status_row,
            events=events,
            timeline=build_timeline(events, today),
            figures=MarketFigure.objects.public().concerning(market),
            seller_cases=SellerCase.objects.public().concerning(market),
            **kwargs,
        )


class ModeEventListView(PublicListView):
    queryset = ModeEvent.objects.public()
    filterset_class = ModeEventFilterSet
    # Latest first: readers come to learn what changed.
    ordering = ("-date", "-pk")


class ModeEventDetailView(DetailView):
    queryset = ModeEvent.objects.public()
    context_object_name = "event"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            seller_cases=SellerCase.objects.public().filter(reacts_to=self.object),
            **kwargs,
        )


class SearchView(TemplateView):
    """One box for everything public: events, seller cases, figures and sources, ranked."""

    template_name = "markets/search.html"
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


class SourceDetailView(DetailView):
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
