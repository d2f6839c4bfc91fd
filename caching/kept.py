"""What the public sees is kept under the revisions of the tables it was drawn from, and
validated by the versions of the parts of the record it shows.

Every table of the record has a revision (TableRevision), which triggers raise on every
insert, update and delete, in the writing transaction, whoever writes. A drawing (a whole
answer, a page's keys, a filter's choices, the key of the status answer) is kept under
the revisions of the tables it read, as the request saw them before drawing
(``kept_drawing``): a write retires exactly what read a table it wrote, in every
process, and no key is ever looked for or deleted. An edit of a seller case leaves the
status grid alone.

The record is also in parts (markets.models.RecordPart): the status (markets, sources,
events, disputes), market figures, seller cases, each with a RecordVersion raised by
every save, deletion and link change. Those versions make the HTTP validators (ETag,
Last-Modified): a reader, or a reverse proxy, that holds the current answer is told so
with a 304, before anything is drawn. The cache may be each process's own memory (the
default) or shared (CACHE_URL), with what a process read lately held unpickled
(``RecentlyKept``). Analysts, who see drafts, are never served from it.
"""

import collections
import contextlib
import dataclasses
import datetime
import functools
import hashlib
import pickle
import re
import threading
from collections.abc import (
    Callable,
    Collection,
    Hashable,
    Iterable,
    Iterator,
    Sequence,
)
from contextvars import ContextVar
from typing import TypeVar

from django import forms
from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import F, OuterRef, QuerySet, Subquery
from django.dispatch import Signal
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    QueryDict,
)
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_vary_headers,
)
from django.utils.http import http_date
from django.utils.translation import get_language
from django_filters import FilterSet
from django_filters.widgets import SuffixedMultiWidget

from caching.triggers import revised_tables
from markets.models import RecordPart, RecordVersion, ShownRevision, TableRevision

#: How long an entry is kept at most; a new record version retires it earlier.
TIMEOUT = 60 * 60 * 24
#: What a read shows when it does not say: every part of the record.
EVERY_PART: tuple[RecordPart, ...] = tuple(RecordPart)
#: The headers a drawn response keeps in the cache: pagination's links, a file's name.
KEPT_HEADERS = ("Link", "Content-Disposition")

# The versions as this request has read them: one query a request, however many keys.
_read_in_request: ContextVar[dict | None] = ContextVar("record_versions", default=None)
# Whether this request (or command) has written what its transaction has not committed.
_wrote_uncommitted: ContextVar[bool] = ContextVar("wrote_uncommitted", default=False)

#: Sent, with the ``part``, by every write that raises a part's version, inside the
#: writing transaction: what follows a write once it commits listens here.
record_written = Signal()

T = TypeVar("T")
D = TypeVar("D")
Versions = dict[str, tuple[int, datetime.datetime]]


def record_versions() -> Versions:
    """Each part's version and when it last changed, as this transaction sees them, and
    the revision of each table written since it was counted (``kept_read``); read
    once per request, in one query."""
    read = _read_in_request.get()
    if read:
        return read
    versions = {
        name: (number, changed_at)
        for name, number, changed_at in RecordVersion.objects.values_list(
            "part", "number", "changed_at"
        ).union(
            TableRevision.objects.values_list("table_name", "number", "since"),
            all=True,
        )
    }
    for part in RecordPart:
        if part not in versions:
            row, _ = RecordVersion.objects.get_or_create(part=part)
            versions[part] = (row.number, row.changed_at)
    if read is not None:
        read.update(versions)
    return versions


def record_changed(part: RecordPart) -> None:
    """Raise a part's version: what was cached under the old one is retired."""
    raised = RecordVersion.objects.filter(part=part).update(
        number=F("number") + 1, changed_at=timezone.now()
    )
    if not raised:
        RecordVersion.objects.create(part=part, number=2)
    read = _read_in_request.get()
    if read is not None:
        read.clear()
    # Until the write commits, nothing drawn is kept: the counts it raised go back if
    # the transaction rolls back, and the next writer raises them to the same numbers.
    _wrote_uncommitted.set(True)
    transaction.on_commit(lambda: _wrote_uncommitted.set(False))
    record_written.send(sender=RecordVersion, part=part)


class RecordVersionMiddleware:
    """Lets a request read the record's versions once, for all the keys it makes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _read_in_request.set({})
        wrote = _wrote_uncommitted.set(False)
        try:
            return self.get_response(request)
        finally:
            _read_in_request.reset(token)
            _wrote_uncommitted.reset(wrote)


def versioned_key(*parts: object, reads: Iterable[RecordPart] = EVERY_PART) -> str:
    """A cache key for ``parts`` in the running release, the active language and the
    versions of the parts of the record it ``reads``; the ETags are made from it."""
    versions = record_versions()
    numbers = [f"{part}={versions[part][0]}" for part in sorted(reads)]
    text = "|".join(
        str(part) for part in (settings.RELEASE, *parts, get_language(), *numbers)
    )
    return "loopwatch:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def last_changed(reads: Iterable[RecordPart] = EVERY_PART) -> datetime.datetime:
    """When what a read shows last changed: its parts' latest write, or the start of
    today, since an answer without a day of its own is today's."""
    versions = record_versions()
    midnight = timezone.make_aware(
        datetime.datetime.combine(timezone.localdate(), datetime.time())
    )
    return max(midnight, *(versions[part][1] for part in reads))


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


