"""What every API endpoint shows the public shares: cached answers, and the public rows.

The record's viewsets (markets.api.views), the sellers' and the answer's
(status.api.views) build on these. Apart from the record's viewsets, so that the
answer's import them without importing the record's (which import the answer's
serializers for the preview): no cycle. Beside the record's API rather than in config:
they name the record's parts (RecordPart), which config, below every app, never
imports.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponseBase
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.settings import api_settings

from caching.public import filterset_parameters, read_only, served_to_the_public
from caching.versions import EVERY_PART
from markets.models import RecordPart


def cached_for_the_public(read_method: Callable) -> Callable:
    """A read whose answers to the public are cached, rendered, with HTTP validators
    (caching.public.served_to_the_public).

    Kept per address (the parameters the read uses), format, language and day, under
    the revisions of the tables it was drawn from; validated by the versions of the
    parts of the record the viewset ``reads``. Analysts see drafts, and the browsable
    API shows the reader and a form: both are answered afresh.
    """

    @wraps(read_method)
    def read(self, request: Request, *args: Any, **kwargs: Any) -> HttpResponseBase:
        renderer = request.accepted_renderer
        if self.sees_drafts(self.queryset.model) or renderer.format not in CACHED:
            return read_method(self, request, *args, **kwargs)
        if canonical := read_only(request._request, self.query_parameters()):
            return canonical
        return served_to_the_public(
            request,
            ["api", request.accepted_media_type, timezone.localdate()],
            lambda: self.finalize_response(
                request, read_method(self, request, *args, **kwargs)
            ),
            reads=self.reads,
        )

    # The schema documents the redirect (markets.api.schema).
    read.redirects_unread_parameters = True
    return read


#: The formats whose answers are the same for every reader, and so may be cached.
CACHED = {"json", "csv"}


class PublicOrEveryRowMixin:
    """What the pages show the public, for everyone; drafts too, with view permission.

    ``queryset`` is what analysts see; ``public_queryset()`` is the model's ``public()``:
    published rows, with only their published markets and the quotes of published
    sources, as on the pages.
    """

    #: The parts of the record the answers show (caching.versions).
    reads: tuple[RecordPart, ...] = EVERY_PART

    def get_queryset(self) -> QuerySet:
        if self.sees_drafts(self.queryset.model):
            return super().get_queryset()
        return self.public_queryset()

    def public_queryset(self) -> QuerySet:
        return self.queryset.model.objects.public()

    def sees_drafts(self, model: type) -> bool:
        opts = model._meta
        return self.request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")

    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()
        context["public"] = not self.sees_drafts(self.queryset.model)
        return context

    def query_parameters(self) -> frozenset[str]:
        """Every query parameter a list reads: its filters, search, ordering, pages
        and format; and the query serializer's fields where it has one."""
        names = {api_settings.URL_FORMAT_OVERRIDE}
        if getattr(self, "filterset_class", None):
            names |= filterset_parameters(self.filterset_class)
        for backend in self.filter_backends:
            names |= {
                getattr(backend, param)
                for param in ("search_param", "ordering_param")
                if hasattr(backend, param)
            }
        if self.paginator is not None:
            names |= self.paginator.query_parameters()
        if query_serializer := getattr(self, "query_serializer_class", None):
            names |= set(query_serializer().fields)
        return frozenset(names)
