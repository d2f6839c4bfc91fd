"""The pages that show the answer: the grid on a day, the map, what changed, a badge.

Each picks the answer's reads (status.kept, status.selectors) and a template."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.cache import patch_cache_control
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from caching.public import reads_parameters
from config.pages import CachedForThePublicMixin
from markets.models import Market, Mode, RecordPart
from status.badges import LABEL_COLOUR, Badge
from status.changes import by_event, changes_between
from status.forms import AsOfForm, ChangesForm, MapForm
from status.kept import kept_key_dates, kept_status_grid
from status.selectors import status_on
from status.worldmap import WorldMap, land_fingerprint, land_svg


class HomeView(CachedForThePublicMixin, TemplateView):
    """Where is each mode live, or in beta, on the chosen day, and on what evidence."""

    reads = (RecordPart.STATUS,)

    template_name = "status/home.html"
    query_forms = (AsOfForm,)

    #: Days offered as shortcuts: the latest on which a status changed.
    key_date_count = 24

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = AsOfForm(self.request.GET or None)
        return super().get_context_data(
            form=form,
            grid=kept_status_grid(Market.objects.published(), form.day),
            key_dates=kept_key_dates(latest=self.key_date_count),
            **kwargs,
        )


class MapView(CachedForThePublicMixin, TemplateView):
    """The answer in one mode on a day, on a world map drawn on the server."""

    reads = (RecordPart.STATUS,)

    template_name = "status/map.html"
    query_forms = (MapForm,)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = MapForm(self.request.GET or None)
        day, mode = form.day, form.mode_shown
        # Each market's region names the map's regions (public() selects it).
        cells = status_on(Market.objects.public(), day, [mode])
        return super().get_context_data(
            form=form, map=WorldMap(day, mode, cells, form.region_shown), **kwargs
        )


@require_safe
@reads_parameters()
@gzip_page
def map_land(request: HttpRequest, fingerprint: str) -> HttpResponse:
    """The map's background, under an address that changes only with the installed
    geometry: kept by browsers for a year without asking again. An older address
    leads to the current one."""
    if fingerprint != land_fingerprint():
        return redirect("status:map-land", fingerprint=land_fingerprint())
    response = HttpResponse(land_svg(), content_type="image/svg+xml")
    patch_cache_control(response, public=True, max_age=365 * 86400, immutable=True)
    return response


class ChangesView(CachedForThePublicMixin, TemplateView):
    """Every cell whose answer differs between two days, or between two days of
    knowledge, with the events and the quotes that changed it."""

    reads = (RecordPart.STATUS,)

    template_name = "status/changes.html"
    query_forms = (ChangesForm,)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        form = ChangesForm(self.request.GET or None)
        comparison = form.comparison
        mode = form.cleaned_data.get("mode") if comparison else None
        changes = (
            changes_between(
                Market.objects.public(), comparison, [mode] if mode else None
            )
            if comparison
            else []
        )
        return super().get_context_data(
            form=form,
            comparison=comparison,
            changes=changes,
            changes_by_event=by_event(changes),
            **kwargs,
        )


class BadgeView(CachedForThePublicMixin, TemplateView):
    """One market's answer in one mode as an SVG badge to embed, on a day (today by
    default); kept like every public answer."""

    reads = (RecordPart.STATUS,)

    template_name = "status/badge.svg"
    content_type = "image/svg+xml; charset=utf-8"
    query_forms = (AsOfForm,)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        mode = kwargs["mode"]
        if mode not in Mode.values:
            raise Http404
        day = AsOfForm(self.request.GET or None).day
        cells = status_on(
            Market.objects.public().filter(code=kwargs["code"]), day, [mode]
        )
        if not cells:
            raise Http404
        (cell,) = cells
        return super().get_context_data(
            badge=Badge.of(cell), label_colour=LABEL_COLOUR, **kwargs
        )
