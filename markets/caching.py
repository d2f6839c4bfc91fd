"""What the public sees is cached under one data version, which any write replaces.

The status on a day, a page of events or the choices of a filter change only when the
record does, and the record changes only through saves, deletions and changes of
many-to-many links, each of which sends a signal (markets.signals). Each of those
replaces the version once its transaction commits, so every key made with the old one
is out of use at once, whatever process made it: no key is ever looked for or deleted.
Analysts, who see drafts, are never served from the cache.
"""

import hashlib
import uuid
from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import get_language

VERSION_KEY = "loopwatch:data-version"
#: How long an entry is kept; a new data version retires it earlier.
TIMEOUT = 60 * 60 * 24

T = TypeVar("T")


def data_version() -> str:
    """The version of the record now; made when the cache has none yet."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY)
    return version


def record_changed() -> None:
    """Retire everything cached: at once, and again when the write commits.

    At once, so that this transaction's own next read sees its write; again at the
    commit, because another process may meanwhile have cached, under the first new
    version, what it read before the write was committed.
    """
    new_version()
    transaction.on_commit(new_version)


def new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def versioned_key(*parts: object) -> str:
    """A cache key for ``parts`` in the active language and the current data version."""
    text = "|".join(str(part) for part in (*parts, get_language(), data_version()))
    return "loopwatch:" + hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def request_key(request: HttpRequest, *parts: object) -> str:
    """A key for what the public sees at this address: path and every parameter."""
    query = sorted(
        (name, value) for name, values in request.GET.lists() for value in values
    )
    return versioned_key(request.path, query, *parts)


def cached(key: str, compute: Callable[[], T]) -> T:
    """The value under ``key``, computed and stored on a miss."""
    return cache.get_or_set(key, compute, TIMEOUT)


def cached_per_version(function: Callable[[], T]) -> Callable[[], T]:
    """A function without arguments whose result is read once per data version."""

    @wraps(function)
    def read() -> T:
        return cached(
            versioned_key(function.__module__, function.__qualname__), function
        )

    return read
