"""The floor: the least Django can do to answer "the first 50 events" as JSON."""

from django.http import HttpRequest, JsonResponse

from markets.models import ModeEvent


def first_events_floor(request: HttpRequest) -> JsonResponse:
    events = ModeEvent.objects.order_by("date", "pk").values(
        "id",
        "slug",
        "mode",
        "kind",
        "date",
        "date_precision",
        "status_set",
        "summary_en",
    )[:50]
    return JsonResponse({"results": list(events)})
