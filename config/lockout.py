"""The answer to a sign-in refused by django-axes: 429, and when the refusal lifts.

The admin's login page and ``/api/token/`` count failures together (per user name and
address, see AXES_LOCKOUT_PARAMETERS); both answer a lockout from here.
"""

from datetime import UTC, datetime

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_parameters, get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.contrib import admin
from django.db.models import Max, Q
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _


def lockout_lifts_at(request: HttpRequest, credentials: dict | None = None) -> datetime:
    """The moment sign-ins are allowed again: the last failure plus the cool-off.

    Each failure during a lockout restarts the cool-off
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so the last one decides.
    """
    AxesProxyHandler.update_request(request)
    parameters = get_client_parameters(
        get_client_username(request, credentials),
        request.axes_ip_address,
        request.axes_user_agent,
        request,
        credentials,
    )
    matching = Q()
    for parameter in parameters:
        matching |= Q(**parameter)
    last_failure = AccessAttempt.objects.filter(matching).aggregate(
        last=Max("attempt_time")
    )["last"]
    return (last_failure or timezone.now()) + get_cool_off(request)


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
