"""Filters for seller cases: one meaning, on the pages and in the API."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from markets.filtersets import market_choices, source_choices
from markets.models import Mode, Region
from sellers.models import SellerCase, Strategy


class SellerCaseFilterSet(django_filters.FilterSet):
    mode = django_filters.ChoiceFilter(
        field_name="reacts_to__mode",
        choices=Mode.choices,
        label=_("Mode"),
        help_text=_("The mode of the event the case reacts to."),
    )
    strategy = django_filters.ModelChoiceFilter(
        field_name="strategies",
        to_field_name="code",
        queryset=Strategy.objects.all(),
        distinct=True,
        label=_("Strategy"),
    )
    category = django_filters.CharFilter(
        method="filter_either_language",
        label=_("Category"),
        help_text=_("Part of the category, in Chinese or English."),
    )
    city = django_filters.CharFilter(
        method="filter_either_language",
        label=_("City"),
        help_text=_("Part of the city's name, in Chinese or English."),
    )
    market = django_filters.CharFilter(
        field_name="target_markets__code",
        lookup_expr="iexact",
        distinct=True,
        label=_("Target market (ISO code)"),
        widget=forms.Select(choices=market_choices),
    )
    region = django_filters.ModelChoiceFilter(
        queryset=Region.objects.all(),
        to_field_name="code",
        method="filter_region",
        label=_("Target region"),
        help_text=_("Cases naming the region, or a market in it."),
    )
    event = django_filters.CharFilter(
        field_name="reacts_to__slug", label=_("Reacts to (event slug)")
    )
    source = django_filters.CharFilter(
        field_name="evidence__source__slug",
        distinct=True,
        label=_("Source (slug)"),
        widget=forms.Select(choices=source_choices),
    )
    disputed = django_filters.BooleanFilter(
        field_name="is_disputed", label=_("Disputed")
    )

    class Meta:
        model = SellerCase
        fields = [
            "mode",
            "strategy",
            "category",
            "city",
            "market",
            "region",
            "event",
            "source",
            "disputed",
        ]

    def filter_either_language(
        self, queryset: QuerySet, name: str, value: str
    ) -> QuerySet:
        """Match ``<name>_zh`` or ``<name>_en``: readers type in either language."""
        return queryset.filter(
            Q(**{f"{name}_zh__icontains": value})
            | Q(**{f"{name}_en__icontains": value})
        )

    def filter_region(self, queryset: QuerySet, name: str, value: Region) -> QuerySet:
        return queryset.filter(
            Q(target_regions=value) | Q(target_markets__region=value)
        ).distinct()
