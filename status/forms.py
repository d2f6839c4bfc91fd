"""The forms of the public pages that are not filters: the day the answer is for, and
the two questions whose answers the changes page compares."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from markets.dates import day_or_today, validate_sane_date
from markets.filtersets import DATE_INPUT, LazySelect
from markets.models import Mode
from status.changes import ASKED, Comparison


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


class MapForm(AsOfForm):
    """The day, and the one mode the map colours."""

    mode = forms.ChoiceField(
        choices=Mode.choices, required=False, label=_("Mode"), widget=LazySelect
    )

    #: A region's code: the map zoomed to its markets (status.worldmap.MapRegion),
    #: chosen by a link above the map and kept here when the day or mode changes.
    #: Any text is accepted: one naming no region with markets shows the world.
    region = forms.CharField(
        required=False, label=_("Region"), widget=forms.HiddenInput
    )

    @property
    def mode_shown(self) -> str:
        """The chosen mode when it is valid, otherwise the semi-closed loop."""
        mode = self.cleaned_data.get("mode") if self.is_valid() else None
        return mode or Mode.SEMI_CLOSED_LOOP

    @property
    def region_shown(self) -> str:
        """The region asked for, or nothing for the world; asked for even where the
        day or the mode is not valid, since no region is ever refused."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get("region") or ""


class ChangesFormBase(forms.Form):
    """Two days, each as known on a day or now (``Comparison.asked``)."""

    field_order = [*ASKED, "mode"]

    mode = forms.ChoiceField(
        choices=[("", _("Every mode")), *Mode.choices],
        required=False,
        label=_("Mode"),
        widget=LazySelect,
    )

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors:
            try:
                data["comparison"] = Comparison.of_parameters(data)
            except ValidationError as error:
                self.add_error(None, error)
        return data

    @property
    def comparison(self) -> Comparison | None:
        """The comparison asked for, or None before one is asked or while it is not
        valid."""
        if not self.is_bound or not self.is_valid():
            return None
        return self.cleaned_data["comparison"]


# "from" is a Python keyword: the day fields are given to the class by name.
ChangesForm = type(
    "ChangesForm",
    (ChangesFormBase,),
    {
        name: forms.DateField(
            required=False,
            validators=[validate_sane_date],
            label=label,
            help_text=text,
            widget=DATE_INPUT,
        )
        for name, (label, text) in ASKED.items()
    },
)
