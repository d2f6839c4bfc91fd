"""The public pages' shared machinery: cached for the public, keyed by what they read.

Below both apps' views: markets and sellers draw their pages with it, and neither
imports the other's views.
"""

import functools
from typing import Any

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django_filters.views import FilterView

from caching.kept import kept_count, kept_read, keyed_rows
from caching.public import (
    filterset_parameters,
    form_parameters,
    read_only,
    served_to_the_public,
)
from caching.versions import EVERY_PART
from markets.models import RecordPart


class CachedForThePublicMixin:
    """A page drawn once per address, language and day for the public, until a write
    reaches a table it was drawn from, with HTTP validators from the parts of the
    record it ``reads`` (caching.public.served_to_the_public). Staff,
    whose pages carry admin links, are always drawn a fresh one. The page sees only the
    query parameters it reads: its filter form's, ``page`` where it has pages, and
    ``query_forms`` and ``query_parameters``; nothing else reaches its key or its links.
    """

    #: Forms the page fills from the query string.
    query_forms: tuple[type[forms.BaseForm], ...] = ()
    #: Query parameters the page reads without a form.
    query_parameters: frozenset[str] = frozenset()
    #: The parts of the record the page shows.
    reads: tuple[RecordPart, ...] = EVERY_PART

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return super().dispatch(request, *args, **kwargs)
        if canonical := read_only(request, page_parameters(type(self))):
            return canonical
        if request.user.is_staff:
            return super().dispatch(request, *args, **kwargs)
        # Pages without a day of their own show today's status.
        return served_to_the_public(
            request,
            ["page", timezone.localdate()],
            lambda: super(CachedForThePublicMixin, self).dispatch(
                request, *args, **kwargs
            ),
            reads=self.reads,
        )


class DraftsForStaffMixin:
    """A detail page that staff may open on a draft too, as the admin's "view on site"
    does: the public still gets a 404. Staff are drawn a fresh page, never the public's
    kept one (CachedForThePublicMixin), and the page says it is a draft."""

    #: Every record with what the page shows, drafts included; staff only.
    draft_queryset: QuerySet | None = None

    def get_object(self, queryset: QuerySet | None = None) -> Any:
        try:
            return super().get_object(queryset)
        except Http404:
            # A published record reads as the public sees it; only a record the
            # public may not see is looked up among all, and for staff alone.
            if not self.request.user.is_staff or self.draft_queryset is None:
                raise
            return super().get_object(self.draft_queryset.all())


@functools.cache
def page_parameters(view_class: type[CachedForThePublicMixin]) -> frozenset[str]:
    names = set(view_class.query_parameters)
    for form_class in view_class.query_forms:
        names |= form_parameters(form_class)
    if filterset_class := getattr(view_class, "filterset_class", None):
        names |= filterset_parameters(filterset_class)
    if getattr(view_class, "paginate_by", None):
        names.add(view_class.page_kwarg)
    return frozenset(names)


class KeptCountPaginator(Paginator):
    """A paginator whose count is kept under the revisions of the tables it is read
    from (caching.kept.kept_count): a write elsewhere, or to a column the count does
    not read, leaves a list of 100,000 rows uncounted."""

    @functools.cached_property
    def count(self) -> int:
        return kept_count("list-count", self.object_list)


class KeyedPaginator(KeptCountPaginator):
    """Pages of each row's key (caching.kept.keyed_rows), kept as the count is: a
    template draws the rows from them, each kept under its revision."""

    def _get_page(
        self, object_list: QuerySet, number: int, paginator: Paginator
    ) -> Page:
        keys = kept_read("list-page", keyed_rows(object_list, ()))
        return super()._get_page(keys, number, paginator)


class PublicListView(CachedForThePublicMixin, FilterView):
    """A filtered, paginated list; templates keep Django's default ``_list`` names."""

    template_name_suffix = "_list"
    paginate_by = 25
    paginator_class = KeptCountPaginator
