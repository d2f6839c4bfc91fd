"""The API's throttles: per client address, counted in the cache every process shares."""

from typing import Any

from django.core.cache import BaseCache, caches
from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from config.clients import client_ip


class SharedCounts:
    """Counts kept in the ``shared`` cache, so that N workers do not allow N times the rate."""

    @property
    def cache(self) -> BaseCache:
        return caches["shared"]

    def get_ident(self, request: Request) -> str:
        return client_ip(request)


class AnonReadThrottle(SharedCounts, AnonRateThrottle):
    """Anonymous readers share one rate per address; analysts are not throttled."""


class TokenThrottle(SharedCounts, SimpleRateThrottle):
    """Password guesses at ``/api/token/``, per address, whoever is signed in."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
