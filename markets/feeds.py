"""The events feed: the event list's filters, for analysts' feed readers."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from markets.caching import (
    filterset_parameters,
    read_only,
    served_to_the_public,
)
from markets.filtersets import ModeEventFilterSet
from markets.models import EventScope, ModeEvent, RecordPart

FEED_LENGTH = 50


@dataclass(frozen=True)
class FeedRequest:
    """What one request asks of the feed: its filters, as given and as a FilterSet."""

    filterset: ModeEventFilterSet
    query_string: str
    site_url: str

    @property
    def query(self) -> str:
        return f"?{self.query_string}" if self.query_string else ""


class ModeEventFeed(Feed):
    """Recently added or changed events; ``?market=DE&mode=…`` narrows it like the list.

    One instance serves every request, so everything a request decides lives in the
    ``FeedRequest`` that ``get_object`` returns, never on ``self``.
    """

    feed_type = Atom1Feed
    # The summary, then each quote with its source: the evidence travels with the fact.
    description_template = "markets/feeds/modeevent_description.html"

    #: The parts of the record the feed shows (markets.caching).
    reads = (RecordPart.STATUS,)

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The feed as the public sees it: drawn once per version, with validators."""
        read_only(request, filterset_parameters(ModeEventFilterSet))
        return served_to_the_public(
            request,
            ["feed"],
            lambda: super(ModeEventFeed, self).__call__(request, *args, **kwargs),
            reads=self.reads,
        )

    def get_object(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> FeedRequest:
        return FeedRequest(
            filterset=ModeEventFilterSet(
                request.GET or None, queryset=ModeEvent.objects.public()
            ),
            query_string=request.GET.urlencode(),
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["site_url"] = kwargs["obj"].site_url
        return context

    def title(self, feed: FeedRequest) -> str:
        narrowed = []
        for name, value in feed.filterset.data.items():
            field = feed.filterset.form.fields.get(name)
            if field is None or not value:
                continue
            # A mode or a kind reads better by its label than by its code.
            labels = dict(getattr(field, "choices", ()))
            narrowed.append(f"{field.label}: {labels.get(value, value)}")
        title = _("Loopwatch: TikTok Shop mode events")
        return f"{title} ({'; '.join(narrowed)})" if narrowed else title

    def subtitle(self, feed: FeedRequest) -> str:
        return _(
            "Launches, betas and closures of TikTok Shop's commerce modes, market by "
            "market, each with the quote it rests on."
        )

    def link(self, feed: FeedRequest) -> str:
        return f"{reverse('markets:event-list')}{feed.query}"

    def feed_url(self, feed: FeedRequest) -> str:
        return f"{reverse('markets:event-feed')}{feed.query}"

    def items(self, feed: FeedRequest) -> QuerySet:
        if feed.filterset.is_bound and not feed.filterset.is_valid():
            return ModeEvent.objects.none()
        return feed.filterset.qs.order_by("-updated_at", "-pk")[:FEED_LENGTH]

    def item_title(self, event: ModeEvent) -> str:
        """The event's summary, in the reader's language, then its date and where."""
        markets = ", ".join(market.code for market in event.markets.all())
        if event.scope == EventScope.WORLDWIDE:
            markets = _("worldwide")
        facts = " · ".join(part for part in (str(event.date_display), markets) if part)
        return f"{event.localized('summary')} ({facts})"

    def item_pubdate(self, event: ModeEvent) -> datetime.datetime:
        return event.created_at

    def item_updateddate(self, event: ModeEvent) -> datetime.datetime:
        return event.updated_at
