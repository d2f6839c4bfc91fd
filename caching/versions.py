"""The versions of the parts of the record, as a request reads them: what the HTTP
validators (ETag, Last-Modified) and the keys of the public's answers are made from.

The record is in parts (markets.models.RecordPart): the status (markets, sources,
events, disputes), market figures, seller cases, each with a RecordVersion the record
raises on every save, deletion and link change (markets.signals.record_changed), in the
writing transaction. Beside them, the revision of every table the public reads
(TableRevision), raised by database triggers (caching.triggers). A request reads both
once, in one query, however many keys it makes.
"""

import datetime
import hashlib
from collections.abc import Callable, Iterable
from contextvars import ContextVar

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from markets.models import RecordPart, RecordVersion, TableRevision

#: What a read shows when it does not say: every part of the record.
EVERY_PART: tuple[RecordPart, ...] = tuple(RecordPart)

# The versions as this request has read them: one query a request, however many keys.
_read_in_request: ContextVar[dict | None] = ContextVar("record_versions", default=None)
# Whether this request (or command) has written what its transaction has not committed.
_wrote_uncommitted: ContextVar[bool] = ContextVar("wrote_uncommitted", default=False)

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


def write_heard() -> None:
    """This request (or command) wrote to the record (markets.signals.record_written):
    the versions it read before are read again, and nothing drawn is kept until the
    write commits."""
    read = _read_in_request.get()
    if read is not None:
        read.clear()
    # Until the write commits, nothing drawn is kept: the counts it raised go back if
    # the transaction rolls back, and the next writer raises them to the same numbers.
    _wrote_uncommitted.set(True)
    transaction.on_commit(lambda: _wrote_uncommitted.set(False))


def wrote_uncommitted() -> bool:
    """Whether what is drawn now may show writes not committed yet (``write_heard``)."""
    return _wrote_uncommitted.get()


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
