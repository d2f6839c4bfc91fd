"""The one form of the public pages that is not a filter: the day the answer is for."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from markets.dates import day_or_today, validate_sane_date
from markets.filtersets import DATE_INPUT


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        validators=[validate_sane_date],
        label=_("On"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Any day; today when empty."),
    )

    @property
    def day(self) -> datetime.date:
        """The chosen day when it is valid, otherwise today."""
        return day_or_today(self.cleaned_data["as_of"] if self.is_valid() else None)
