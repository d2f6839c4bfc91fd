"""The public's dataset releases: a page listing them, and every file of each."""

from typing import Any

from django.conf import settings
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.decorators import method_decorator
from django.utils.http import content_disposition_header, http_date
from django.utils.translation import get_language
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from caching.public import read_only, shareable
from datasets.downloads import ReleaseShown, release_download
from datasets.models import Release

#: A versioned file never changes: any cache may keep it for a year.
IMMUTABLE = "public, max-age=31536000, immutable"
#: /data/latest/ answers this name with the newest release's zip, whatever its version.
LATEST_ARCHIVE = "loopwatch.zip"


@method_decorator(require_safe, name="dispatch")
class ReleaseListView(ListView):
    """Every release, newest first, with its files, checksums and changes.

    The same for every reader, as the other public pages: validated by how many
    releases there are and the newest (releases never change), the page and the
    language, and kept briefly by shared caches.
    """

    queryset = Release.objects.listed()
    paginate_by = 10

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if canonical := read_only(request, {self.page_kwarg}):
            return canonical
        etag, modified = Release.objects.validators(
            settings.RELEASE, request.GET.get(self.page_kwarg), get_language()
        )
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=int(modified.timestamp())
        )
        if not_modified is not None:
            return shareable(not_modified, etag, modified)
        return shareable(super().get(request, *args, **kwargs), etag, modified)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["releases"] = [
            ReleaseShown.of(release) for release in context["page_obj"]
        ]
        return context


@require_safe
def release_file(request: HttpRequest, version: str, filename: str) -> HttpResponseBase:
    """A release's zip, or one file of it: immutable, validated by its SHA-256."""
    release = get_object_or_404(Release.objects.listed(), version=version)
    download = release_download(release, filename)
    if download is None:
        raise Http404
    etag = f'"{download.sha256}"'
    made = int(release.created_at.timestamp())
    response = get_conditional_response(request, etag=etag, last_modified=made)
    if response is None:
        response = HttpResponse(
            release.content_of(download.name), content_type=download.content_type
        )
        response["Content-Disposition"] = content_disposition_header(
            True, download.name
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(made)
    response["Cache-Control"] = IMMUTABLE
    return response


@require_safe
def latest_file(request: HttpRequest, filename: str) -> HttpResponseRedirect:
    """The newest release's file of this name (``loopwatch.zip``: its zip), by a
    redirect to its versioned address, which caches keep for good."""
    release = Release.objects.listed().first()
    if release is None:
        raise Http404
    name = release.archive_name if filename == LATEST_ARCHIVE else filename
    if release_download(release, name) is None:
        raise Http404
    response = HttpResponseRedirect(
        reverse("datasets:release-file", args=[release.version, name])
    )
    # Shared caches follow a new release within seconds, as every public page.
    response["Cache-Control"] = (
        f"public, max-age=0, s-maxage={settings.LOOPWATCH_SHARED_CACHE_SECONDS}"
    )
    return response
