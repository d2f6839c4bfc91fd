"""Sign-in lockouts: failures counted in the shared cache, and the answer to a refused
sign-in (429, and when the refusal lifts).

The admin's login page and ``/api/token/`` count failures together (per user name and
address, see AXES_LOCKOUT_PARAMETERS), in the cache every process shares (AXES_CACHE:
Redis where SHARED_CACHE_URL names it, else the database's cache table); both answer a
lockout from here.
"""

from datetime import UTC, datetime
from typing import Any

from axes.handlers.cache import AxesCacheHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import (
    get_cache,
    get_cache_timeout,
    get_client_cache_keys,
    get_cool_off,
)
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _


class CountedInTheSharedCache(AxesCacheHandler):
    """django-axes' cache handler (AXES_HANDLER), which also keeps when each client's
    last failure was, beside its count and for as long: the lockout lifts a cool-off
    after it."""

    def user_login_failed(
        self,
        sender: Any,
        credentials: dict,
        request: HttpRequest | None = None,
        **kwargs,
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None:
            return
        now = timezone.now()
        self.cache.set_many(
            {
                last_failure_key(key): now
                for key in get_client_cache_keys(request, credentials)
            },
            get_cache_timeout(request),
        )


def last_failure_key(count_key: str) -> str:
    return f"{count_key}:last-failure"


def lockout_lifts_at(request: HttpRequest, credentials: dict | None = None) -> datetime:
    """The moment sign-ins are allowed again: the last failure plus the cool-off.

    Each failure during a lockout restarts the cool-off
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the last one decides.
    """
    AxesProxyHandler.update_request(request)
    keys = [
        last_failure_key(key) for key in get_client_cache_keys(request, credentials)
    ]
    failures = get_cache().get_many(keys).values()
    return max(failures, default=timezone.now()) + get_cool_off(request)


def lockout_message(lifts_at: datetime) -> str:
    return _(
        "Too many failed sign-ins for this user name from this address. "
        "Try again after %(time)s UTC."
    ) % {"time": lifts_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")}


def retry_after(lifts_at: datetime) -> str:
    """Seconds to wait, as the Retry-After header counts them."""
    return str(max(0, int((lifts_at - timezone.now()).total_seconds()) + 1))


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the admin's login page, refusing, with the time it lifts."""
    lifts_at = lockout_lifts_at(request, credentials)
    response = TemplateResponse(
        request,
        "admin/locked_out.html",
        {
            **admin.site.each_context(request),
            "title": _("Sign-in refused"),
            "message": lockout_message(lifts_at),
            "lifts_at": lifts_at,
        },
        status=429,
    )
    response["Retry-After"] = retry_after(lifts_at)
    return response.render()
