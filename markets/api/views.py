"""API endpoints for markets, sources, mode events, disputes and market figures (the
answer's: status.api.views)."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from caching.kept import kept_drawing, keyed_rows
from config.lockout import lockout_lifts_at, lockout_message, retry_after
from markets.api.bases import PublicOrEveryRowMixin, cached_for_the_public
from markets.api.filtersets import MarketFigureFilterSet
from markets.api.permissions import SeesDrafts
from markets.api.readers import (
    event_rows,
    kept_drawn,
    represent_events,
)
from markets.api.serializers import (
    Conflict,
    DisputeSerializer,
    MarketFigureSerializer,
    MarketSerializer,
    ModeEventSerializer,
    SourceSerializer,
    SourceTextSerializer,
)
from markets.api.throttling import TokenThrottle
from markets.filtersets import ModeEventFilterSet, SourceFilterSet
from markets.models import (
    Dispute,
    Market,
    MarketFigure,
    ModeEvent,
    RecordPart,
    Source,
    StaleEditError,
)
from markets.services import content_set_publication, record_delete
from status.api.serializers import (
    PreviewQuerySerializer,
    PreviewSerializer,
    PublishSerializer,
)
from status.filtersets import MarketFilterSet
from status.preview import changing_events, publication_preview


class DeletedThroughTheService:
    """A DELETE goes through ``record_delete`` (a tombstone keeps the article data
    from reloading the record); one others still refer to is a 409 naming them."""

    def perform_destroy(self, instance: Any) -> None:
        try:
            record_delete(record=instance, user=self.request.user)
        except ProtectedError as error:
            raise Conflict(
                _("Other records still refer to this one: %(records)s")
                % {
                    "records": ", ".join(
                        str(record) for record in list(error.protected_objects)[:5]
                    )
                }
            ) from error


class ContentViewSet(
    DeletedThroughTheService, PublicOrEveryRowMixin, viewsets.ModelViewSet
):
    """Read for everyone, written with the admin's model permissions."""

    # Any key up to the next slash reaches the view, which answers 404 in the API's
    # format; the router's default stops at a dot, leaving Django's HTML 404 page.
    lookup_value_regex = "[^/]+"

    @cached_for_the_public
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @cached_for_the_public
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    def drawn_list(
        self,
        rows_of: Callable[[QuerySet, bool], QuerySet],
        represent: Callable[[Iterable[dict[str, Any]], bool], Sequence[dict[str, Any]]],
    ) -> Response:
        """A list read as plain rows (``rows_of`` a queryset, for the public or not)
        and written by ``represent`` (markets.api.readers).

        For the public each row's JSON is kept under its revision: a page reads the
        rows' keys, then draws only the rows no reader has drawn since they changed.
        """
        if self.sees_drafts(self.queryset.model):
            queryset = self.filter_queryset(self.get_queryset())
            page = self.paginate_queryset(rows_of(queryset, False))
            return self.get_paginated_response(represent(page, False))
        # After a write that reaches none of the tables the page's keys are read from,
        # the keys are kept too, under the page asked for: the filters are not
        # validated again nor the query built.
        paginator = self.paginator
        paginator.start(self.request, self.queryset, view=self)
        asked = tuple(
            (name, tuple(values)) for name, values in self.request.query_params.lists()
        )
        page = paginator.took(
            kept_drawing(
                "list-page",
                (type(self).__qualname__, asked),
                lambda: list(
                    paginator.page_of(
                        keyed_rows(
                            self.filter_queryset(self.get_queryset()),
                            self.cursor_columns(),
                        )
                    )
                ),
            )
        )
        drawn = kept_drawn(
            page,
            self.queryset.model,
            lambda ids: represent(
                rows_of(self.get_queryset().filter(pk__in=ids).order_by(), True), True
            ),
        )
        return self.get_paginated_response(drawn)

    def cursor_columns(self) -> set[str]:
        """The columns of every ordering a reader may ask for, which a cursor holds."""
        opts = self.queryset.model._meta
        names = {term.lstrip("-") for term in (*self.ordering_fields, *self.ordering)}
        return {opts.get_field(name).attname for name in names - {"pk"}}


