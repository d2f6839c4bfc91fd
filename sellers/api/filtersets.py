"""Filters for the API's seller figures, which have no public list of their own."""

import django_filters
from django.utils.translation import gettext_lazy as _

from markets.filtersets import ChoiceFilter, FactFilterSet
from markets.models import FigureUnit
from sellers.models import SellerFigure


class SellerFigureFilterSet(FactFilterSet):
    seller_case = django_filters.CharFilter(
        field_name="seller_case__slug", label=_("Seller case (slug)")
    )
    unit = ChoiceFilter(choices=FigureUnit.choices, label=_("Unit"))
    projection = django_filters.BooleanFilter(
        field_name="is_projection", label=_("Projection or target, not measured")
    )

    class Meta:
        model = SellerFigure
        fields = ["seller_case", "unit", "projection", "source", "disputed"]
