"""Anonymous reads from a streaming replica; everything else from the primary.

With ``REPLICA_DATABASE_URL`` set, ``ReadFromReplica`` marks a request that may read
from the replica: a GET or HEAD outside the admin, with neither a session cookie nor an
Authorization header. ``PrimaryReplicaRouter`` then sends that request's reads of the
record (the markets, status and sellers apps) to the replica. Every write, every admin request
and every signed-in reader (analysts with a session or a token) reads from the
primary, so an analyst always reads their own writes; the public sees a write once the
replica has replayed it.

The cache's versions are read where the data are (caching.versions): a lagging replica
shows an older version with the older data, never a newer version with older data.
"""

from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import models
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
#: The apps whose rows the public reads; sessions, users and caches stay on the primary.
REPLICATED_APPS = {"markets", "status", "sellers"}

_replica_allowed: ContextVar[bool] = ContextVar("replica_allowed", default=False)


def may_read_from_replica(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and not request.path.startswith("/admin/")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
    )


class ReadFromReplica:
    """Lets the router send this request's reads to the replica, where it may."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _replica_allowed.set(may_read_from_replica(request))
        try:
            return self.get_response(request)
        finally:
            _replica_allowed.reset(token)


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[models.Model], **hints: object) -> str:
        if _replica_allowed.get() and model._meta.app_label in REPLICATED_APPS:
            return REPLICA
        return "default"

    def db_for_write(self, model: type[models.Model], **hints: object) -> str:
        return "default"

    def allow_relation(
        self, first: models.Model, second: models.Model, **hints
    ) -> bool:
        # The replica holds the primary's rows: the same objects on either side.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: object) -> bool:
        return db == "default"
