"""Filters for events and sources, and the pieces every filter set uses (markets by
their answer: status.filtersets): one meaning, on the pages and in the API."""

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import django_filters
from django import forms
from django.db import models
from django.db.models import Exists, OuterRef, QuerySet
from django.forms.utils import flatatt
from django.utils.choices import CallableChoiceIterator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.widgets import BooleanWidget, DateRangeWidget

from markets.dates import validate_sane_day_range
from markets.models import (
    Content,
    EventKind,
    Language,
    Market,
    Mode,
    ModeEvent,
    Publication,
    Region,
    Source,
    SourceKind,
    StatusSet,
    in_language,
    market_label,
    source_label,
)

# Browsers show their own date picker for type="date"; it posts ISO dates, whatever
# the interface language, so the value is rendered in ISO too.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_RANGE_INPUT = DateRangeWidget(attrs={"type": "date"})


class Options(list):
    """Choices, with the ``<option>`` elements that draw them, drawn once: kept with
    the choices (``DrawnChoices``), thousands of them are not escaped again for every
    form."""

    def __init__(self, choices: Iterable[tuple[str, str]]) -> None:
        super().__init__(choices)
        self.html = format_html_join("\n", '<option value="{}">{}</option>', self)

    def chosen(self, values: Iterable[str]) -> SafeString:
        """The elements, with those of ``values`` selected."""
        html = str(self.html)
        for value in values:
            html = html.replace(
                format_html('<option value="{}">', value),
                format_html('<option value="{}" selected>', value),
                1,
            )
        return mark_safe(html)  # noqa: S308


class LazySelect(forms.Select):
    """A select whose choices come from a callable, read once when the form is drawn.

    A filter is never required, and not asking the widget whether it is spares a
    second reading of the choices (a second query). It writes the same HTML as
    Django's select template, but in Python, from ``Options`` drawn once: with
    thousands of sources, drawing each option through a template costs more than the
    whole rest of the page.
    """

    def use_required_attribute(self, initial: object) -> bool:
        return False

    def render(
        self,
        name: str,
        value: object,
        attrs: dict | None = None,
        renderer: object = None,
    ) -> SafeString:
        choices = self.choices
        if isinstance(choices, CallableChoiceIterator):
            choices = choices.func()
        if not isinstance(choices, Options):
            choices = Options(choices)
        return format_html(
            '<select name="{}"{}>\n{}\n</select>',
            name,
            flatatt(self.build_attrs(self.attrs, attrs)),
            choices.chosen(str(item) for item in self.format_value(value)),
        )


class AnyYesNoWidget(BooleanWidget):
    """Yes / no, or any: the empty choice submits nothing, so the address stays short."""

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


class ExistsFilterMixin:
    """A filter across a to-many relation, asked as EXISTS rather than with a join.

    A join repeats a row once per match, which DISTINCT must then undo over the whole
    filtered table; EXISTS keeps each row once, so a list still walks the index of its
    own order and stops after a page.
    """

    def filter(self, queryset: QuerySet, value: object) -> QuerySet:
        if value in EMPTY_VALUES:
            return queryset
        conditions = {f"{self.field_name}__{self.lookup_expr}": value}
        if not getattr(self.parent, "sees_drafts", False):
            conditions |= published_along(queryset.model, self.field_name)
        matching = queryset.model._default_manager.filter(
            pk=OuterRef("pk"), **conditions
        )
        return queryset.filter(Exists(matching))


def published_along(model: type[models.Model], path: str) -> dict[str, str]:
    """Lookups keeping every record a filter's path passes through published.

    ``markets__code=XK`` must not find the events of a draft market XK, nor
    ``evidence__source__slug`` those resting on a draft source: either would tell the
    public that the draft exists. Given in the same ``filter()`` call as the match, each
    condition holds for the very row that matches.
    """
    conditions = {}
    hops: list[str] = []
    for name in path.split("__"):
        field = model._meta.get_field(name)
        if not field.is_relation:
            break
        hops.append(name)
        model = field.related_model
        if issubclass(model, Content):
            conditions["__".join([*hops, "publication"])] = Publication.PUBLISHED
    return conditions


class RelatedCharFilter(ExistsFilterMixin, django_filters.CharFilter):
    pass


