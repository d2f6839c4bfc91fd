"""The events feed: the event list's filters, for analysts' feed readers."""

from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from markets.filtersets import ModeEventFilterSet
from markets.models import ModeEvent

FEED_LENGTH = 50


class ModeEventFeed(Feed):
    """Recently added or changed events; ``?market=DE&mode=…`` narrows it like the list."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any):
        filterset = ModeEventFilterSet(
            request.GET or None, queryset=ModeEvent.objects.public()
        )
        filterset.query_string = request.GET.urlencode()
        return filterset

    def title(self, filterset: ModeEventFilterSet) -> str:
        narrowed = [
            f"{filterset.form.fields[name].label}: {value}"
            for name, value in filterset.data.items()
            if value and name in filterset.form.fields
        ]
        title = _("Loopwatch: TikTok Shop mode events")
        return f"{title} ({'; '.join(narrowed)})" if narrowed else title

    def subtitle(self, filterset: ModeEventFilterSet) -> str:
        return _(
            "Launches, betas and closures of TikTok Shop's commerce modes, market by "
            "market, each with the quote it rests on."
        )

    def link(self, filterset: ModeEventFilterSet) -> str:
        query = f"?{filterset.query_string}" if filterset.query_string else ""
        return f"{reverse('markets:event-list')}{query}"

    def feed_url(self, filterset: ModeEventFilterSet) -> str:
        query = f"?{filterset.query_string}" if filterset.query_string else ""
        return f"{reverse('markets:event-feed')}{query}"

    def items(self, filterset: ModeEventFilterSet):
        if filterset.is_bound and not filterset.is_valid():
            return ModeEvent.objects.none()
        return filterset.qs.order_by("-updated_at", "-pk")[:FEED_LENGTH]

    def item_title(self, event: ModeEvent) -> str:
        markets = ", ".join(market.code for market in event.markets.all())
        title = f"{event.date_display} · {event.get_mode_display()} · {event.get_kind_display()}"
        return f"{title} · {markets}" if markets else title

    def item_description(self, event: ModeEvent) -> str:
        return event.localized("summary")

    def item_pubdate(self, event: ModeEvent):
        return event.created_at

    def item_updateddate(self, event: ModeEvent):
        return event.updated_at
