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
from markets.vocabulary import Status
from status.selectors import with_status_on


def mode_status_filters() -> dict[str, ChoiceFilter]:
    """A filter of markets by their status in each mode, named by the mode: every mode
    of the vocabulary has one, on the markets page and in the API alike."""
    return {
        mode.value: ChoiceFilter(
            field_name=mode.value,
            choices=Status.choices,
            method="filter_status",
            label=mode.label,
        )
        for mode in Mode
    }


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

    class Meta:
        model = Market
        fields = ["region", "as_of"]

    @classmethod
    def get_filters(cls) -> dict[str, django_filters.Filter]:
        """The declared filters, then one status filter per mode (?closed_loop=beta)."""
        return {**super().get_filters(), **mode_status_filters()}

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
