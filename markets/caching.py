"""What the public sees is cached under the record's version, which every write raises.

The status on a day, a page of events or the choices of a filter change only when the
record does, and the record changes only through saves, deletions and changes of
many-to-many links, each of which raises RecordVersion in its own transaction
(markets.signals). Every key made under the old number is then out of use: in the
writing process at once, in the others within a second. No key is ever looked for or
deleted. The cache itself may be each
process's own memory (the default) or shared (CACHE_URL). Analysts, who see drafts,
are never served from it.
"""

import hashlib
import time
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest
from django.utils.translation import get_language

from markets.models import RecordVersion

#: How long an entry is kept at most; a new record version retires it earlier.
TIMEOUT = 60 * 60 * 24
#: How long a process trusts the version it last read, in seconds.
VERSION_TTL = 1.0

# (version, when it was read): this process's last reading.
_known: tuple[int | None, float] = (None, 0.0)

T = TypeVar("T")


def data_version() -> int:
    """The record's version: read from the database at most once a second.

    A process learns of another's write within a second, and of its own at once; a
    cached read thus costs no query at all.
    """
    global _known
    number, read_at = _known
    if number is None or time.monotonic() - read_at > VERSION_TTL:
        number = RecordVersion.objects.values_list("number", flat=True).first()
        if number is None:
            number = RecordVersion.objects.create().number
        _known = (number, time.monotonic())
    return number


def record_changed() -> None:
    """Raise the record's version: whatever was cached under the old one is retired."""
    if not RecordVersion.objects.update(number=F("number") + 1):
        RecordVersion.objects.create(number=2)
    forget_version()


def forget_version() -> None:
    """Read the version from the database next time (after a write, or a rollback)."""
    global _known
    _known = (None, 0.0)


def versioned_key(*parts: object) -> str:
    """A cache key for ``parts`` in the active language and the record's version."""
    text = "|".join(str(part) for part in (*parts, get_language(), data_version()))
    return "loopwatch:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def request_key(request: HttpRequest, *parts: object) -> str:
    """A key for what the public sees at this address: host, path, every parameter.

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
