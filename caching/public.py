"""What the public sees, as HTTP caches may keep it: one address for each answer, a
304 to a reader who holds the current one, and leave for shared caches to keep it.

A page reads only the query parameters it understands (``read_only``); its answer is
validated by the versions of the parts of the record it shows (caching.versions) and
kept under the revisions of the tables it was drawn from (caching.kept). Analysts,
who see drafts, are never served from it.
"""

import datetime
import functools
from collections.abc import Callable, Collection, Iterable, Sequence

from django import forms
from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
)
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_vary_headers,
)
from django.utils.http import http_date
from django_filters import FilterSet
from django_filters.widgets import SuffixedMultiWidget

from caching.kept import kept_drawing
from caching.versions import EVERY_PART, last_changed, versioned_key
from markets.models import RecordPart

#: The headers a drawn response keeps in the cache: pagination's links, a file's name.
KEPT_HEADERS = ("Link", "Content-Disposition")


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


def read_only(
    request: HttpRequest, names: Collection[str]
) -> HttpResponseRedirect | None:
    """Leave the request only the query parameters in ``names``, in the order sent;
    answer an address carrying anything else with a redirect to the address without it.

    What a response shows, the key it is cached under and the addresses it links back
    to (next pages, the language switch, the feed) then depend on those alone: a
    tracking tag or junk parameter neither makes a new entry nor is handed on. The
    redirect (None when the address is already its own canonical form) is kept by no
    cache, so a shared cache in front, which keys what it keeps by the whole address,
    keeps only addresses the page understands: junk cannot fill it. The values of
    the parameters it reads are left as sent, however encoded: the redirect is for
    names the page does not read.
    """
    kept = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in names:
            kept.setlist(name, values)
    kept._mutable = False
    unread = request.GET.keys() - kept.keys()
    request.GET = kept
    request.META["QUERY_STRING"] = kept.urlencode()
    if not unread:
        return None
    response = HttpResponseRedirect(request.get_full_path())
    add_never_cache_headers(response)
    return response


def reads_parameters(
    *names: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A view function that reads only the query parameters ``names`` (none, for a
    fixed file) and redirects any other, as ``read_only``: outermost, so that no
    caching decorator inside marks the redirect as shareable."""

    def decorator(
        view: Callable[..., HttpResponseBase],
    ) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def read(
            request: HttpRequest, *args: object, **kwargs: object
        ) -> HttpResponseBase:
            return read_only(request, names) or view(request, *args, **kwargs)

        return read

    return decorator


def request_key(
    request: HttpRequest, *parts: object, reads: Iterable[RecordPart] = EVERY_PART
) -> str:
    """A key for what the public sees at this address: host, path, every parameter
    left (``read_only``), under the versions of the parts it ``reads``.

    The host counts because responses link to themselves (next pages) absolutely.
    """
    query = sorted(
        (name, value) for name, values in request.GET.lists() for value in values
    )
    return versioned_key(
        request.scheme, request.get_host(), request.path, query, *parts, reads=reads
    )


class _NotKept(Exception):  # noqa: N818
    """A drawn answer other than a 200, answered as drawn and never kept."""

    def __init__(self, response: HttpResponseBase) -> None:
        self.response = response


def _stored(draw: Callable[[], HttpResponseBase]) -> tuple[bytes, str, dict]:
    response = draw()
    if response.status_code != 200:
        raise _NotKept(response)
    if hasattr(response, "render"):
        response.render()
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    return response.content, response["Content-Type"], headers


def served_to_the_public(
    request: HttpRequest,
    parts: Sequence[object],
    draw: Callable[[], HttpResponseBase],
    *,
    reads: Iterable[RecordPart] = EVERY_PART,
) -> HttpResponseBase:
    """What the public sees at this address, as HTTP caches may keep it.

    ``parts`` name the answer besides its address and language. A reader holding the
    current answer (If-None-Match, If-Modified-Since, from the versions of the parts
    of the record it ``reads``) gets a 304 before anything is read or drawn. Otherwise
    the answer is kept under the revisions of the tables its drawing read
    (``kept_drawing``): a write that reaches none of them leaves it in use. Only a
    drawn 200 is kept; anything else is answered as drawn.
    """
    reads = tuple(reads)
    key = request_key(request, *parts, reads=reads)
    etag = '"' + key.removeprefix("loopwatch:") + '"'
    modified = last_changed(reads)
    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(modified.timestamp())
    )
    if not_modified is not None:
        return shareable(not_modified, etag, modified)
    try:
        content, content_type, headers = kept_drawing(
            "answer", request_key(request, *parts, reads=()), lambda: _stored(draw)
        )
    except _NotKept as unkept:
        return unkept.response
    response = HttpResponse(content, content_type=content_type, headers=headers)
    return shareable(response, etag, modified)


def shareable(
    response: HttpResponseBase, etag: str, modified: datetime.datetime
) -> HttpResponseBase:
    """Validators, and leave for shared caches (a reverse proxy, a CDN) to keep the
    answer briefly and to serve it stale while they ask again."""
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = (
        "public, max-age=0, "
        f"s-maxage={settings.LOOPWATCH_SHARED_CACHE_SECONDS}, "
        f"stale-while-revalidate={settings.LOOPWATCH_STALE_WHILE_REVALIDATE_SECONDS}"
    )
    # The language comes from the cookie or Accept-Language; a list's format from
    # Accept.
    patch_vary_headers(response, ("Accept", "Accept-Language", "Cookie"))
    return response
