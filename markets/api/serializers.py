"""What the API reads and writes for markets, sources, events and figures.

Rules live on the models: every write goes through the model's ``full_clean()`` (as
NetBox's serializers do) and the model's own errors come back field by field. A fact is
written with its evidence in one transaction, so a bad quote leaves nothing behind.
"""

import copy
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import build_basic_type
from drf_spectacular.types import OpenApiTypes
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.settings import api_settings
from rest_framework.utils import model_meta

from markets.answers import Answer
from markets.dates import validate_sane_date
from markets.models import (
    Dispute,
    EventEvidence,
    EventScope,
    Market,
    MarketFigure,
    MarketFigureEvidence,
    Mode,
    ModeEvent,
    Publication,
    Region,
    Source,
    StaleEditError,
)
from markets.services import record_delete

# Descriptions for the schema, where the model field has no help text of its own.
FIELD_HELP = {
    "id": _("Database identifier; URLs use the code, slug or UUID instead."),
    "uuid": _("Stable identifier of the figure, used in its URL."),
    "slug": _("Stable identifier, used in URLs and fixtures."),
    "name_zh": _("Name in Simplified Chinese."),
    "name_en": _("Name in English."),
    "region": _("Region code."),
    "publication": _("draft or published; drafts are visible to analysts only."),
    "created_at": _("When the record was created."),
    "updated_at": _("When the record was last changed."),
    "dispute_note_zh": _("What the sources disagree on, in Chinese."),
    "dispute_note_en": _("What the sources disagree on, in English."),
    "note_zh": _("What the sources disagree on, in Chinese."),
    "note_en": _("What the sources disagree on, in English."),
    "scope": _(
        "markets or region: the markets listed; worldwide: every market where the "
        "mode then runs; none: no market."
    ),
    "is_scheduled": _(
        "The source announces the change for the future: a scheduled change, not one "
        "the source saw happen."
    ),
    "title_en": _("The title translated into English."),
    "publisher": _("Who published the source, e.g. 小川电商."),
    "kind": _("What the source is, or what happened in the event."),
    "url": _("Where the source can be read: http or https only; null when unknown."),
    "published_precision": _("How precise the publication date is."),
    "published_wording": _("The publication date in the source's own words."),
    "published_display": _("The publication date as precisely as it is known."),
    "language": _("The language the source is written in."),
    "reported_via": _("Slug of the source that relays this one."),
    "mode": _("The commerce mode."),
    "markets": _("ISO codes of the markets concerned."),
    "date_precision": _("How precise the date is: day, month, year or approximate."),
    "date_display": _("The date as precisely as the source gives it, e.g. 2024-02."),
    "summary_zh": _("What happened, in Chinese."),
    "summary_en": _("What happened, in English (a faithful translation)."),
    "metric_zh": _("What the figure measures, in Chinese."),
    "metric_en": _("What the figure measures, in English."),
    "value": _("The value, in the unit given; a decimal string."),
    "unit": _("The unit the value is in."),
    "period_zh": _("The period the figure covers, in Chinese."),
    "period_en": _("The period the figure covers, in English."),
    "value_display": _("The value as a reader expects it, e.g. > 50,000,000."),
    "value_before": _("The value before the change; null where the source gives none."),
    "seller_name_en": _("The seller or shop's name in English."),
    "person_name_en": _("The person's name in English."),
    "person_role_zh": _("The person's role, in Chinese."),
    "person_role_en": _("The person's role, in English."),
    "city_zh": _("The seller's city, in Chinese."),
    "city_en": _("The seller's city, in English."),
    "category_zh": _("What the seller sells, in Chinese."),
    "category_en": _("What the seller sells, in English."),
    "narrative_zh": _("What happened to the seller, in Chinese."),
    "narrative_en": _(
        "What happened to the seller, in English (a faithful translation)."
    ),
}

DISPUTED_HELP = _(
    "Sources disagree on this fact: it is one claim of a dispute, whose other claims "
    "are facts of their own, each with its source."
)


DATE_EARLIEST_HELP = _("The earliest day the date's wording allows.")
DATE_LATEST_HELP = _("The latest day the date's wording allows.")