class ChoiceFilter(django_filters.ChoiceFilter):
    """django-filter's, drawn by ``LazySelect``: Django's select template costs about
    a millisecond a filter, even for eight choices."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", LazySelect)
        super().__init__(*args, **kwargs)


class RelatedChoiceFilter(ExistsFilterMixin, ChoiceFilter):
    pass


class DrawnChoices:
    """A filter's choices, drawn from the record when a form is drawn, never on import.

    The record draws them and does not keep them. What keeps drawings between forms
    (the caching app, an outer layer the record never imports) sets ``keeper`` when
    the site starts, and is then handed every drawing with its ``kind``: the pages,
    the API and the followers' forms all read the same kept choices. Left unset, each
    form draws its own. Shared, unchanged, by every copy of a filter.
    """

    #: ``keeper(kind, draw)`` gives ``draw()``, or what it gave before while that holds.
    keeper: ClassVar[Callable[[str, Callable[[], Any]], Any] | None] = None

    def __init__(self, kind: str, draw: Callable[[], Any]) -> None:
        self.kind = kind
        self.draw = draw

    def __call__(self) -> Any:
        if DrawnChoices.keeper is None:
            return self.draw()
        return DrawnChoices.keeper(self.kind, self.draw)

    def __deepcopy__(self, memo: dict) -> "DrawnChoices":
        return self


def drawn_options(
    kind: str, rows: Callable[[], QuerySet], option: Callable[..., tuple[str, str]]
) -> DrawnChoices:
    """The empty choice, then the one ``option`` makes of each of the ``rows()``."""
    return DrawnChoices(
        kind, lambda: Options([("", "---------"), *(option(*row) for row in rows())])
    )


#: Published markets by code.
market_choices = drawn_options(
    "market-choices",
    lambda: Market.objects.published().values_list("code", "name_zh", "name_en"),
    lambda code, *names: (code, market_label(code, *names)),
)

#: Published markets' names alone by code, in the reader's language: what a page
#: or a mail saying what is followed calls a market (alerts).
market_name_choices = drawn_options(
    "market-names",
    lambda: Market.objects.published().values_list("code", "name_zh", "name_en"),
    lambda code, *names: (code, in_language(*names)),
)

#: Regions by code, as the region filters offer them.
region_choices = drawn_options(
    "region-choices",
    lambda: Region.objects.values_list("code", "name_zh", "name_en"),
    lambda code, *names: (code, in_language(*names)),
)

#: Published sources by slug: plain rows, since two thousand sources made into models
#: cost more than the page.
source_choices = drawn_options(
    "source-choices",
    lambda: Source.objects.published().values_list("slug", "publisher", "title"),
    lambda slug, publisher, title: (slug, source_label(publisher, title)),
)


def market_filter(markets: str, label: str) -> RelatedCharFilter:
    """A market by its ISO code, through the relation named ``markets``."""
    return RelatedCharFilter(
        field_name=f"{markets}__code",
        lookup_expr="iexact",
        label=label,
        widget=LazySelect(choices=market_choices),
    )


def region_filter(markets: str, label: str) -> RelatedChoiceFilter:
    """The markets of a region, by the region's code, through the relation ``markets``."""
    return RelatedChoiceFilter(
        field_name=f"{markets}__region__code",
        choices=region_choices,
        label=label,
    )


class FactFilterSet(django_filters.FilterSet):
    """The filters every fact offers: a source it rests on, and whether it is disputed."""

    source = RelatedCharFilter(
        field_name="evidence__source__slug",
        label=_("Source (slug)"),
        widget=LazySelect(choices=source_choices),
    )
    disputed = django_filters.BooleanFilter(
        field_name="dispute",
        lookup_expr="isnull",
        exclude=True,
        label=_("Disputed"),
        widget=AnyYesNoWidget,
    )


class ModeEventFilterSet(FactFilterSet):
    mode = ChoiceFilter(choices=Mode.choices, label=_("Mode"))
    kind = ChoiceFilter(choices=EventKind.choices, label=_("What happened"))
    status = ChoiceFilter(
        field_name="status_set", choices=StatusSet.choices, label=_("Status it sets")
    )
    market = market_filter("markets", _("Market (ISO code)"))
    region = region_filter("markets", _("Region"))
    date = django_filters.DateFromToRangeFilter(
        validators=[validate_sane_day_range],
        label=_("Date between"),
        help_text=_("Compared on the earliest day each event's precision allows."),
        widget=DATE_RANGE_INPUT,
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
    kind = ChoiceFilter(choices=SourceKind.choices, label=_("Kind"))
    language = ChoiceFilter(choices=Language.choices, label=_("Language"))
    publisher = django_filters.CharFilter(lookup_expr="icontains", label=_("Publisher"))
    reported_via = RelatedCharFilter(
        field_name="reported_via__slug",
        label=_("Reported via (slug)"),
        widget=LazySelect(choices=source_choices),
    )
    published = django_filters.DateFromToRangeFilter(
        field_name="published_on",
        validators=[validate_sane_day_range],
        label=_("Published between"),
        widget=DATE_RANGE_INPUT,
    )

    class Meta:
        model = Source
        fields = ["kind", "language", "publisher", "reported_via", "published"]
