"""Markets a text names that the record lacks, offered for adding on the suggestions
page, so that an event in Ireland is accepted in the same submission as Ireland itself.

A code is offered only where ISO 3166-1 knows it (pycountry, as the market model's
validator checks); its names in English and Chinese come from CLDR through Babel, as
the suggestions read them, for the analyst to correct. The region is the analyst's
choice: the record's regions are its own groupings, which no standard holds.
markets.services.market_create writes the ones ticked.
"""

from collections.abc import Iterable

from babel import Locale
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from config.text import PlainTextField
from intake.candidates import TickedRowForm
from intake.suggestions.places import is_iso_code
from markets.models import Region, in_language


def market_names(code: str) -> tuple[str, str]:
    """The territory's names in Simplified Chinese and English (CLDR), or blanks."""
    return (
        Locale.parse("zh_Hans").territories.get(code, ""),
        Locale.parse("en").territories.get(code, ""),
    )


def missing_codes(named: Iterable[str], kept: Iterable[str]) -> list[str]:
    """The ISO codes among ``named`` that the record does not keep, sorted."""
    kept = set(kept)
    return sorted(
        {code for code in named if code not in kept and is_iso_code(code)},
    )


class NewMarketForm(TickedRowForm):
    """A market to add with the suggestions accepted; ticked, it is created first,
    and the rows that name its code are checked against it."""

    accept = forms.BooleanField(required=False)
    name_en = PlainTextField(label=_("name (English)"), max_length=100)
    name_zh = PlainTextField(label=_("name (Chinese)"), max_length=100)
    region = forms.ChoiceField(label=_("region"))

    def __init__(self, *args, code: str, regions: list[Region], **kwargs) -> None:
        name_zh, name_en = market_names(code)
        kwargs.setdefault("initial", {"name_zh": name_zh, "name_en": name_en})
        super().__init__(*args, prefix=f"market-{code}", **kwargs)
        self.code = code
        self.default_name = in_language(name_zh, name_en) or code
        self.regions = {region.code: region for region in regions}
        self.fields["region"].choices = [
            ("", "---------"),
            *((region.code, str(region)) for region in regions),
        ]
        self.fields["accept"].label = _("add %(name)s (%(code)s) to the record") % {
            "name": self.default_name,
            "code": code,
        }

    def add_model_errors(self, error: ValidationError) -> None:
        """The service's errors, each on its field where the row has it."""
        for name, messages in error.update_error_dict({}).items():
            self.add_error(name if name in self.fields else None, messages)

    def clean_region(self) -> Region:
        return self.regions[self.cleaned_data["region"]]


def new_market_forms(
    codes: Iterable[str], data, regions: list[Region]
) -> list[NewMarketForm]:
    """One form for each code, bound to ``data`` when the page is posted."""
    return [NewMarketForm(data, code=code, regions=regions) for code in codes]