# Fills in a schema description for fields whose model field has no help text. Base
# serializers carry comments, not docstrings: a docstring is inherited into the schema.
class DescribedModelSerializer(serializers.ModelSerializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, field in fields.items():
            if not field.help_text and name in FIELD_HELP:
                field.help_text = FIELD_HELP[name]
        return fields


def model_field_errors(
    serializer: serializers.Serializer, error: DjangoValidationError
) -> dict[str, list[str]]:
    """A model's ``ValidationError`` keyed by the serializer's field names."""
    by_source = {
        field.source: name
        for name, field in serializer.fields.items()
        if not field.read_only
    }
    errors: dict[str, list[str]] = {}
    for model_field, messages in error.message_dict.items():
        if model_field == NON_FIELD_ERRORS:
            key = api_settings.NON_FIELD_ERRORS_KEY
        else:
            key = by_source.get(model_field, api_settings.NON_FIELD_ERRORS_KEY)
        errors.setdefault(key, []).extend(messages)
    return errors


# Validates a write through the model's full_clean(), excluding nothing, as NetBox does.
class FullCleanModelSerializer(DescribedModelSerializer):
    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        instance = self.unsaved_instance(attrs)
        try:
            instance.full_clean()
        except DjangoValidationError as error:
            raise serializers.ValidationError(
                model_field_errors(self, error)
            ) from error
        return attrs

    def unsaved_instance(self, attrs: dict[str, Any]) -> models.Model:
        """The row as it would be saved, without touching the instance being edited."""
        model = self.Meta.model
        concrete = {field.name for field in model._meta.concrete_fields} - {"version"}
        values = {name: value for name, value in attrs.items() if name in concrete}
        if self.instance is None:
            return model(**values)
        instance = copy.copy(self.instance)
        for name, value in values.items():
            setattr(instance, name, value)
        return instance

    def raise_model_errors(self, error: DjangoValidationError) -> None:
        raise serializers.ValidationError(model_field_errors(self, error)) from error


class VersionRequired(APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = _(
        "Send the version you read with an update, so that an edit you never saw is "
        "not overwritten."
    )
    default_code = "version_required"


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The record changed, or other records still refer to it.")
    default_code = "conflict"


# What every published-or-draft record shares: its publication, its version, and the
# reason and author of a change, which its history keeps, as the admin does.
class ContentSerializer(FullCleanModelSerializer):
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_(
            "Raised by one at every save. Send the version you read with an update: "
            "if someone changed the record since, the update is refused with 409."
        ),
    )
    change_reason = serializers.CharField(
        write_only=True,
        required=False,
        allow_blank=True,
        max_length=100,
        help_text=_(
            "Why you make this change, kept in the record's history, e.g. “date "
            "corrected from the source”."
        ),
    )

    CONTENT_FIELDS = ("publication", "version", "change_reason")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        current = self.instance.publication if self.instance else Publication.DRAFT
        if attrs.get("publication", current) != current:
            self.check_publish_permission()
        return super().validate(attrs)

    def check_publish_permission(self) -> None:
        """Publishing, and returning to draft, is the editors' permission."""
        request = self.context.get("request")
        model = self.Meta.model
        if not model.may_publish(request.user if request else None):
            raise PermissionDenied(model.publish_refusal())

    def create(self, validated_data: dict[str, Any]) -> models.Model:
        reason = validated_data.pop("change_reason", "")
        validated_data.pop("version", None)
        many_to_many = self.pop_many_to_many(validated_data)
        instance = self.Meta.model(**validated_data)
        self.save_instance(instance, reason, expected_version=None)
        for name, value in many_to_many.items():
            getattr(instance, name).set(value)
        return instance

    def update(self, instance: models.Model, validated_data: dict[str, Any]):
        reason = validated_data.pop("change_reason", "")
        expected_version = validated_data.pop("version", None)
        if expected_version is None:
            raise VersionRequired()
        many_to_many = self.pop_many_to_many(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        self.save_instance(instance, reason, expected_version)
        for name, value in many_to_many.items():
            getattr(instance, name).set(value)
        return instance

    def pop_many_to_many(self, validated_data: dict[str, Any]) -> dict[str, Any]:
        relations = model_meta.get_field_info(self.Meta.model).relations
        return {
            name: validated_data.pop(name)
            for name in list(validated_data)
            if name in relations and relations[name].to_many
        }

    def save_instance(
        self, instance: models.Model, reason: str, expected_version: int | None
    ) -> None:
        self.sign(instance, reason)
        try:
            with transaction.atomic():
                instance.save(expected_version=expected_version)
        except StaleEditError as error:
            raise Conflict(error.message) from error
        except IntegrityError as error:
            raise serializers.ValidationError(
                {api_settings.NON_FIELD_ERRORS_KEY: [str(error)]}
            ) from error

    def sign(self, row: models.Model, reason: str) -> None:
        """Who made this change and why, for the record's history."""
        request = self.context.get("request")
        row._change_reason = reason or None
        if request is not None and request.user.is_authenticated:
            row._history_user = request.user


NULL_CHARACTER_MESSAGE = _("Null characters are not allowed.")


class KeyRelatedField(serializers.SlugRelatedField):
    """A related record named by its code or slug.

    Text with a null character is refused before any lookup: PostgreSQL can neither
    store nor compare it, and DRF checks it only in plain text fields.
    """

    def to_internal_value(self, data: Any) -> models.Model:
        if isinstance(data, str) and "\x00" in data:
            raise serializers.ValidationError(NULL_CHARACTER_MESSAGE)
        return super().to_internal_value(data)


class OptionalURLField(serializers.URLField):
    """A web address, or null where the source has none (stored as an empty string)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", Source._meta.get_field("url").max_length)
        super().__init__(**kwargs)

    def validate_empty_values(self, data: Any) -> tuple[bool, Any]:
        if data is None:
            return True, ""
        return super().validate_empty_values(data)

    def to_representation(self, value: str) -> str | None:
        return value or None


# --- Evidence ------------------------------------------------------------------------


class SourceBriefSerializer(DescribedModelSerializer):
    """The source a quote comes from, as every piece of evidence shows it."""

    url = OptionalURLField(read_only=True, help_text=FIELD_HELP["url"])

    class Meta:
        model = Source
        fields = (
            "id",
            "slug",
            "title",
            "url",
            "publisher",
            "published_on",
            "published_precision",
            "published_wording",
        )
        read_only_fields = fields


class EvidenceSourceField(KeyRelatedField):
    """Read as the source itself; written as the source's slug."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text",
            _("The source: written as its slug, read as the source with its date."),
        )
        super().__init__(slug_field="slug", queryset=Source.objects.all(), **kwargs)

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
class EvidenceSerializer(DescribedModelSerializer):
    """A verbatim quote and the source it comes from, behind every kind of fact."""

    source = EvidenceSourceField()

    class Meta:
        model = EventEvidence
        fields = ("source", "quote", "claim")


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
        slug_field="slug",
        queryset=Dispute.objects.all(),
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


# --- Reference data and sources ------------------------------------------------------


class MarketSerializer(ContentSerializer):
    """A country where TikTok Shop runs, or may run, one of its modes."""

    region = KeyRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
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


class SourceSerializer(ContentSerializer):
    """An article, or an outlet an article relays, with its fuzzy publication date."""

    reported_via = KeyRelatedField(
        slug_field="slug",
        queryset=Source.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("Slug of the source that relays this one, e.g. the article."),
    )
    url = OptionalURLField(required=False, help_text=FIELD_HELP["url"])
    published_display = serializers.CharField(
        read_only=True, help_text=FIELD_HELP["published_display"]
    )

    class Meta:
        model = Source
        fields = (
            "id",
            "slug",
            "title",
            "title_en",
            "publisher",
            "kind",
            "url",
            "published_on",
            "published_precision",
            "published_wording",
            "published_note",
            "published_display",
            "language",
            "reported_via",
            *ContentSerializer.CONTENT_FIELDS,
            "created_at",
            "updated_at",
        )

    def to_representation(self, source: Source) -> dict[str, Any]:
        data = super().to_representation(source)
        if self.context.get("public") and source.public_reported_via is None:
            # A draft relaying source stays out of sight, as on the pages.
            data["reported_via"] = None
        return data


# --- Events --------------------------------------------------------------------------


class ModeEventSerializer(FactSerializer):
    """Something that happened to a mode in some markets, with its fuzzy date.

    A launch, a beta, a closure or a shortlist: the status it sets from its date on,
    and the quotes it rests on.
    """

    evidence_model = EventEvidence

    markets = KeyRelatedField(
        slug_field="code",
        queryset=Market.objects.all(),
        many=True,
        required=False,
        help_text=_(
            "ISO codes of the markets the event concerns; empty for a worldwide or a "
            "no-market scope."
        ),
    )
    date_display = serializers.CharField(
        read_only=True, help_text=FIELD_HELP["date_display"]
    )
    date_earliest = serializers.DateField(read_only=True, help_text=DATE_EARLIEST_HELP)
    date_latest = serializers.DateField(read_only=True, help_text=DATE_LATEST_HELP)

    class Meta:
        model = ModeEvent
        fields = (
            "id",
            "slug",
            "mode",
            "kind",
            "markets",
            "scope",
            "date",
            "date_precision",
            "date_wording",
            "date_note",
            "date_display",
            "date_earliest",
            "date_latest",
            "is_scheduled",
            "status_set",
            "summary_zh",
            "summary_en",
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


class EventBriefSerializer(DescribedModelSerializer):
    """An event an answer rests on, with the evidence known on the day asked."""

    disputed = serializers.BooleanField(
        source="is_disputed", read_only=True, help_text=DISPUTED_HELP
    )
    dispute = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text=_("Slug of its dispute, or null.")
    )
    evidence = EvidenceSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "The quotes behind the event; with known_on, only those from sources "
            "published by then."
        ),
    )
    date_display = serializers.CharField(
        read_only=True, help_text=FIELD_HELP["date_display"]
    )
    date_earliest = serializers.DateField(read_only=True, help_text=DATE_EARLIEST_HELP)
    date_latest = serializers.DateField(read_only=True, help_text=DATE_LATEST_HELP)

    class Meta:
        model = ModeEvent
        fields = (
            "id",
            "slug",
            "mode",
            "kind",
            "scope",
            "date",
            "date_precision",
            "date_wording",
            "date_note",
            "date_display",
            "date_earliest",
            "date_latest",
            "is_scheduled",
            "status_set",
            "summary_zh",
            "summary_en",
            "disputed",
            "dispute",
            "evidence",
        )
        read_only_fields = fields


