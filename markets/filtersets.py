"""Filters for markets, events and sources: one meaning, on the pages and in the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from markets.models import (
    EventKind,
    Language,
    Market,
    Mode,
    ModeEvent,
    Region,
    Source,
    SourceKind,
    Status,
)


class MarketFilterSet(django_filters.FilterSet):
    region = django_filters.ModelChoiceFilter(
        field_name="region",
        to_field_name="code",
        queryset=Region.objects.all(),
        label=_("Region"),
    )

    class Meta:
        model = Market
        fields = ["region"]


class ModeEventFilterSet(django_filters.FilterSet):
    mode = django_filters.ChoiceFilter(choices=Mode.choices, label=_("Mode"))
    kind = django_filters.ChoiceFilter(
        choices=EventKind.choices, label=_("What happened")
    )
    status = django_filters.ChoiceFilter(
        field_name="status_set", choices=Status.choices, label=_("Status it sets")
    )
    market = django_filters.CharFilter(
        field_name="markets__code", lookup_expr="iexact", label=_("Market (ISO code)")
    )
    region = django_filters.ModelChoiceFilter(
        field_name="markets__region",
        to_field_name="code",
        queryset=Region.objects.all(),
        distinct=True,
        label=_("Region"),
    )
    date = django_filters.DateFromToRangeFilter(
        label=_("Date between"),
        help_text=_("Compared on the earliest day each event's precision allows."),
    )
    source = django_filters.CharFilter(
        field_name="evidence__source__slug", distinct=True, label=_("Source (slug)")
    )
    disputed = django_filters.BooleanFilter(
        field_name="is_disputed", label=_("Disputed")
    )

    class Meta:
        model = ModeEvent
        fields = [
            "mode",
            "kind",
            "status",
            "market",
            "region",
            "date",
            "source",
            "disputed",
        ]


class SourceFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SourceKind.choices, label=_("Kind"))
    language = django_filters.ChoiceFilter(
        choices=Language.choices, label=_("Language")
    )
    publisher = django_filters.CharFilter(lookup_expr="icontains", label=_("Publisher"))
    reported_via = django_filters.CharFilter(
        field_name="reported_via__slug", label=_("Reported via (slug)")
    )
    published = django_filters.DateFromToRangeFilter(
        field_name="published_on", label=_("Published between")
    )

    class Meta:
        model = Source
        fields = ["kind", "language", "publisher", "reported_via", "published"]