class RecentlyKept:
    """What this process lately read from the cache or put in it, already unpickled.

    Every key ``drawn_once`` makes names what its value shows (versions, revisions, the
    ids of rows written anew on every change), so a key stands for one value for as long
    as the database lives: holding it here never serves what a write made stale, and it
    spares the shared cache's round trip and the unpickling (a status answer's 747 cells,
    a select of 2,000 sources). The least recently used are forgotten past ``budget``
    bytes, as pickled; a value of more than an eighth of it is not held. Values are
    shared by the requests that read them: nothing may change one in place.
    """

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.held = 0
        self._values: collections.OrderedDict[str, tuple[object, int]] = (
            collections.OrderedDict()
        )
        self._lock = threading.Lock()

    def get_many(self, keys: Iterable[str]) -> dict[str, object]:
        with self._lock:
            found = {key: self._values[key][0] for key in keys if key in self._values}
            for key in found:
                self._values.move_to_end(key)
        return found

    def set_many(self, values: dict[str, object]) -> None:
        weighed = {key: (value, self.weight(value)) for key, value in values.items()}
        with self._lock:
            for key, (value, weight) in weighed.items():
                if weight > self.budget // 8:
                    continue
                if key in self._values:
                    self.held -= self._values.pop(key)[1]
                self._values[key] = (value, weight)
                self.held += weight
            while self.held > self.budget:
                self.held -= self._values.popitem(last=False)[1][1]

    @staticmethod
    def weight(value: object) -> int:
        if isinstance(value, str | bytes):
            return len(value)
        return len(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))

    def clear(self) -> None:
        """Forget everything: for a database begun again, whose ids mean other rows
        (a test's)."""
        with self._lock:
            self._values.clear()
            self.held = 0


recently_kept = RecentlyKept(budget=64 * 1024 * 1024)


def forget_everything_kept() -> None:
    """Empty every cache, and what this process holds: for a database begun again,
    whose ids and revisions name other rows (a test's, or one restored from a dump)."""
    for each in caches.all():
        each.clear()
    recently_kept.clear()


def drawn_once(
    kind: str,
    items: Sequence[T],
    key_of: Callable[[T], Hashable | None],
    draw: Callable[[Sequence[T]], list[D]],
) -> list[D]:
    """Each item drawn (as HTML, a dict, ...), kept in the cache under its own key.

    ``key_of`` names everything the item's drawing depends on besides the language, or
    None where it may not be kept; ``draw`` draws the items not kept yet, in one go, so
    that what they need is read once for all of them. The keys carry no record
    version: a write changes the keys of the items it changes (a rewritten status span
    has a new id), and leaves every other item's drawing where it is.
    """
    keys = [
        None if (key := key_of(item)) is None else kept_key(kind, key) for item in items
    ]
    kept = look_up({key for key in keys if key is not None})
    missing = [
        position for position, key in enumerate(keys) if key is None or key not in kept
    ]
    if not missing:
        return [kept[key] for key in keys]
    drawn = dict(
        zip(missing, draw([items[position] for position in missing]), strict=True)
    )
    keep({keys[position]: value for position, value in drawn.items() if keys[position]})
    return [
        drawn[position] if position in drawn else kept[key]
        for position, key in enumerate(keys)
    ]


def kept_key(kind: str, key: Hashable) -> str:
    """The cache key of what ``key`` names, in the running release and the active
    language: what other code or templates drew is never served."""
    text = f"{settings.RELEASE}|{get_language()}|{key}".encode()
    return f"loopwatch:{kind}:" + hashlib.blake2b(text, digest_size=16).hexdigest()


def look_up(keys: Collection[str]) -> dict[str, object]:
    """What is kept under ``keys``: first what this process holds, then the cache."""
    kept = recently_kept.get_many(keys)
    if len(kept) < len(keys):
        shared = cache.get_many(set(keys) - kept.keys())
        recently_kept.set_many(shared)
        kept |= shared
    return kept


def keep(values: dict[str, object]) -> None:
    """Keep ``values``, unless they may have been drawn from writes not committed yet."""
    if _wrote_uncommitted.get():
        return
    cache.set_many(values, TIMEOUT)
    recently_kept.set_many(values)


@functools.cache
def _table_names() -> tuple[re.Pattern[str], frozenset[str], frozenset[str]]:
    """A pattern finding the project's tables a query names; those of them a
    TableRevision counts; and those that hold the counts themselves."""
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
    }
    names = "|".join(sorted(map(re.escape, tables)))
    counts = frozenset(model._meta.db_table for model in (RecordVersion, TableRevision))
    return re.compile(rf"\b({names})\b"), frozenset(revised_tables(apps)), counts