class DisputeBriefSerializer(DescribedModelSerializer):
    """What the claims of a dispute disagree on."""

    class Meta:
        model = Dispute
        fields = ("slug", "note_zh", "note_en")
        read_only_fields = fields


class ModeStatusSerializer(serializers.Serializer):
    """One cell of the answer: a market, a mode, a day, and what the record says then."""

    market = serializers.CharField(
        source="market.code", help_text=_("ISO code of the market.")
    )
    mode = serializers.ChoiceField(choices=Mode.choices, help_text=FIELD_HELP["mode"])
    as_of = serializers.DateField(source="day", help_text=_("The day asked about."))
    status = serializers.ChoiceField(
        choices=Answer.choices,
        help_text=_(
            "live, beta, closed or considering, as the latest published claim on or "
            "before the day sets it; no_evidence where no source speaks, which is not "
            "the same as not running. While uncertain, the status the day may already "
            "have."
        ),
    )
    since = serializers.DateField(
        allow_null=True,
        help_text=_(
            "The first day of this answer; null where it holds since a day no source "
            "gives (an implied status)."
        ),
    )
    uncertain = serializers.BooleanField(
        help_text=_(
            "The day falls between the earliest and the latest day the claims allow "
            "(a month-precision date, or claims that disagree): it may still be "
            "previous_status."
        )
    )
    previous_status = serializers.CharField(
        allow_blank=True,
        help_text=_("While uncertain, the status the day may still have; else empty."),
    )
    certain_from = serializers.DateField(
        allow_null=True,
        help_text=_("While uncertain, the first day the answer is certain; else null."),
    )
    implied = serializers.BooleanField(
        help_text=_(
            "No source states this status; a later transition implies it (a closure "
            "implies the mode ran before). event is that transition."
        )
    )
    scheduled = serializers.BooleanField(
        help_text=_(
            "The status comes from a change announced ahead of time, which no source "
            "has reported as done."
        )
    )
    evidence_on = serializers.DateField(
        allow_null=True,
        help_text=_(
            "The latest day the newest source behind the answer may have been "
            "published: how fresh the answer is."
        ),
    )
    evidence_source = SourceBriefSerializer(
        allow_null=True, help_text=_("The newest source behind the answer.")
    )
    stale = serializers.BooleanField(
        help_text=_(
            "The newest evidence is older than the day asked by more than the "
            "threshold (LOOPWATCH_STALE_AFTER_DAYS, 180 days by default)."
        )
    )
    event = EventBriefSerializer(
        allow_null=True,
        help_text=_(
            "The event that decides the answer (or implies it); null for none."
        ),
    )
    claims = EventBriefSerializer(
        source="disputed_claims",
        many=True,
        help_text=_(
            "Where claims of a dispute decide the answer: each of them, side by side, "
            "with its source; empty where one event decides it."
        ),
    )
    dispute = DisputeBriefSerializer(
        allow_null=True, help_text=_("What the claims disagree on, or null.")
    )


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


