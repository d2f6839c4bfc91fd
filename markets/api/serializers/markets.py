"""Serializers for markets, sources, disputes and market figures."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from markets.api.serializers.evidence import FactSerializer
from markets.api.serializers.fields import (
    FIELD_HELP,
    ContentSerializer,
    DescribedModelSerializer,
    FullCleanModelSerializer,
    KeyRelatedField,
    OptionalURLField,
    PublicKeyRelatedField,
)
from markets.models import (
    Dispute,
    Market,
    MarketFigure,
    MarketFigureEvidence,
    Region,
    Source,
    SourceText,
)


class MarketSerializer(ContentSerializer):
    """A country where TikTok Shop runs, or may run, one of its modes."""

    region = KeyRelatedField(
        Region,
        help_text=_("Code of the region the market belongs to."),
    )
    name = serializers.SerializerMethodField(
        help_text=_("The name in the request's language, or the other one.")
    )

    class Meta:
        model = Market
        fields = (
            "id",
            "code",
            "name",
            "name_zh",
            "name_en",
            "region",
            *ContentSerializer.CONTENT_FIELDS,
            "created_at",
            "updated_at",
        )

    def get_name(self, market: Market) -> str:
        return market.localized("name")


class ArchivedSerializer(serializers.Serializer):
    """When a source's current archived text was retrieved, and its hash."""

    retrieved_at = serializers.DateTimeField(
        source="archived_retrieved_at",
        read_only=True,
        allow_null=True,
        help_text=_("When the text was read from the source; null when not recorded."),
    )
    sha256 = serializers.CharField(
        source="archived_sha256",
        read_only=True,
        help_text=_("SHA-256 of the normalised text."),
    )

    def to_representation(self, instance: Source) -> dict[str, Any] | None:
        # Read from the annotations of SourceQuerySet.with_archive(): no query a row;
        # a source just written through the API is read afresh.
        if not hasattr(instance, "archived_sha256"):
            current = instance.current_text() if instance.pk else None
            instance.archived_sha256 = current.sha256 if current else None
            instance.archived_retrieved_at = current.retrieved_at if current else None
        if not instance.archived_sha256:
            return None
        return super().to_representation(instance)


class SourceTextSerializer(DescribedModelSerializer):
    """A source's archived text, as it was retrieved, with the hash of its text."""

    source = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Slug of the source.")
    )

    class Meta:
        model = SourceText
        fields = (
            "source",
            "uuid",
            "retrieved_at",
            "created_at",
            "sha256",
            "kind",
            "file_name",
            "text",
        )
        read_only_fields = fields
        extra_kwargs = {
            "file_name": {"help_text": _("The uploaded file's name; empty if pasted.")},
            "text": {"help_text": _("The text, normalised: the SHA-256 is of it.")},
        }


class SourceSerializer(ContentSerializer):
    """An article, or an outlet an article relays, with its fuzzy publication date."""

    reported_via = PublicKeyRelatedField(
        Source,
        allow_null=True,
        required=False,
        help_text=_("Slug of the source that relays this one, e.g. the article."),
    )
    url = OptionalURLField(required=False, help_text=FIELD_HELP["url"])
    published_display = serializers.CharField(
        read_only=True, help_text=FIELD_HELP["published_display"]
    )
    archived = ArchivedSerializer(
        source="*",
        read_only=True,
        allow_null=True,
        help_text=_(
            "The current archived copy of its text (its text at /api/sources/<slug>/"
            "text/), or null where none is kept."
        ),
    )

    class Meta:
        model = Source
        fields = (
            "id",
            "slug",
            *Source.recorded_fields,
            "published_display",
            "reported_via",
            "archived",
            *ContentSerializer.CONTENT_FIELDS,
            "created_at",
            "updated_at",
        )


class DisputeBriefSerializer(DescribedModelSerializer):
    """What the claims of a dispute disagree on."""

    class Meta:
        model = Dispute
        fields = ("slug", "note_zh", "note_en")
        read_only_fields = fields


class DisputeSerializer(FullCleanModelSerializer):
    """Claims that disagree (on a date, a number), tied once, with one note."""

    events = serializers.SlugRelatedField(
        source="markets_modeevent_claims",
        slug_field="slug",
        many=True,
        read_only=True,
        help_text=_("Slugs of the events that are claims of this dispute."),
    )

    class Meta:
        model = Dispute
        fields = ("id", "slug", "note_zh", "note_en", "events", "updated_at")
        read_only_fields = ("id", "updated_at")


class MarketFigureSerializer(FactSerializer):
    """A number about markets, a region, or TikTok Shop as a whole (neither given)."""

    evidence_model = MarketFigureEvidence

    markets = KeyRelatedField(
        Market,
        many=True,
        required=False,
        help_text=_("ISO codes of the markets; empty for a region or the platform."),
    )
    region = KeyRelatedField(
        Region,
        allow_null=True,
        required=False,
        help_text=_("Code of the region, for a figure about a region as a whole."),
    )
    value_display = serializers.CharField(
        read_only=True, help_text=FIELD_HELP["value_display"]
    )

    class Meta:
        model = MarketFigure
        fields = (
            "id",
            "uuid",
            *MarketFigure.recorded_fields,
            "value_display",
            "markets",
            "region",
            *FactSerializer.FACT_FIELDS,
        )
