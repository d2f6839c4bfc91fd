"""The events feed: the event list's filters, for analysts' feed readers."""

import datetime
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django.contrib.syndication.views import Feed
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Stylesheet
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from caching.public import filterset_parameters, read_only, served_to_the_public
from config.text import normalised
from markets.filtersets import ModeEventFilterSet
from markets.models import ModeEvent, RecordPart

FEED_LENGTH = 50
XHTML = "http://www.w3.org/1999/xhtml"


def write_xhtml(handler: SimplerXMLGenerator, fragment: str) -> None:
    """Write an HTML fragment our templates drew as XHTML elements, in one ``div``.

    The fragment is parsed rather than copied, so the feed stays well-formed whatever
    a record's text holds; a fragment that is not well-formed XML is left out."""
    fragment = normalised(fragment, multiline=True)
    try:
        root = ElementTree.fromstring(f'<div xmlns="{XHTML}">{fragment}</div>')  # noqa: S314 (our own drawing)
    except ElementTree.ParseError:
        return

    def write(element: ElementTree.Element, attributes: dict[str, str]) -> None:
        handler.startElement(element.tag.removeprefix(f"{{{XHTML}}}"), attributes)
        handler.characters(element.text or "")
        for child in element:
            write(child, dict(child.attrib))
            handler.characters(child.tail or "")
        handler.endElement(element.tag.removeprefix(f"{{{XHTML}}}"))

    write(root, {"xmlns": XHTML, **root.attrib})


class ShowableXMLGenerator(SimplerXMLGenerator):
    """Django's XML writer, writing text without what XML cannot carry (config.text),
    where Django's would fail the whole document: a row stored before the rules for
    text, or past them by SQL, never takes the feed down for every reader."""

    def characters(self, content: str) -> None:
        super().characters(normalised(content, multiline=True) if content else content)

    def startElement(self, name: str, attrs: dict[str, str]) -> None:  # noqa: N802
        super().startElement(
            name,
            {
                key: normalised(value, multiline=True)
                for key, value in (attrs or {}).items()
            },
        )


def opened_in_a_browser(request: HttpRequest) -> bool:
    """Whether the request asks for a page rather than for a feed (the answer already
    varies by Accept, caching.public.shareable)."""
    accepted = request.headers.get("Accept", "")
    return "text/html" in accepted and "atom" not in accepted and "rss" not in accepted


class ReadableAtom1Feed(Atom1Feed):
    """Atom that a browser shows as a page: a CSS stylesheet for the feed's own
    elements, a note for a reader who opened it there, and each entry's content as
    XHTML, whose links work in a browser and in every feed reader.

    CSS rather than XSLT: browsers are removing XSLT, while CSS on XML works in all.
    """

    def write(self, outfile: Any, encoding: str) -> None:
        handler = ShowableXMLGenerator(outfile, encoding, short_empty_elements=True)
        handler.startDocument()
        # Django's Atom feed leaves its stylesheets out (its RSS feed writes them).
        for stylesheet in self.feed["stylesheets"] or []:
            handler.processingInstruction("xml-stylesheet", str(stylesheet))
        handler.startElement("feed", self.root_attributes())
        self.add_root_elements(handler)
        self.write_items(handler)
        handler.endElement("feed")

    def add_root_elements(self, handler: SimplerXMLGenerator) -> None:
        super().add_root_elements(handler)
        # Markup of another namespace is an extension feed readers pass over (RFC
        # 4287, 6.4); a browser shows it as the page's introduction.
        if self.feed.get("browser_note"):
            write_xhtml(handler, self.feed["browser_note"])

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict) -> None:
        super().add_item_elements(handler, item)
        if item["description"]:
            handler.startElement("content", {"type": "xhtml"})
            write_xhtml(handler, item["description"])
            handler.endElement("content")


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

    feed_type = ReadableAtom1Feed
    # The summary, then each quote with its source: the evidence travels with the fact.
    description_template = "markets/feeds/modeevent_description.html"

    #: The parts of the record the feed shows (caching.versions).
    reads = (RecordPart.STATUS,)

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """The feed as the public sees it: drawn once per version, with validators."""
        if canonical := read_only(request, filterset_parameters(ModeEventFilterSet)):
            return canonical
        response = served_to_the_public(
            request,
            ["feed"],
            lambda: super(ModeEventFeed, self).__call__(request, *args, **kwargs),
            reads=self.reads,
        )
        # A browser shows Atom's own type as plain text, and generic XML as a
        # document that its stylesheet lays out; feed readers ask for Atom by name.
        if response.status_code == 200 and opened_in_a_browser(request):
            response["Content-Type"] = "application/xml; charset=utf-8"
        return response

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

    def stylesheets(self, feed: FeedRequest) -> list[Stylesheet]:
        return [Stylesheet(static("css/feed.css"), mimetype="text/css")]

    def feed_extra_kwargs(self, feed: FeedRequest) -> dict[str, str]:
        return {
            "browser_note": render_to_string(
                "markets/feeds/browser_note.html",
                {"events_url": f"{feed.site_url}{self.link(feed)}"},
            )
        }

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
        # Newest event first, as the list reads: by when it happened, then by when
        # the public could first read it; an edit never moves an old event up.
        return feed.filterset.qs.order_by(
            "-date", F("published_at").desc(nulls_last=True), "-pk"
        )[:FEED_LENGTH]

    def item_title(self, event: ModeEvent) -> str:
        """The event's headline (what, which mode, where, when) in the reader's
        language: a title a phone or a feed reader shows on one or two lines. The
        summary and the quotes follow in the entry's content."""
        return event.headline

    def item_pubdate(self, event: ModeEvent) -> datetime.datetime | None:
        """When the public could first read the event (ModeEvent.note_publication),
        not when its draft was begun: a draft written in March and published in May
        is news in May."""
        return event.published_at

    def item_updateddate(self, event: ModeEvent) -> datetime.datetime:
        return event.updated_at
