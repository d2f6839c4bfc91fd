"""The filters' fast select writes the HTML Django's own select template writes."""

import pytest
from django import forms
from django.test.html import parse_html

from markets.filtersets import LazySelect

CHOICES = [
    ("", "---------"),
    ("DE", "DE · Germany"),
    ("GB", "GB · <United> Kingdom & co"),
]


@pytest.mark.parametrize("value", [None, "", "GB", "XX"])
def test_lazy_select_draws_what_django_draws(value):
    attrs = {"id": "id_market", "class": "wide"}
    django_select = forms.Select(choices=CHOICES).render("market", value, attrs)
    ours = LazySelect(choices=lambda: CHOICES).render("market", value, attrs)
    assert parse_html(ours) == parse_html(django_select)
