"""Filters for the API's seller figures, which have no public list of their own."""

import django_filters
from django.utils.translation import gettext_lazy as _

from markets.filtersets import RelatedCharFilter
from markets.models import FigureUnit
from sellers.models import SellerFigure


class SellerFigureFilterSet(django_filters.FilterSet):
    seller_case = django_filters.CharFilter(
        field_name="seller_case__slug", label=_("Seller case (slug)")
    )
    unit = django_filters.ChoiceFilter(choices=FigureUnit.choices, label=_("Unit"))
    projection = django_filters.BooleanFilter(
        field_name="is_projection", label=_("Projection or target, not measured")
    )
    source = RelatedCharFilter(
        field_name="evidence__source__slug", label=_("Source (slug)")
    )
    disputed = django_filters.BooleanFilter(
        field_name="dispute", lookup_expr="isnull", exclude=True, label=_("Disputed")
    )

    class Meta:
        model = SellerFigure
        fields = ["seller_case", "unit", "projection", "source", "disputed"]