def tables_named(sql: str) -> frozenset[str] | None:
    """The tables ``sql`` reads, or None where a revision counts the writes of only
    some of them. The tables of the counts themselves are what reads are kept under,
    not what they show: they are left out."""
    pattern, revised, counts = _table_names()
    named = frozenset(pattern.findall(sql)) - counts
    return named if named <= revised else None


@dataclasses.dataclass
class TablesRead:
    """The tables a piece of work read, as far as their revisions tell (``tables_read``)."""

    names: set[str] = dataclasses.field(default_factory=set)
    #: False once it read a table no revision counts: nothing it made may be kept.
    counted: bool = True

    def add(self, tables: frozenset[str] | None) -> None:
        if tables is None:
            self.counted = False
        else:
            self.names |= tables

    def add_sql(self, sql: str) -> None:
        self.add(tables_named(sql))

    @property
    def tables(self) -> frozenset[str] | None:
        return frozenset(self.names) if self.counted else None


_reading: ContextVar[TablesRead | None] = ContextVar("tables_read", default=None)


@contextlib.contextmanager
def tables_read() -> Iterator[TablesRead]:
    """The tables named by every query run inside, on any database, and by every kept
    read inside, which may run none. Reading the record's versions does not count:
    they are what a kept read is keyed by, not what it shows."""
    reads = TablesRead()
    outer = _reading.get()
    token = _reading.set(reads)

    def note(execute, sql, params, many, context):  # noqa: ANN001, ANN202
        reads.add_sql(sql)
        return execute(sql, params, many, context)

    try:
        with contextlib.ExitStack() as wrappers:
            for connection in connections.all():
                wrappers.enter_context(connection.execute_wrapper(note))
            yield reads
    finally:
        _reading.reset(token)
        if outer is not None:
            outer.add(reads.tables)


def kept_read(kind: str, queryset: QuerySet, read: Callable[[QuerySet], T] = list) -> T:
    """``read(queryset)`` (its rows, unless told), kept under the queryset's SQL and
    the revisions of the tables it names: read again only once a write reaches one of
    them. The revisions are read before the rows, so nothing older than them is ever
    kept under them. A query naming a table no revision counts is read every time.
    """
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        # Nothing can match (``pk__in=[]``): the database is not asked.
        return read(queryset)
    return _kept(kind, (sql, params), tables_named(sql), lambda: read(queryset))


#: The tables each ``kept_drawing`` read when it was last drawn, in this process.
_tables_drawn: dict[Hashable, frozenset[str] | None] = {}
_TABLES_DRAWN_KEPT = 4096


def kept_drawing(kind: str, given: Hashable, draw: Callable[[], T]) -> T:
    """``draw()``, kept under the revisions of every table it read: drawn again only
    once a write reaches one of them.

    ``given`` names everything the drawing depends on besides the language, the day and
    what it reads from the database: a request's address, a query's parts. The tables
    are learnt as it is drawn (``tables_read``), and the revisions are those the
    request read before drawing. Found under the tables it read last time: an entry is
    stored under exactly the tables its drawing read, so if their revisions still hold,
    the data it read and the way it went are the same. A drawing that reads a table no
    revision counts is drawn every time.
    """
    learnt = (kind, given, timezone.localdate())
    versions = record_versions()
    if (tables := _tables_drawn.get(learnt)) is not None:
        key = _revised_key(kind, learnt, tables, versions)
        if key in (found := look_up([key])):
            if (reading := _reading.get()) is not None:
                reading.add(tables)
            return found[key]
    with tables_read() as reads:
        value = draw()
    while len(_tables_drawn) >= _TABLES_DRAWN_KEPT:
        _tables_drawn.pop(next(iter(_tables_drawn)), None)
    _tables_drawn[learnt] = tables = reads.tables
    if tables is not None:
        keep({_revised_key(kind, learnt, tables, versions): value})
    return value


def _revised_key(
    kind: str, given: Hashable, tables: frozenset[str], versions: Versions
) -> str:
    revisions = tuple((table, versions.get(table)) for table in sorted(tables))
    return kept_key(f"drawn:{kind}", (given, revisions))


def _kept(
    kind: str, given: Hashable, tables: frozenset[str] | None, compute: Callable[[], T]
) -> T:
    if (reading := _reading.get()) is not None:
        # Whatever is made from this read depends on the same tables.
        reading.add(tables)
    if tables is None:
        return compute()
    key = _revised_key(f"read:{kind}", given, tables, record_versions())
    if key in (found := look_up([key])):
        return found[key]
    value = compute()
    keep({key: value})
    return value


def keyed_rows(queryset: QuerySet, columns: Collection[str]) -> QuerySet:
    """The rows of ``queryset`` as the key of their JSON, with the ``columns`` a page's
    cursor reads: the id, when the row was created (an id a new database hands out
    again is another row) and its revision, raised by every write it shows."""
    revision = ShownRevision.objects.filter(
        listed=queryset.model._meta.label_lower, row_id=OuterRef("pk")
    ).values("number")[:1]
    return queryset.prefetch_related(None).values(
        "id", "created_at", *columns, revision=Subquery(revision)
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
