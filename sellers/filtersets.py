"""Filters for seller cases: one meaning, on the pages and in the API."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from markets.filtersets import (
    ChoiceFilter,
    DrawnChoices,
    FactFilterSet,
    LazySelect,
    Options,
    RelatedChoiceFilter,
    market_filter,
    region_filter,
)
from markets.models import Mode, in_language
from sellers.models import SellerCase, Strategy


def published_cities() -> Options:
    """The cities of published cases, in the reader's language."""
    rows = (
        SellerCase.objects.published()
        .exclude(city_zh="", city_en="")
        .order_by()
        .values_list("city_zh", "city_en")
        .distinct()
    )
    names = sorted({in_language(*names) for names in rows})
    return Options([("", "---------"), *((name, name) for name in names)])


def strategies() -> list[tuple[str, str]]:
    """Strategies by code."""
    return [
        (code, in_language(*names))
        for code, *names in Strategy.objects.values_list("code", "name_zh", "name_en")
    ]


#: Drawn when a form is drawn, never imported.
city_choices = DrawnChoices("city-choices", published_cities)
#: Kept like every filter's choices, an unknown code is refused without asking the
#: database.
strategy_choices = DrawnChoices("strategy-choices", strategies)


class SellerCaseFilterSet(FactFilterSet):
    strategy = RelatedChoiceFilter(
        field_name="strategies__code",
        choices=strategy_choices,
        label=_("Strategy"),
    )
    city = django_filters.CharFilter(
        method="filter_city",
        label=_("City"),
        widget=LazySelect(choices=city_choices),
    )
    category = django_filters.CharFilter(method="filter_category", label=_("Category"))
    market = market_filter("target_markets", _("Target market"))
    region = region_filter("target_markets", _("Target region"))
    mode = ChoiceFilter(
        field_name="reacts_to__mode", choices=Mode.choices, label=_("Mode it reacts to")
    )

    class Meta:
        model = SellerCase
        fields = [
            "strategy",
            "city",
            "category",
            "market",
            "region",
            "mode",
            "source",
            "disputed",
        ]

    def filter_city(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """A city in either language: 深圳 or Shenzhen."""
        return queryset.filter(Q(city_zh__iexact=value) | Q(city_en__iexact=value))

    def filter_category(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(category_zh__icontains=value) | Q(category_en__icontains=value)
        )
