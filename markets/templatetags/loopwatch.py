"""Template helpers for the public pages: languages, canonical URLs, admin links."""

import datetime
from typing import Any
from urllib.parse import urlencode

from django import forms, template
from django.db.models import Model, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from caching.kept import drawn_once
from markets.models import Market

register = template.Library()


@register.filter
def localized(obj, name: str) -> str:
    """``obj.localized(name)``: the active language's text, else the other one's."""
    return obj.localized(name)


@register.filter
def applied_filters(form: forms.Form) -> list[str]:
    """The labels of the fields the query string gives a value (a range's field by
    either of its ends, ``date_after`` or ``date_before``)."""
    given = [name for name, value in form.data.items() if value]
    return [
        str(field.label)
        for name, field in form.fields.items()
        if any(key == name or key.startswith(f"{name}_") for key in given)
    ]


@register.filter
def admin_change_url(obj: Model) -> str:
    """The admin page where an analyst edits ``obj``; empty if it has none."""
    meta = obj._meta
    try:
        return reverse(
            f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk]
        )
    except NoReverseMatch:
        return ""


@register.filter
def admin_changelist_url(rows: Model | QuerySet) -> str:
    """The admin list of ``rows``' model (a queryset or a record); empty if none."""
    meta = rows.model._meta if isinstance(rows, QuerySet) else rows._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def canonical_url(context: template.Context, **params: object) -> str:
    """This page's address to share: its path and the filters that shape it.

    Only parameters the page's filter form knows are kept (plus the page number past
    the first), in the form's order, so tracking tags and empty fields never make
    two addresses for one page. Keyword arguments add or replace parameters.
    """
    request = context["request"]
    filterset = context.get("filter")
    names = list(filterset.form.fields) if filterset is not None else []
    kept: list[tuple[str, str]] = []
    for name in names:
        # Range filters post name_after / name_before; keep them with their field.
        for key in sorted(request.GET):
            if key == name or key.startswith(f"{name}_"):
                kept += [(key, value) for value in request.GET.getlist(key) if value]
    page = context.get("page_obj")
    if page is not None and page.number > 1:
        kept.append(("page", str(page.number)))
    overrides = {key: str(value) for key, value in params.items() if value}
    kept = [(key, value) for key, value in kept if key not in overrides]
    kept += list(overrides.items())
    query = f"?{urlencode(kept)}" if kept else ""
    return request.build_absolute_uri(f"{request.path}{query}")


@register.filter
def market_links(markets: list[Market], day: datetime.date | None = None) -> str:
    """Each market as a link to its page, comma-separated, on ``day`` where given (the
    answer the sentence is of): a sentence of the answer names up to every market,
    which a template loop draws several times slower."""
    query = f"?as_of={day:%Y-%m-%d}" if day else ""
    return format_html_join(
        ", ",
        '<a class="market-link" href="{}{}">{}</a>',
        ((market.get_absolute_url(), query, str(market)) for market in markets),
    )


@register.simple_tag
def drawn(template_name: str, **objects: Any) -> str:
    """``template_name`` drawn with ``objects``, kept in the cache under their
    ``drawing_key`` (caching.kept.drawn_once): the same grid is drawn once. A plain
    value (a flag) stands for itself.

    The template sees the objects alone, never the request: what is kept holds
    nothing of one visitor.
    """

    def key(_name: str) -> tuple | None:
        keys = tuple(
            (name, getattr(obj, "drawing_key", obj)) for name, obj in objects.items()
        )
        if any(obj_key is None for _name, obj_key in keys):
            return None
        return (template_name, keys)

    def draw(names: list[str]) -> list[str]:
        return [render_to_string(name, objects) for name in names]

    return mark_safe(drawn_once("drawn", [template_name], key, draw)[0])  # noqa: S308
