"""Requests refused at the door, before any view, query or template sees them."""

from collections.abc import Callable

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
)
from django.utils.translation import gettext as _

from config.text import NEVER_IN_TEXT

# What no text holds (config.text: C0 and C1 controls but tab, line feed and carriage
# return, DEL, noncharacters): no address, filter or search here means them; PostgreSQL
# refuses NUL in text and XML (the feed) refuses the rest.
CONTROL_CHARACTERS = NEVER_IN_TEXT


class RefuseControlCharacters:
    """A path or query parameter holding a control character is a 400, everywhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.holds_control_characters(request):
            return self.refusal(request, _("The address holds a control character."))
        return self.get_response(request)

    @staticmethod
    def refusal(request: HttpRequest, message: str) -> HttpResponse:
        if request.path.startswith(f"/{settings.API_PREFIX}"):
            return JsonResponse({"detail": message}, status=400)
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")

    @staticmethod
    def holds_control_characters(request: HttpRequest) -> bool:
        if CONTROL_CHARACTERS.search(request.path):
            return True
        return any(
            CONTROL_CHARACTERS.search(key) or CONTROL_CHARACTERS.search(value)
            for key, values in request.GET.lists()
            for value in values
        )


class PrivateUnlessShared:
    """Only what a view marks as the same for every reader may be kept by a shared
    cache (caching.public.shareable); every other answer is private to its reader.

    A signed-in reader's answer, by session or by token, is private whatever the view
    said, and so is one that sets a cookie: neither may reach another visitor through
    a reverse proxy or a CDN.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = (user is not None and user.is_authenticated) or (
            "HTTP_AUTHORIZATION" in request.META
        )
        marked_shared = "public" in response.get("Cache-Control", "")
        if not response.has_header("Cache-Control") or (
            marked_shared and (signed_in or response.cookies)
        ):
            response["Cache-Control"] = "private, no-cache"
        return response
