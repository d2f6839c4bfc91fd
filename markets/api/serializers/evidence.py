"""Serializers for evidence: the quoted source, the quotes, and the facts they back."""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from markets.api.serializers.fields import (
    DISPUTED_HELP,
    FIELD_HELP,
    ContentSerializer,
    DescribedModelSerializer,
    KeyRelatedField,
    OptionalURLField,
)
from markets.models import Dispute, EventEvidence, Source, Verification
from markets.services import record_delete


class SourceBriefSerializer(DescribedModelSerializer):
    """The source a quote comes from, as every piece of evidence shows it."""

    url = OptionalURLField(read_only=True, help_text=FIELD_HELP["url"])

    class Meta:
        model = Source
        fields = ("id", "slug", *Source.cited_fields)
        read_only_fields = fields


class EvidenceSourceField(KeyRelatedField):
    """Read as the source itself; written as the source's slug."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("The source: written as its slug, read as the source with its date."),
        )
        super().__init__(Source, **kwargs)

    def to_representation(self, value: Source) -> dict[str, Any]:
        # One serializer for every quote of the response: building one per quote costs
        # more than everything else the list does.
        if not hasattr(self, "_brief"):
            self._brief = SourceBriefSerializer(context=self.context)
        return self._brief.to_representation(value)


class EvidenceSourceFieldSchema(OpenApiSerializerFieldExtension):
    """In the schema: a slug in requests, a SourceBrief object in responses."""

    target_class = EvidenceSourceField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {
                **build_basic_type(OpenApiTypes.STR),
                "description": str(_("Slug of an existing source.")),
            }
        component = auto_schema.resolve_serializer(SourceBriefSerializer, direction)
        return component.ref


# Every evidence model shares the abstract Evidence fields, so one serializer reads and
# checks them all; each fact's serializer writes its own evidence model.
class SelectorSerializer(serializers.Serializer):
    """Where a quote stands in its source's archived text (W3C TextQuoteSelector and
    TextPositionSelector)."""

    exact = serializers.CharField(
        read_only=True, help_text=_("The quoted passage as the archived text has it.")
    )
    prefix = serializers.CharField(
        read_only=True, help_text=_("Up to 32 characters of the text before it.")
    )
    suffix = serializers.CharField(
        read_only=True, help_text=_("Up to 32 characters of the text after it.")
    )
    start = serializers.IntegerField(
        read_only=True,
        help_text=_("Offset of its first character in the text, counted from 0."),
    )
    end = serializers.IntegerField(
        read_only=True, help_text=_("Offset just past its last character.")
    )


class EvidenceSerializer(DescribedModelSerializer):
    """A verbatim quote and the source it comes from, behind every kind of fact."""

    source = EvidenceSourceField()
    verification = serializers.ChoiceField(
        choices=Verification.choices,
        read_only=True,
        help_text=_(
            "verified: the quote stands in the source's archived text (for a relayed "
            "outlet, the relaying article's); needs_review: it did, until the text "
            "was archived again; unverified: there is no archived text."
        ),
    )
    selector = SelectorSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("Where a verified quote stands in the archived text, or null."),
    )

    class Meta:
        model = EventEvidence
        fields = ("source", "quote", "claim", "verification", "selector")


# A fact with its evidence and whether its sources disagree. Evidence is written with
# the fact, in one transaction. On an update it is the whole list: quotes already there
# are kept, new ones added, and missing ones removed, which needs the permission to
# delete evidence, as in the admin.
class FactSerializer(ContentSerializer):
    evidence_model: type[models.Model]

    disputed = serializers.BooleanField(
        source="is_disputed", read_only=True, help_text=DISPUTED_HELP
    )
    dispute = KeyRelatedField(
        Dispute,
        allow_null=True,
        required=False,
        help_text=_(
            "Slug of the dispute this claim belongs to (see /api/disputes/), or null."
        ),
    )
    dispute_note_zh = serializers.CharField(
        source="dispute.note_zh",
        read_only=True,
        default="",
        help_text=FIELD_HELP["dispute_note_zh"],
    )
    dispute_note_en = serializers.CharField(
        source="dispute.note_en",
        read_only=True,
        default="",
        help_text=FIELD_HELP["dispute_note_en"],
    )
    evidence = EvidenceSerializer(
        many=True,
        required=False,
        help_text=_(
            "The verbatim quotes this fact rests on, each with its source. Written "
            "with the fact; on an update, the whole list: quotes already there are "
            "kept, missing ones removed (which needs the delete permission)."
        ),
    )

    FACT_FIELDS = (
        "disputed",
        "dispute",
        "dispute_note_zh",
        "dispute_note_en",
        "evidence",
        *ContentSerializer.CONTENT_FIELDS,
        "created_at",
        "updated_at",
    )

    def create(self, validated_data: dict[str, Any]) -> models.Model:
        evidence = validated_data.pop("evidence", [])
        with transaction.atomic():
            instance = super().create(validated_data)
            self.write_evidence(instance, evidence)
        return instance

    def update(self, instance: models.Model, validated_data: dict[str, Any]):
        evidence = validated_data.pop("evidence", None)
        with transaction.atomic():
            instance = super().update(instance, validated_data)
            if evidence is not None:
                self.write_evidence(instance, evidence)
        # Drop what was prefetched before the write, so the response shows the new rows.
        getattr(instance, "_prefetched_objects_cache", {}).clear()
        return instance

    def write_evidence(self, fact: models.Model, items: list[dict[str, Any]]) -> None:
        """Make the fact's evidence match ``items``, each row checked by ``full_clean``."""
        existing = {
            (row.source_id, row.quote, row.claim): row for row in fact.evidence.all()
        }
        new_rows: dict[int, models.Model] = {}
        for index, item in enumerate(items):
            key = (item["source"].pk, item["quote"], item.get("claim", ""))
            if existing.pop(key, None) is None:
                new_rows[index] = self.evidence_model(fact=fact, **item)
        if new_rows:
            self.check_evidence_permission("add")
        if existing:
            self.check_evidence_permission("delete")
            request = self.context.get("request")
            for row in existing.values():
                record_delete(record=row, user=request.user if request else None)
        # Errors keyed by the item's position, as DRF reports a nested list's errors.
        errors: dict[int, dict[str, list[str]]] = {}
        for index, row in new_rows.items():
            try:
                row.full_clean()
            except DjangoValidationError as error:
                errors[index] = error.message_dict
        if errors:
            raise serializers.ValidationError({"evidence": errors})
        for row in new_rows.values():
            self.sign(row, fact._change_reason or "")
            row.save()

    def check_evidence_permission(self, action: str) -> None:
        """Evidence is written with its fact, under the evidence model's own permission."""
        request = self.context.get("request")
        opts = self.evidence_model._meta
        permission = f"{opts.app_label}.{action}_{opts.model_name}"
        if request is None or not request.user.has_perm(permission):
            message = (
                _("Adding evidence needs the permission to add %(name)s.")
                if action == "add"
                else _("Removing evidence needs the permission to delete %(name)s.")
            )
            raise PermissionDenied(message % {"name": opts.verbose_name})
