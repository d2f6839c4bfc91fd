from django import forms
from django.utils.translation import gettext_lazy as _

from alerts.models import Frequency
from alerts.services import followable_query, refuse_undeliverable_address


class FollowForm(forms.Form):
    """An address and how often, for the event list the page was reached from."""

    email = forms.EmailField(
        label=_("Your e-mail address"),
        max_length=254,
        validators=[refuse_undeliverable_address],
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        initial=Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )
    query = forms.CharField(required=False, widget=forms.HiddenInput, max_length=500)

    def clean_query(self) -> str:
        return followable_query(self.cleaned_data["query"])
