"""The API's OpenAPI schema, drawn once per release and language."""

from typing import Any

from django.conf import settings
from django.utils import translation
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from caching.kept import keep, kept_key, look_up


class SchemaView(SpectacularAPIView):
    """The schema in the reader's language (the site's switch, Accept-Language), or
    the one ``?lang=`` names.

    Drawing it takes over a second, and anyone may ask: it is kept under the release
    and the language (``kept_key``). It is drawn without the request, as an anonymous
    reader's, so that nothing of whoever asked first (their user, their headers)
    reaches the next reader.
    """

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # Only a language the site speaks: any other would be a key of its own.
        asked = request.GET.get("lang")
        if asked in dict(settings.LANGUAGES):
            with translation.override(asked):
                return self._get_schema_response(request)
        return self._get_schema_response(request)

    def _get_schema_response(self, request: Request) -> Response:
        key = kept_key("api-schema", "openapi")
        schema = look_up([key]).get(key)
        if schema is None:
            generator = self.generator_class(urlconf=self.urlconf, patterns=None)
            schema = generator.get_schema(request=None, public=True)
            keep({key: schema})
        # Not the title, which may be Chinese: a header's file name stays ASCII.
        suffix = self.perform_content_negotiation(request, force=True)[0].format
        return Response(
            data=schema,
            headers={"Content-Disposition": f'inline; filename="loopwatch.{suffix}"'},
        )
