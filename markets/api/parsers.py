"""Request bodies: JSON parsed by orjson, which refuses what would exhaust the stack;
forms whose size Django refuses answered as any other unreadable body."""

from typing import Any

import orjson
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser on orjson: nesting past 1,024 levels, NaN and Infinity are a 400
    with a message; Python's own parser would raise RecursionError, a 500."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict | None = None,
    ) -> Any:
        try:
            return orjson.loads(stream.read() if stream is not None else b"")
        except orjson.JSONDecodeError as error:
            raise ParseError(
                _("JSON parse error: %(error)s") % {"error": error}
            ) from error


class RefusedFormMixin:
    """Django refuses a form body with more fields or files than the settings allow
    (TooManyFieldsSent, TooManyFilesSent) or past DATA_UPLOAD_MAX_MEMORY_SIZE
    (RequestDataTooBig). Left alone, Django answers them with its HTML 400 page;
    raised as DRF's ParseError they get the API's JSON 400 with the reason, as every
    other unreadable body does."""

    def parse(
        self,
        stream: Any,
        media_type: str | None = None,
        parser_context: dict | None = None,
    ) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RequestDataTooBig as error:
            raise ParseError(_("The body is larger than the API reads.")) from error
        except (TooManyFieldsSent, TooManyFilesSent) as error:
            raise ParseError(
                _("The form has more fields or files than the API reads.")
            ) from error


class FormParser(RefusedFormMixin, parsers.FormParser):
    pass


class MultiPartParser(RefusedFormMixin, parsers.MultiPartParser):
    pass
