from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from alerts.models import Frequency
from alerts.services import followed_query


class FollowForm(forms.Form):
    """An address and how often, for the event list the page was reached from."""

    email = forms.EmailField(label=_("Your e-mail address"), max_length=254)
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def clean_query(self) -> str:
        query, filterset = followed_query(QueryDict(self.cleaned_data["query"]))
        if not filterset.is_valid():
            problems = "; ".join(
                f"{filterset.form.fields[name].label}: {' '.join(errors)}"
                for name, errors in filterset.form.errors.items()
                if name in filterset.form.fields
            )
            raise ValidationError(
                _("These filters cannot be followed: %(problems)s"),
                code="invalid_filters",
                params={"problems": problems or _("they are not valid")},
            )
        return query
