"""Site-wide endpoints that belong to no app."""

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.health import database_problem


@require_GET
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers: 200 when the database answers a read and would take a
    write within a second each (config.health), 503 when it does not."""
    if problem := database_problem():
        return JsonResponse({"status": "error", "database": problem}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """The site's icon, static and hashed, where a browser looks for it."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
@never_cache
def switch_language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Remember the reader's language in a cookie and go back to the page they were on.

    A link, not a form: the pages that carry it are cached and shared by every reader,
    so they hold no CSRF token, and choosing a language changes nothing but the
    reader's own cookie.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    back = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = "/"
    response = HttpResponseRedirect(back)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
    )
    return response
