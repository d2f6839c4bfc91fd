"""Request bodies: JSON parsed by orjson, which refuses what would exhaust the stack."""

from typing import Any

import orjson
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