class StatusQuerySerializer(serializers.Serializer):
    """The question /api/status/ answers."""

    as_of = serializers.DateField(
        validators=[validate_sane_date],
        help_text=_("The day to answer for, YYYY-MM-DD."),
    )
    mode = serializers.ChoiceField(
        choices=Mode.choices,
        required=False,
        help_text=_("Only this mode; every mode when left out."),
    )
    known_on = serializers.DateField(
        required=False,
        validators=[validate_sane_date],
        help_text=_(
            "Answer from the evidence of sources surely published on or before this day "
            "only (the last day their publication date allows): what an analyst could "
            "have known then."
        ),
    )


# --- Figures -------------------------------------------------------------------------


class MarketFigureSerializer(FactSerializer):
    """A number about markets, a region, or TikTok Shop as a whole (neither given)."""

    evidence_model = MarketFigureEvidence

    markets = KeyRelatedField(
        slug_field="code",
        queryset=Market.objects.all(),
        many=True,
        required=False,
        help_text=_("ISO codes of the markets; empty for a region or the platform."),
    )
    region = KeyRelatedField(
        slug_field="code",
        queryset=Region.objects.all(),
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
            "metric_zh",
            "metric_en",
            "qualifier",
            "value",
            "unit",
            "value_display",
            "is_projection",
            "period_zh",
            "period_en",
            "markets",
            "region",
            *FactSerializer.FACT_FIELDS,
        )
