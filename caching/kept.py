"""What the public sees is kept under the revisions of the tables it was drawn from.

A drawing (a whole answer, a page's keys, a filter's choices, the key of the status
answer) is kept under the revisions of the tables it read (caching.tables), as the
request saw them before drawing (``kept_drawing``): a write retires exactly what read a
table it wrote, in every process, and no key is ever looked for or deleted. An edit of
a seller case leaves the status grid alone. The cache may be each process's own memory
(the default) or shared (CACHE_URL), with what a process read lately held unpickled
(``RecentlyKept``). Nothing drawn from a write not committed yet is kept
(caching.versions.write_heard).
"""

import collections
import hashlib
import pickle
import threading
from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import EmptyResultSet
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import get_language

from caching.tables import count_as_read, tables_named, tables_read
from caching.versions import Versions, record_versions, wrote_uncommitted
from markets.models import ShownRevision

#: How long an entry is kept at most; a new record version retires it earlier.
TIMEOUT = 60 * 60 * 24

T = TypeVar("T")
D = TypeVar("D")


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
    if wrote_uncommitted():
        return
    cache.set_many(values, TIMEOUT)
    recently_kept.set_many(values)


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


def kept_count(kind: str, queryset: QuerySet) -> int:
    """The rows of ``queryset`` counted, kept under the revisions of the tables the
    count read (``kept_drawing``). The rows' SQL names every column; the count's
    names only those it filters on, so a count of published cases is kept under the
    cases' listing (caching.listings), which an edit of a narrative leaves alone."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        # Nothing can match: counted without asking the database.
        return queryset.count()
    return kept_drawing(kind, (sql, repr(params)), queryset.count)


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
            count_as_read(tables)
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
    # Whatever is made from this read depends on the same tables.
    count_as_read(tables)
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
