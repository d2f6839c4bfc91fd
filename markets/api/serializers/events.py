"""Serializers for mode events: the event itself and the brief an answer rests on."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from markets.api.serializers.evidence import EvidenceSerializer, FactSerializer
from markets.api.serializers.fields import (
    DATE_EARLIEST_HELP,
    DATE_LATEST_HELP,
    DISPUTED_HELP,
    FIELD_HELP,
    DescribedModelSerializer,
    KeyRelatedField,
)
from markets.models import EventEvidence, EventScope, Market, ModeEvent


class EventDatesSerializer(serializers.Serializer):
    """An event's fuzzy date as readers see it: its wording and the days it allows."""

    date_display = serializers.CharField(
        read_only=True, help_text=FIELD_HELP["date_display"]
    )
    date_earliest = serializers.DateField(read_only=True, help_text=DATE_EARLIEST_HELP)
    date_latest = serializers.DateField(read_only=True, help_text=DATE_LATEST_HELP)


class ModeEventSerializer(EventDatesSerializer, FactSerializer):
    """Something that happened to a mode in some markets, with its fuzzy date.

    A launch, a beta, a closure or a shortlist: the status it sets from its date on,
    and the quotes it rests on.
    """

    evidence_model = EventEvidence

    markets = KeyRelatedField(
        Market,
        many=True,
        required=False,
        help_text=_(
            "ISO codes of the markets the event concerns; empty for a worldwide or a "
            "no-market scope."
        ),
    )

    class Meta:
        model = ModeEvent
        fields = (
            "id",
            "slug",
            *ModeEvent.recorded_fields,
            "markets",
            "date_display",
            "date_earliest",
            "date_latest",
            *FactSerializer.FACT_FIELDS,
        )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if "markets" in attrs:
            markets = attrs["markets"]
        else:
            markets = self.instance.markets.all() if self.instance else []
        scope = attrs.get(
            "scope", self.instance.scope if self.instance else EventScope.MARKETS
        )
        try:
            ModeEvent.validate_market_scope(markets, scope)
        except DjangoValidationError as error:
            self.raise_model_errors(error)
        return attrs


class EventBriefSerializer(EventDatesSerializer, DescribedModelSerializer):
    """An event an answer rests on, with the evidence known on the day asked."""

    disputed = serializers.BooleanField(
        source="is_disputed", read_only=True, help_text=DISPUTED_HELP
    )
    dispute = serializers.SlugRelatedField(
        slug_field="slug",
        read_only=True,
        allow_null=True,
        help_text=_("Slug of its dispute, or null."),
    )
    evidence = EvidenceSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "The quotes behind the event; with known_on, only those from sources "
            "published by then."
        ),
    )

    class Meta:
        model = ModeEvent
        fields = (
            "id",
            "slug",
            *ModeEvent.recorded_fields,
            "date_display",
            "date_earliest",
            "date_latest",
            "disputed",
            "dispute",
            "evidence",
        )
        read_only_fields = fields
