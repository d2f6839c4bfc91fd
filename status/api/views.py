"""API endpoints that show the answer: every market's status on a day, and what
changed between two days."""

from typing import Any

import orjson
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from caching.kept import drawn_once
from markets.api.bases import PublicOrEveryRowMixin, cached_for_the_public
from markets.api.readers import represent_status
from markets.api.schema import OneAnswerSchema
from markets.models import Market, RecordPart
from status.api.serializers import (
    ChangesQuerySerializer,
    ChangesSerializer,
    ModeStatusSerializer,
    StatusQuerySerializer,
)
from status.changes import changes_between
from status.filtersets import MarketFilterSet
from status.kept import kept_status_drawing_key
from status.selectors import status_on


class StatusViewSet(PublicOrEveryRowMixin, viewsets.GenericViewSet):
    """Every market's status in each mode on a day, and the event that decides it."""

    reads = (RecordPart.STATUS,)
    queryset = Market.objects.all()
    serializer_class = ModeStatusSerializer
    filterset_class = MarketFilterSet
    pagination_class = None
    query_serializer_class = StatusQuerySerializer
    search_fields = ("code", "name_zh", "name_en")
    ordering_fields = ("code", "name_en", "name_zh")
    ordering = ("code",)

    @extend_schema(
        summary=_("Status of every market on a day"),
        description=_(
            "For every market (or those the filters keep), its status in each mode, or "
            "in the mode asked, on as_of: the status set by the latest published event "
            "on or before that day. uncertain is true when the day falls inside the "
            "imprecision of that event's date. With known_on, only evidence from "
            "sources surely published by that day counts: a source dated only by month "
            "or year counts from the last day of that month or year."
        ),
        parameters=[StatusQuerySerializer],
        responses={
            200: ModeStatusSerializer(many=True),
            400: OpenApiResponse(description=_("A missing or malformed parameter.")),
        },
    )
    @cached_for_the_public
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query_serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        mode = query.validated_data.get("mode")
        markets = self.filter_queryset(self.get_queryset())
        day, modes = query.validated_data["as_of"], [mode] if mode else None
        known_on = query.validated_data.get("known_on")

        def draw(asked: list[None]) -> list[bytes]:
            # ModeStatusSerializer documents the shape; represent_status writes it
            # faster.
            return [
                orjson.dumps(represent_status(status_on(markets, day, modes, known_on)))
                for _answer in asked
            ]

        # The same answer, drawn before, is kept as JSON under what it shows: a write
        # that changes none of it costs one query more than a cached read.
        answer = drawn_once(
            "status-answer",
            [None],
            lambda _asked: (
                None if known_on else kept_status_drawing_key(markets, day, modes)
            ),
            draw,
        )[0]
        if request.accepted_renderer.format == "json":
            return Response(orjson.Fragment(answer))
        return Response(orjson.loads(answer))


class ChangesViewSet(StatusViewSet):
    """Every market × mode cell whose answer differs between two days, or between two
    days of knowledge, with the events and the quotes that changed it."""

    serializer_class = ChangesSerializer
    query_serializer_class = ChangesQuerySerializer
    schema = OneAnswerSchema()

    @extend_schema(
        summary=_("What changed between two days"),
        description=_(
            "Compares the answer of /api/status/ on from with the answer on to, each "
            "from the evidence known by known_from and known_to when given, and lists "
            "every cell whose status, uncertainty or implied status differs. The same "
            "day as known on two days (from left out, or equal to to) tells what "
            "became known in between."
        ),
        parameters=[ChangesQuerySerializer],
        responses={
            200: ChangesSerializer,
            400: OpenApiResponse(description=_("A missing or malformed parameter.")),
        },
    )
    @cached_for_the_public
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        query = self.query_serializer_class(data=request.query_params)
        query.is_valid(raise_exception=True)
        comparison = query.validated_data["comparison"]
        mode = query.validated_data.get("mode")
        markets = self.filter_queryset(self.get_queryset())
        changes = changes_between(markets, comparison, [mode] if mode else None)
        return Response(
            ChangesSerializer(
                {
                    "from": comparison.before.day,
                    "to": comparison.after.day,
                    "known_from": comparison.before.known_on,
                    "known_to": comparison.after.known_on,
                    "changes": changes,
                }
            ).data
        )