class MarketViewSet(ContentViewSet):
    """Countries where TikTok Shop runs, or may run, a mode; addressed by ISO code."""

    reads = (RecordPart.STATUS,)
    queryset = Market.objects.with_related()
    serializer_class = MarketSerializer
    filterset_class = MarketFilterSet
    lookup_field = "code"
    search_fields = ("code", "name_zh", "name_en")
    ordering_fields = ("code", "name_en", "name_zh", "updated_at")
    ordering = ("code",)


class SourceViewSet(ContentViewSet):
    """Articles, and the outlets (interviews, data and news reports) they relay."""

    reads = (RecordPart.STATUS,)
    queryset = Source.objects.with_related().with_archive()
    serializer_class = SourceSerializer
    filterset_class = SourceFilterSet
    lookup_field = "slug"
    ordering_fields = ("title", "publisher", "published_on", "slug", "updated_at")
    ordering = ("title",)

    def public_queryset(self) -> QuerySet:
        return Source.objects.public().with_archive()

    @extend_schema(
        summary=_("The current archived text of a published source"),
        description=_(
            "The source's current archived text (published sources only), with when "
            "it was retrieved and its hash; earlier copies stay in the admin."
        ),
        responses={
            200: SourceTextSerializer,
            404: OpenApiResponse(description=_("No such source, or no text.")),
        },
    )
    @action(detail=True, methods=["get"], url_path="text")
    @cached_for_the_public
    def text(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The source's current archived text (published sources only), with when it
        was retrieved and its hash; earlier copies stay in the admin."""
        source = get_object_or_404(
            Source.objects.published(), slug=kwargs[self.lookup_field]
        )
        copy = source.current_text()
        if copy is None:
            raise NotFound(_("This source has no archived text."))
        return Response(
            SourceTextSerializer(copy, context=self.get_serializer_context()).data
        )


class ModeEventViewSet(ContentViewSet):
    """Launches, betas, closures and shortlists of a mode, with fuzzy dates."""

    reads = (RecordPart.STATUS,)
    queryset = ModeEvent.objects.with_related()
    serializer_class = ModeEventSerializer
    filterset_class = ModeEventFilterSet
    lookup_field = "slug"
    ordering_fields = ("date", "slug", "mode", "updated_at")
    ordering = ("date", "slug")

    @cached_for_the_public
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The serializer's JSON, read from plain rows: see markets.api.readers."""
        return self.drawn_list(
            lambda queryset, public: event_rows(queryset, public=public),
            lambda rows, _public: represent_events(rows),
        )

    @extend_schema(
        summary=_("Preview publishing mode events"),
        description=_(
            "For analysts: every market × mode cell whose answer /api/status/ would "
            "give differently once these events are published (or, with state draft, "
            "returned to draft), and on which days, from what to what. Worked out by "
            "the same rule as the answer itself; nothing is written. Publishing "
            "events that set no status, or records of other kinds, changes no answer: "
            "market figures named beside the events (as accepted from one text) are "
            "listed, to publish them with the events in one call (publish)."
        ),
        request=PreviewQuerySerializer,
        responses={200: PreviewSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        permission_classes=[SeesDrafts],
        serializer_class=PreviewQuerySerializer,
        filter_backends=[],
        pagination_class=None,
    )
    def preview(self, request: Request) -> Response:
        query = PreviewQuerySerializer(data=request.data)
        query.is_valid(raise_exception=True)
        return Response(PreviewSerializer(publication_of(query.validated_data)).data)

    @extend_schema(
        summary=_("Publish mode events, and market figures with them"),
        description=_(
            "For editors: set the events (and the figures named beside them, e.g. "
            "those accepted from one text) to the state, published by default, in "
            "one transaction, each as a save does (a version, a line of history with "
            "the reason, the answer rewritten). Answers what the preview would have "
            "answered just before: the records whose publication changed and every "
            "cell whose answer changed. Needs the permission to publish each kind "
            "named; a record changed meanwhile is a 409 and nothing is written."
        ),
        request=PublishSerializer,
        responses={
            200: PreviewSerializer,
            403: OpenApiResponse(description=_("May not publish these records.")),
            409: OpenApiResponse(description=_("A record changed meanwhile.")),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        permission_classes=[SeesDrafts],
        serializer_class=PublishSerializer,
        filter_backends=[],
        pagination_class=None,
    )
    def publish(self, request: Request) -> Response:
        query = PublishSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        for model, records in (
            (ModeEvent, data["events"]),
            (MarketFigure, data["market_figures"]),
        ):
            if records and not model.may_publish(request.user):
                raise PermissionDenied(model.publish_refusal())
        with transaction.atomic():
            # Worked out before the write, as the admin's preview page is shown before
            # its button: what publishing changed is what the preview said it would.
            published = publication_of(data)
            try:
                content_set_publication(
                    records=[*data["events"], *data["market_figures"]],
                    state=data["state"],
                    user=request.user,
                    reason=data["change_reason"],
                )
            except StaleEditError as error:
                raise Conflict(error.message) from error
        return Response(PreviewSerializer(published).data)


def publication_of(query: dict[str, Any]) -> dict[str, Any]:
    """What setting the events and figures of a preview query to its state would
    change: the records whose publication changes, and the cells whose answer does."""
    state = query["state"]
    events = changing_events(query["events"], state)
    return {
        "state": state,
        "events": sorted(event.slug for event in events),
        "figures": [
            figure.uuid
            for figure in query["market_figures"]
            if figure.publication != state
        ],
        "changes": publication_preview(events, state),
    }


class DisputeViewSet(
    DeletedThroughTheService, PublicOrEveryRowMixin, viewsets.ModelViewSet
):
    """Claims that disagree, tied once; a claim names its dispute by slug."""

    queryset = Dispute.objects.prefetch_related("markets_modeevent_claims")
    serializer_class = DisputeSerializer
    lookup_field = "slug"
    lookup_value_regex = "[^/]+"
    ordering_fields = ("slug", "updated_at")
    ordering = ("slug",)

    def sees_drafts(self, model: type) -> bool:
        # A dispute is as visible as its claims: drafts need the events' permission.
        return super().sees_drafts(ModeEvent)

    @cached_for_the_public
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @cached_for_the_public
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


class MarketFigureViewSet(ContentViewSet):
    """Numbers about markets, a region, or TikTok Shop as a whole."""

    reads = (RecordPart.STATUS, RecordPart.FIGURES)
    queryset = MarketFigure.objects.with_related()
    serializer_class = MarketFigureSerializer
    filterset_class = MarketFigureFilterSet
    lookup_field = "uuid"
    ordering_fields = ("metric_en", "value", "updated_at")
    ordering = ("metric_en",)


class TokenSerializer(AuthTokenSerializer):
    """An analyst's user name and password in, their API token out."""

    username = serializers.CharField(
        write_only=True, help_text=_("The analyst's user name.")
    )
    password = serializers.CharField(
        write_only=True,
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=_("The analyst's password."),
    )
    token = serializers.CharField(
        read_only=True,
        help_text=_("Send it with every request: Authorization: Token <token>."),
    )


class TokenView(ObtainAuthToken):
    """An analyst's API token, for their user name and password.

    Failures count towards the same lockout as the admin's login page; a locked-out
    request is answered 429 with when the lockout lifts, right password or not.
    """

    serializer_class = TokenSerializer
    throttle_classes = [TokenThrottle]
    parser_classes = api_settings.DEFAULT_PARSER_CLASSES

    @extend_schema(
        summary=_("Get an API token"),
        description=_(
            "An analyst's token, for their user name and password: send it as "
            "Authorization: Token <key>. Failures count towards the same lockout as "
            "the admin's sign-in page: a locked-out request is answered 429 with when "
            "the lockout lifts, right password or not."
        ),
    )
    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = request.data if isinstance(request.data, Mapping) else {}
        credentials = {"username": str(data.get("username", ""))}
        if AxesProxyHandler.is_locked(request._request, credentials):
            return self.locked_out(request, credentials)
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError:
            if AxesProxyHandler.is_locked(request._request, credentials):
                return self.locked_out(request, credentials)
            raise

    def locked_out(self, request: Request, credentials: dict) -> Response:
        lifts_at = lockout_lifts_at(request._request, credentials)
        return Response(
            {"detail": lockout_message(lifts_at), "lifts_at": lifts_at.isoformat()},
            status=429,
            headers={"Retry-After": retry_after(lifts_at)},
        )
