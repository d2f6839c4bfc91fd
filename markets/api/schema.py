"""The OpenAPI schema says what the API really does: who may call it, how it fails."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework.permissions import SAFE_METHODS, IsAuthenticated

from markets.api.permissions import AdminModelPermissions

DETAIL_SCHEMA = {
    "type": "object",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong."},
    },
    "required": ["detail"],
}
FIELD_ERRORS_SCHEMA = {
    "type": "object",
    "description": (
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
    """drf-spectacular's schema, plus anonymous reads and the documented errors."""

    def get_auth(self) -> list[dict]:
        auths = super().get_auth()
        permissions = self.view.get_permissions()
        if (
            self.method in SAFE_METHODS
            and any(isinstance(p, AdminModelPermissions) for p in permissions)
            and {} not in auths
        ):
            auths.append({})
        return auths

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
