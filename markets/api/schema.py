"""The OpenAPI schema says what the API really does: who may call it, how it fails,
in the reader's language.

Every word of it is drawn when the schema is, in the language active then (the
reader's, or ``?lang=``): summaries and descriptions come from the tables here and
``extend_schema``, never from docstrings, which speak to programmers in English.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from markets.api.permissions import AdminModelPermissions
from markets.api.schema_words import ACTION_DESCRIPTIONS, ACTION_SUMMARIES, TAGS

DETAIL_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": _("What went wrong.")},
    },
    "required": ["detail"],
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": _(
        "Messages by field name (non_field_errors for the record as a whole); the "
        "errors of nested evidence are keyed by the item's position in the list."
    ),
    "additionalProperties": True,
}

ERRORS = {
    "400": (FIELD_ERRORS_SCHEMA, _("Invalid input, with a message for each field.")),
    "401": (DETAIL_SCHEMA, _("Not authenticated: send Authorization: Token <key>.")),
    "403": (DETAIL_SCHEMA, _("Authenticated, but without the model permission.")),
    "404": (
        DETAIL_SCHEMA,
        _("No such record visible to you, an invalid cursor, or an unknown format."),
    ),
    "409": (
        DETAIL_SCHEMA,
        _("Other records still refer to this one, or someone changed it since."),
    ),
    "415": (
        DETAIL_SCHEMA,
        _("A body in a media type the endpoint does not read: send JSON or a form."),
    ),
    "428": (DETAIL_SCHEMA, _("An update without the version it was read at.")),
    "429": (DETAIL_SCHEMA, _("Too many requests: anonymous reads are throttled.")),
}

REDIRECT_DESCRIPTION = _(
    "A query parameter the read does not take: redirected (Location) to the same "
    "address without it."
)


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's schema, plus open reads, the documented errors and every
    operation worded in the reader's language."""

    def get_operation(self, *args: Any, **kwargs: Any) -> dict | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and self.is_open_to_anyone():
            # Declared empty, not left out: the docs draw no lock on a read anyone
            # may make. Analysts still send their token to see drafts.
            operation["security"] = []
        return operation

    def is_open_to_anyone(self) -> bool:
        """A read under the admin's model permissions, which ask nothing of a read."""
        return self.method in SAFE_METHODS and any(
            isinstance(p, AdminModelPermissions) for p in self.view.get_permissions()
        )

    def get_summary(self) -> str | None:
        """A standard action's summary, from its model's names; an operation of its
        own states its summary with ``extend_schema``."""
        wording = ACTION_SUMMARIES.get(getattr(self.view, "action", None))
        names = self.record_names()
        return wording % names if wording and names else None

    def get_description(self) -> str:
        """A standard action's description, from its model's names; docstrings are
        never shown (DISABLE_DOCSTRING_DESCRIPTIONS)."""
        wording = ACTION_DESCRIPTIONS.get(getattr(self.view, "action", None))
        names = self.record_names()
        return super().get_description() or (
            wording % names if wording and names else ""
        )

    def record_names(self) -> dict[str, str] | None:
        """The view's model's names in the active language, for the standard wording."""
        queryset = getattr(self.view, "queryset", None)
        if queryset is None:
            return None
        opts = queryset.model._meta
        lookup = getattr(self.view, "lookup_field", "pk")
        key = opts.pk if lookup == "pk" else opts.get_field(lookup)
        return {
            "record": str(opts.verbose_name),
            "records": str(opts.verbose_name_plural),
            "key": str(key.verbose_name),
        }

    def get_tags(self) -> list[str]:
        return [TAGS[tag][0] if tag in TAGS else tag for tag in super().get_tags()]

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if self.redirects_unread_parameters():
            responses["302"] = self._get_response_for_code(
                OpenApiResponse(description=REDIRECT_DESCRIPTION),
                "302",
                direction=direction,
            )
        for code in self.error_codes():
            if code in responses:
                continue
            schema, description = ERRORS[code]
            # In every format the endpoint renders: ?format=csv applies to errors too.
            responses[code] = self._get_response_for_code(
                OpenApiResponse(response=schema, description=description),
                code,
                direction=direction,
            )
        return responses

    def redirects_unread_parameters(self) -> bool:
        """The read is cached for the public (caching.public.read_only)."""
        handler = getattr(self.view, getattr(self.view, "action", None) or "", None)
        return getattr(handler, "redirects_unread_parameters", False)

    def reads_signed_in_only(self) -> bool:
        """The view answers no anonymous reader (a webhook is its owner's own)."""
        return any(isinstance(p, IsAuthenticated) for p in self.view.get_permissions())

    def error_codes(self) -> list[str]:
        # 404 everywhere: an unknown ?format= is answered 404, as DRF does; 400 too,
        # for an address holding a control character.
        codes = ["400", "404", "429"]
        if self.method not in SAFE_METHODS:
            codes += ["401", "403"]
        elif self.reads_signed_in_only():
            codes.append("401")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        if self.method in ("PUT", "PATCH", "DELETE"):
            codes.append("409")
        if self.method in ("PUT", "PATCH"):
            codes.append("428")
        return codes


PARAMETER_HELP = {
    ("query", "format"): _(
        "csv for a spreadsheet (one row per record, UTF-8); json by default."
    ),
    ("path", "code"): _("The market's ISO 3166-1 alpha-2 code, upper case: DE."),
    ("path", "slug"): _("The record's slug."),
    ("path", "uuid"): _("The figure's UUID."),
    ("path", "id"): _("The record's identifier, as its list gives it."),
}


def describe_tags(result: dict, **kwargs: Any) -> dict:
    """Name and describe each group of endpoints the schema holds, in the docs' order."""
    used = {
        str(tag)
        for path in result.get("paths", {}).values()
        for operation in path.values()
        for tag in operation.get("tags", [])
    }
    result["tags"] = [
        {"name": str(name), "description": str(about)}
        for name, about in TAGS.values()
        if str(name) in used
    ]
    return result


def describe_parameters(result: dict, **kwargs: Any) -> dict:
    """Describe the parameters DRF adds itself: ``?format=`` and the lookup in paths."""
    for path in result.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                key = (parameter.get("in"), parameter.get("name"))
                if key in PARAMETER_HELP and not parameter.get("description"):
                    parameter["description"] = str(PARAMETER_HELP[key])
    return result


class OneAnswerSchema(AutoSchema):
    """For a viewset whose list answers one object (a report over the record), not a
    list of records."""

    def _is_list_view(self, serializer: object = None) -> bool:
        return False
