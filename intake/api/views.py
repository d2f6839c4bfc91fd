"""Intake's endpoints: archive a source's text, read the suggestions of its current
text, accept some as drafts. Each view picks the source and hands the work to the
function the admin's source page calls (markets.archive.source_archive,
intake.candidates); nothing here writes a model itself."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.db.models.functions import Length, Substr
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from intake.api.accepting import accept_by_keys
from intake.api.permissions import IntakePermission
from intake.api.serializers import (
    EXCERPT_CHARS,
    AcceptedSerializer,
    AcceptSerializer,
    ArchiveRequestSerializer,
    ArchivingSerializer,
    PayloadTooLarge,
    SourceTextBriefSerializer,
    SuggestionsSerializer,
    suggestion_data,
)
from intake.candidates import ACCEPT_PERMISSIONS, part_start, suggestion_part
from intake.uploads import MAX_UPLOAD_BYTES
from markets.api.parsers import JSONParser, MultiPartParser
from markets.api.serializers import (
    Conflict,
    MarketFigureSerializer,
    ModeEventSerializer,
)
from markets.archive import quotes_in_text, source_archive
from markets.models import MarketFigure, ModeEvent, Source, SourceText

#: The largest request body read: the largest upload, and room for the form around
#: it. A larger one is answered 413 before a byte of it is read.
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 64 * 1024

NOT_FOUND = OpenApiResponse(description=_("No source has this slug."))
REFUSED = OpenApiResponse(description=_("Not signed in (401), or not an analyst."))


class SourceIntakeView(generics.GenericAPIView):
    """An intake endpoint of one source, drafts included, for analysts only."""

    permission_classes = [IntakePermission]
    read_permissions = ("markets.view_source",)
    # Archiving a text changes the source, as its admin form does.
    write_permissions = ("markets.change_source",)
    queryset = Source.objects.all()
    filter_backends: list = []
    pagination_class = None

    def source(self) -> Source:
        return get_object_or_404(Source.objects.all(), slug=self.kwargs["slug"])


class SourceArchiveView(SourceIntakeView):
    """A source's archived copies: listed, or a text added as its current one."""

    parser_classes = [JSONParser, MultiPartParser]
    serializer_class = ArchiveRequestSerializer

    def copies(self, source: Source) -> QuerySet:
        # Their length and first words, never the whole texts.
        return (
            SourceText.objects.filter(source=source)
            .defer("text")
            .annotate(
                characters=Length("text"), excerpt=Substr("text", 1, EXCERPT_CHARS)
            )
            .order_by("-pk")
        )

    @extend_schema(
        summary=_("A source's archived copies"),
        description=_(
            "For analysts: every copy of the source's text archived, the newest (the "
            "current one, which quotes are checked in) first; their lengths and first "
            "words, not the texts (the published source's current text: "
            "/api/sources/{slug}/text/)."
        ),
        responses={
            200: SourceTextBriefSerializer(many=True),
            401: REFUSED,
            404: NOT_FOUND,
        },
    )
    def get(self, request: Request, slug: str) -> Response:
        copies = list(self.copies(self.source()))
        context = {"current_pk": copies[0].pk if copies else None}
        return Response(
            SourceTextBriefSerializer(copies, many=True, context=context).data
        )

    @extend_schema(
        summary=_("Archive a source's text"),
        description=_(
            "For analysts (the permission to change sources): the text pasted as "
            'JSON ({"text": ..., "kind": "pasted"}) or a file uploaded as multipart '
            "(file=), read and checked as the source's admin page reads and checks "
            "it, becomes the source's current text; every quote resting on the "
            "source is checked again in it, and suggestions are read from it "
            "(suggestions/). The same text as the current copy adds nothing (200); a "
            "new one is 201. A file or request over the size read is a 413; every "
            "other refusal a 400 naming its field."
        ),
        request={
            "application/json": ArchiveRequestSerializer,
            "multipart/form-data": ArchiveRequestSerializer,
        },
        responses={
            201: ArchivingSerializer,
            200: ArchivingSerializer,
            400: OpenApiResponse(description=_("A field refused, and why.")),
            401: REFUSED,
            404: NOT_FOUND,
            413: OpenApiResponse(description=_("Larger than the API reads.")),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        if declared_length(request) > MAX_REQUEST_BYTES:
            raise PayloadTooLarge()
        source = self.source()
        query = ArchiveRequestSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        text, kind, file_name = query.validated_data["archive"]
        try:
            archived = source_archive(
                source=source,
                text=text,
                kind=kind,
                retrieved_at=query.validated_data.get("retrieved_at"),
                file_name=file_name,
                user=request.user,
            )
        except DjangoValidationError as error:
            raise ValidationError(
                {query.validated_data["field"]: error.messages}
            ) from error
        archived.copy.characters = len(archived.copy.text)
        archived.copy.excerpt = archived.copy.text[:EXCERPT_CHARS]
        return Response(
            ArchivingSerializer(
                archived, context={"current_pk": archived.copy.pk}
            ).data,
            status=201 if archived.created else 200,
        )


FROM = OpenApiParameter(
    "from",
    OpenApiTypes.INT,
    description=_(
        "Where the part of the text to read starts: a previous answer's next_start."
    ),
)


class SourceSuggestionsView(SourceIntakeView):
    """The candidate facts of a source's current text, a part at a time."""

    serializer_class = SuggestionsSerializer

    @extend_schema(
        summary=_("Suggestions from a source's text"),
        description=_(
            "For analysts: the candidate facts the admin's suggestions page offers "
            "for the source's current archived text, in text order: events (mode, "
            "kind, date and its precision, markets) and market figures, each with "
            "the sentence that would be its quote and a key to accept it by. A part "
            "of the text at a time (next_start); sentences a fact rests on already "
            "offer nothing. 404 where no text is archived."
        ),
        parameters=[FROM],
        responses={200: SuggestionsSerializer, 401: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        source = self.source()
        copy = current_copy(source)
        part = suggestion_part(
            source, copy, quotes_in_text(source), start=part_start(request)
        )
        return Response(
            SuggestionsSerializer(
                {
                    "source": source.slug,
                    "sha256": copy.sha256,
                    "start": part.start,
                    "next_start": part.next_start,
                    "text_length": part.text_length,
                    "recorded": sum(1 for group in part.groups if group.recorded),
                    "suggestions": [
                        suggestion_data(candidate, group.sentence)
                        for group in part.groups
                        for candidate in group.candidates
                    ],
                }
            ).data
        )


class SuggestionsAcceptView(SourceIntakeView):
    """Suggestions of a source's text added as drafts, with their quotes verified."""

    serializer_class = AcceptSerializer
    write_permissions = ACCEPT_PERMISSIONS

    @extend_schema(
        summary=_("Accept suggestions as drafts"),
        description=_(
            "For analysts: the suggestions named by key (of the part of the text "
            "read from start) are added as draft facts, each resting on its sentence "
            "as a quote verified in the archived text, exactly as the admin's "
            "suggestions page adds them; overrides change a suggestion's fields "
            "first. All or nothing: a refused key is a 400 naming only the keys "
            "refused, field by field, and nothing is written. A text archived again "
            "since the suggestions were read (another sha256) is a 409. The answer "
            "holds the body to preview and publish them all (publication)."
        ),
        request=AcceptSerializer,
        responses={
            201: AcceptedSerializer,
            400: OpenApiResponse(description=_("Keys refused, and why.")),
            401: REFUSED,
            404: NOT_FOUND,
            409: OpenApiResponse(description=_("The text changed meanwhile.")),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        source = self.source()
        query = AcceptSerializer(data=request.data)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        copy = current_copy(source)
        if data["sha256"] != copy.sha256:
            raise Conflict(
                _("The text was archived again since the suggestions were read.")
            )
        part = suggestion_part(
            source, copy, quotes_in_text(source), start=data["start"]
        )
        created = accept_by_keys(
            source=source,
            part=part,
            keys=data["keys"],
            overrides=data["overrides"],
            user=request.user,
        )
        return Response(self.accepted(created), status=201)

    def accepted(self, created: list[Any]) -> dict[str, Any]:
        """The drafts as their own endpoints show them, and the publication body."""
        context = {**self.get_serializer_context(), "public": False}
        ids = {
            model: [f.pk for f in created if isinstance(f, model)]
            for model in (ModeEvent, MarketFigure)
        }
        events = ModeEvent.objects.with_related().filter(pk__in=ids[ModeEvent])
        figures = MarketFigure.objects.with_related().filter(pk__in=ids[MarketFigure])
        return {
            "events": ModeEventSerializer(
                events.order_by("date", "slug"), many=True, context=context
            ).data,
            "figures": MarketFigureSerializer(
                figures.order_by("pk"), many=True, context=context
            ).data,
            "publication": {
                "slugs": sorted(event.slug for event in events),
                "figures": [str(figure.uuid) for figure in figures.order_by("pk")],
            },
        }


def declared_length(request: Request) -> int:
    """The body's length as the request declares it; 0 where it declares none (or
    nonsense, which the server reading the body then refuses)."""
    value = request.META.get("CONTENT_LENGTH") or ""
    return int(value) if value.isascii() and value.isdigit() else 0


def current_copy(source: Source) -> SourceText:
    """The source's current text, or a 404 saying to archive one first."""
    copy = source.current_text()
    if copy is None:
        raise NotFound(
            _("Archive the source's text first: suggestions are read from it.")
        )
    return copy
