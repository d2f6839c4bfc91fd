"""What the public sees is cached under the record's version, which every write raises.

The status on a day, a page of events or the choices of a filter change only when the
record does, and the record changes only through saves, deletions and changes of
many-to-many links, each of which raises RecordVersion in its own transaction
(markets.signals). A reader sees the new number exactly when it sees the new data, in
whichever process, so every key made under the old number is out of use from then on;
no key is ever looked for or deleted. The cache may be each process's own memory (the
default) or shared (CACHE_URL). Analysts, who see drafts, are never served from it.
"""

import functools
import hashlib
from collections.abc import Callable, Collection
from contextvars import ContextVar
from functools import wraps
from typing import TypeVar

from django import forms
from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.translation import get_language
from django_filters import FilterSet
from django_filters.widgets import SuffixedMultiWidget

from markets.models import RecordVersion

#: How long an entry is kept at most; a new record version retires it earlier.
TIMEOUT = 60 * 60 * 24
# The version as this request has read it: one query a request, however many keys.
_read_in_request: ContextVar[dict[str, int] | None] = ContextVar(
    "record_version", default=None
)

T = TypeVar("T")


def record_version() -> int:
    """The record's version, as this transaction sees it; read once per request."""
    read = _read_in_request.get()
    if read is not None and "number" in read:
        return read["number"]
    number = RecordVersion.objects.values_list("number", flat=True).first()
    if number is None:
        number = RecordVersion.objects.create().number
    if read is not None:
        read["number"] = number
    return number


def record_changed() -> None:
    """Raise the record's version: whatever was cached under the old one is retired."""
    if not RecordVersion.objects.update(number=F("number") + 1):
        RecordVersion.objects.create(number=2)
    read = _read_in_request.get()
    if read is not None:
        read.clear()


class RecordVersionMiddleware:
    """Lets a request read the record's version once, for all the keys it makes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _read_in_request.set({})
        try:
            return self.get_response(request)
        finally:
            _read_in_request.reset(token)


def versioned_key(*parts: object) -> str:
    """A cache key for ``parts`` in the active language and the record's version."""
    text = "|".join(str(part) for part in (*parts, get_language(), record_version()))
    return "loopwatch:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def form_parameters(form_class: type[forms.BaseForm]) -> frozenset[str]:
    """The query parameters a form reads: each field's name, or for a field of several
    inputs (a date range) the name of each: ``date_after``, ``date_before``."""
    names = set()
    for name, field in form_class.base_fields.items():
        widget = field.widget
        if isinstance(widget, SuffixedMultiWidget):
            names.update(widget.suffixed(name, suffix) for suffix in widget.suffixes)
        elif isinstance(widget, forms.MultiWidget):
            names.update(f"{name}{suffix}" for suffix in widget.widgets_names)
        else:
            names.add(name)
    return frozenset(names)


@functools.cache
def filterset_parameters(filterset_class: type[FilterSet]) -> frozenset[str]:
    """The query parameters a FilterSet reads, through the form it builds."""
    return form_parameters(filterset_class().get_form_class())


def read_only(request: HttpRequest, names: Collection[str]) -> None:
    """Leave the request only the query parameters in ``names``, in a fixed order.

    What a response shows, the key it is cached under and the addresses it links back
    to (next pages, the language switch, the feed) then depend on those alone: a
    tracking tag or junk parameter neither makes a new entry nor is handed on.
    """
    kept = QueryDict(mutable=True)
    for name in sorted(names):
        if name in request.GET:
            kept.setlist(name, request.GET.getlist(name))
    kept._mutable = False
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()


def request_key(request: HttpRequest, *parts: object) -> str:
    """A key for what the public sees at this address: host, path, every parameter
    left (``read_only``).

    The host counts because responses link to themselves (next pages) absolutely.
    """
    query = sorted(
        (name, value) for name, values in request.GET.lists() for value in values
    )
    return versioned_key(
        request.scheme, request.get_host(), request.path, query, *parts
    )


def cached(key: str, compute: Callable[[], T]) -> T:
    """The value under ``key``, computed and stored on a miss."""
    return cache.get_or_set(key, compute, TIMEOUT)


def cached_per_version(function: Callable[[], T]) -> Callable[[], T]:
    """A function without arguments whose result is read once per record version."""

    @wraps(function)
    def read() -> T:
        return cached(
            versioned_key(function.__module__, function.__qualname__), function
        )

    return read
