"""What a follower follows: a query of the event list's filters, kept to those
filters, and described in words for pages and mails."""

import datetime
import functools
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from markets.filtersets import DrawnChoices, ModeEventFilterSet, market_name_choices
from markets.models import ModeEvent

# --- What is followed ----------------------------------------------------------------

#: How much of a filter's label or value a page or a mail shows, on one line.
FOLLOWED_VALUE_LENGTH = 80

#: Filters a follower reads under another label, their values by name alone. The
#: list's picker offers "JP · 日本" under "Market (ISO code)", the API's parameter, to
#: be chosen by code or by name; what is followed reads "市场: 日本".
FOLLOWED_BY_NAME: dict[str, tuple[str, DrawnChoices]] = {
    "market": (_("Market"), market_name_choices),
}


@functools.cache
def followed_fields() -> dict[str, tuple[list[str], bool]]:
    """Each filter of the event list, with the query keys it reads (``date`` reads
    ``date_after`` and ``date_before``) and whether it takes several values."""
    form = ModeEventFilterSet(queryset=ModeEvent.objects.none()).form
    fields = {}
    for name, field in form.fields.items():
        widget = field.widget
        if hasattr(widget, "suffixes"):  # django-filter's range widgets
            keys = [widget.suffixed(name, suffix) for suffix in widget.suffixes]
        elif isinstance(widget, forms.MultiWidget):
            keys = [f"{name}{suffix}" for suffix in widget.widgets_names]
        else:
            keys = [name]
        fields[name] = (keys, getattr(widget, "allow_multiple_selected", False))
    return fields


def followed_query(data: QueryDict) -> tuple[str, ModeEventFilterSet]:
    """The event list's filters among ``data``, as a canonical query string, with the
    bound FilterSet that validates them.

    Only the keys a filter reads are kept, each with the one value it reads (the
    last, as Django's forms read it) unless it takes several.
    """
    read = {
        key: several for keys, several in followed_fields().values() for key in keys
    }
    kept = QueryDict(mutable=True)
    for key, several in sorted(read.items()):
        values = [value for value in data.getlist(key) if value]
        if values:
            kept.setlist(key, values if several else values[-1:])
    return kept.urlencode(), ModeEventFilterSet(
        kept, queryset=ModeEvent.objects.published()
    )


def matching_events(query: str, event_ids: Iterable[int]) -> set[int]:
    """Those of ``event_ids`` the event list ``query`` shows to the public."""
    _, filterset = followed_query(QueryDict(query))
    if not filterset.is_valid():
        return set()
    return set(filterset.qs.filter(pk__in=list(event_ids)).values_list("pk", flat=True))


def one_line(text: object, limit: int = FOLLOWED_VALUE_LENGTH) -> str:
    """``text`` as one line a page or a plain-text mail can show: no control or
    format character (newlines, bidi overrides), spaces collapsed, at most ``limit``
    characters."""
    kept = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char
        for char in str(text)
    )
    kept = " ".join(kept.split())
    return kept if len(kept) <= limit else f"{kept[: limit - 1]}…"


def offered_choices(field: forms.Field) -> dict[str, str] | None:
    """The values a filter offers, by their case-folded value, with their labels;
    None for a filter that offers no list (a date, a yes or no)."""
    if isinstance(field, forms.NullBooleanField):
        return None
    choices = getattr(field, "choices", None)
    if choices is None and isinstance(field.widget, forms.Select):
        # A free-text filter drawn as a list (a market, a source): the list is what
        # it means, and what may be followed.
        choices = field.widget.choices
    if choices is None:
        return None
    return labelled(choices)


def labelled(choices: Iterable) -> dict[str, str]:
    """``choices`` by their case-folded value, with their labels."""
    offered = {}
    # Iterated, never len() or bool(): choices read from the database are a lazy
    # iterator over a callable, which has no length.
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group of choices
            offered |= {str(v).casefold(): str(lbl) for v, lbl in label}
        elif value not in ("", None):
            offered[str(value).casefold()] = str(label)
    return offered


@dataclass(frozen=True)
class FollowedFilter:
    name: str
    label: str
    #: What the filter keeps, in words; empty when the value is not one it knows.
    shown: str
    #: Why the value cannot be followed; empty when it can.
    problem: str = ""


def day_of(moment: datetime.date | None) -> str:
    """The day of a range's end, as the reader wrote it: a date range's field cleans
    it to the first or last moment of that day."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        moment = moment.date()
    return moment.isoformat() if moment else ""


def shown_value(
    field: forms.Field, value: object, names: DrawnChoices | None = None
) -> tuple[str, str]:
    """A filter's cleaned ``value`` in words (by ``names`` where given), or why it is
    not a value it knows."""
    if isinstance(value, slice):  # a range of dates
        start, stop = (day_of(end) for end in (value.start, value.stop))
        if start and stop:
            return _("%(start)s to %(stop)s") % {"start": start, "stop": stop}, ""
        if start:
            return _("from %(start)s") % {"start": start}, ""
        return _("until %(stop)s") % {"stop": stop}, ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No")), ""
    if isinstance(value, datetime.date):
        return value.isoformat(), ""
    items = list(value) if isinstance(value, list | tuple | QuerySet) else [value]
    offered = offered_choices(field) if names is None else labelled(names())
    if offered is None:
        return ", ".join(str(item) for item in items), ""
    shown = []
    for item in items:
        key = str(getattr(item, "pk", item)).casefold()
        if key not in offered and str(item).casefold() not in offered:
            return "", str(_("Not one of the values this list offers."))
        shown.append(offered.get(key) or offered[str(item).casefold()])
    return ", ".join(shown), ""


def followed_filters(query: str) -> list[FollowedFilter]:
    """Each filter ``query`` sets, in the FilterSet's order: its label, its value in
    words, or the reason it cannot be followed.

    The words are the list's own labels (a choice's, a market's name in the reader's
    language: FOLLOWED_BY_NAME), a date or a yes or no, never text copied from the
    query: whatever a reader typed in the address never reaches a page or a mail.
    """
    _query, filterset = followed_query(QueryDict(query))
    form = filterset.form
    form.is_valid()
    fields = followed_fields()
    found = []
    for name, field in form.fields.items():
        if not any(key in filterset.data for key in fields[name][0]):
            continue
        label, names = FOLLOWED_BY_NAME.get(name, (field.label, None))
        if name in form.errors:
            shown, problem = "", one_line(" ".join(form.errors[name]), 200)
        else:
            shown, problem = shown_value(field, form.cleaned_data.get(name), names)
        found.append(FollowedFilter(name, one_line(label), one_line(shown), problem))
    return found


def followable_query(query: str) -> str:
    """``query`` as it is followed (canonical), or a ValidationError saying which
    filter cannot be followed: an invalid value, or one the list does not offer (a
    market or a source that is not published)."""
    problems = "; ".join(
        f"{followed.label}: {followed.problem}"
        for followed in followed_filters(query)
        if followed.problem
    )
    if problems:
        raise ValidationError(
            _("These filters cannot be followed: %(problems)s"),
            code="invalid_filters",
            params={"problems": problems},
        )
    return followed_query(QueryDict(query))[0]


def describe_query(query: str) -> list[tuple[str, str]]:
    """The followed filters as (label, value) for people, each on one line."""
    return [
        (followed.label, followed.shown or str(_("(not a valid value)")))
        for followed in followed_filters(query)
    ]
