"""Filters of the API's own: market figures, and ``?search=`` through ``search()``.

The other lists reuse ``markets.filtersets`` and ``sellers.filtersets``, so a filter
means the same on a page and in the API.
"""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import SearchFilter
from rest_framework.request import Request

from markets.filtersets import ChoiceFilter, FactFilterSet, RelatedCharFilter
from markets.models import FigureUnit, MarketFigure, Region
from markets.search import SearchableQuerySet


class MarketFigureFilterSet(FactFilterSet):
    market = RelatedCharFilter(
        field_name="markets__code",
        lookup_expr="iexact",
        label=_("Market (ISO code): figures about this market."),
    )
    region = django_filters.ModelChoiceFilter(
        method="filter_region",
        to_field_name="code",
        queryset=Region.objects.all(),
        label=_(
            "Region code: figures about the region as a whole or about its markets."
        ),
    )
    platform = django_filters.BooleanFilter(
        method="filter_platform",
        label=_("true: figures about TikTok Shop as a whole (no market, no region)."),
    )
    unit = ChoiceFilter(choices=FigureUnit.choices, label=_("Unit"))
    projection = django_filters.BooleanFilter(
        field_name="is_projection", label=_("Projection or target, not measured")
    )

    class Meta:
        model = MarketFigure
        fields = [
            "market",
            "region",
            "platform",
            "unit",
            "projection",
            "source",
            "disputed",
        ]

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return queryset.filter(Q(region=value) | Q(markets__region=value)).distinct()

    def filter_platform(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if value:
            return queryset.filter(region__isnull=True, markets__isnull=True)
        return queryset.filter(
            Q(region__isnull=False) | Q(markets__isnull=False)
        ).distinct()


class ModelSearchFilter(SearchFilter):
    """``?search=`` finds what the pages' search finds: the model's own ``search()``.

    Matches keep the order asked for with ``?ordering=``, so that pages stay keyset
    pages. Models without ``search()`` (markets) fall back to DRF's search over the
    view's ``search_fields``; only their viewsets declare any.
    """

    search_description = _(
        "Words to find, in Chinese or English, as the pages' search finds them."
    )

    def filter_queryset(self, request: Request, queryset: QuerySet, view) -> QuerySet:
        if not isinstance(queryset, SearchableQuerySet):
            return super().filter_queryset(request, queryset, view)
        text = request.query_params.get(self.search_param, "")
        if not text.strip():
            return queryset
        matches = queryset.model._default_manager.search(text)
        return queryset.filter(pk__in=matches.values("pk"))


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which skips the form when no parameter names a filter.

    A list read without filters is the commonest request, and validating an empty form
    costs more than the database takes to answer it. A parameter counts if it is a
    filter's name or starts with one, as ``date_after`` does for ``date``.
    """

    def filter_queryset(self, request: Request, queryset: QuerySet, view) -> QuerySet:
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None and not any(
            parameter == name or parameter.startswith(f"{name}_")
            for parameter in request.query_params
            for name in filterset_class.base_filters
        ):
            return queryset
        return super().filter_queryset(request, queryset, view)

    def get_filterset(self, request: Request, queryset: QuerySet, view) -> Any:
        filterset = super().get_filterset(request, queryset, view)
        if filterset is not None:
            # Analysts who see drafts also find records through them.
            filterset.sees_drafts = view.sees_drafts(queryset.model)
        return filterset
