"""Markets filtered by their answer: by region, and by the status in each mode on a
day. One meaning on the markets page, /api/markets/ and /api/status/.

Here rather than in markets.filtersets: the status filters read the status index
(status.selectors), which the record's own code never imports.
"""

import datetime

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from markets.dates import day_or_today, validate_sane_date
from markets.filtersets import DATE_INPUT, ChoiceFilter, region_choices
from markets.models import Market, Mode
from status.answers import Answer
from status.selectors import with_status_on


class MarketFilterSet(django_filters.FilterSet):
    region = ChoiceFilter(
        field_name="region__code", choices=region_choices, label=_("Region")
    )
    as_of = django_filters.DateFilter(
        method="keep_all",
        widget=DATE_INPUT,
        validators=[validate_sane_date],
        label=_("On"),
        help_text=_("The day the status filters look at; today when empty."),
    )
    semi_closed_loop = ChoiceFilter(
        choices=Answer.choices,
        method="filter_status",
        label=Mode.SEMI_CLOSED_LOOP.label,
    )
    closed_loop = ChoiceFilter(
        choices=Answer.choices, method="filter_status", label=Mode.CLOSED_LOOP.label
    )
    fully_managed = ChoiceFilter(
        choices=Answer.choices, method="filter_status", label=Mode.FULLY_MANAGED.label
    )

    class Meta:
        model = Market
        fields = ["region", "as_of", "semi_closed_loop", "closed_loop", "fully_managed"]

    @property
    def as_of_day(self) -> datetime.date:
        """The day the status filters use: ``as_of`` when valid, else today."""
        cleaned = getattr(self.form, "cleaned_data", None) or {}
        return day_or_today(cleaned.get("as_of"))

    def keep_all(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        # The day alone filters nothing: the status filters read it.
        return queryset

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Markets whose status in the mode named by the filter is ``value`` then."""
        return with_status_on(queryset, self.as_of_day, [name]).filter(
            **{f"status_{name}": value}
        )
