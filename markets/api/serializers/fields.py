"""Shared fields, help texts, base serializers and errors of the API serializers."""

import copy
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, PermissionDenied
from rest_framework.settings import api_settings
from rest_framework.utils import model_meta

from config.text import canonical, one_line_text
from markets.models import Publication, Source, StaleEditError, public_or_none

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
    "publisher_en": _(
        "The publisher's English name, where the source gives one; else empty."
    ),
    "kind": _("What the source is, or what happened in the event."),
    "url": _("Where the source can be read: http or https only; null when unknown."),
    "published_precision": _("How precise the publication date is."),
    "published_wording": _("The publication date in the source's own words."),
    "published_display": _("The publication date as precisely as it is known."),
    "language": _("The language the source is written in."),
    "reported_via": _("Slug of the source that relays this one."),
    "mode": _("The commerce mode."),
    "markets": _("ISO codes of the markets concerned."),
    "date_precision": _(
        "How precise the date is: a day, a month or its end, a season, a quarter, "
        "a half, the start, middle or end of a year, a year, or about a year."
    ),
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
DATE_LATEST_HELP = _(
    "The latest day the event may have happened on: the date's wording's last day, "
    "or, for what a source reports as done, the last day its earliest published "
    "source may have been published."
)


# A model's one-line text as the API takes it in: composed (config.text.canonical),
# then held to the rules for text by the model's full_clean(), as every writer is.
class OneLineTextField(serializers.CharField):
    multiline = False

    def to_internal_value(self, data: Any) -> str:
        return canonical(super().to_internal_value(data), multiline=self.multiline)


# A model's text with lines: composed, and each line ending in a line feed.
class TextWithLinesField(OneLineTextField):
    multiline = True


# Fills in a schema description for fields whose model field has no help text. Base
# serializers carry comments, not docstrings: a docstring is inherited into the schema.
class DescribedModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: OneLineTextField,
        models.TextField: TextWithLinesField,
    }

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
        validators=[one_line_text],
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
    """A related record of ``model`` named by its natural key (its code or slug).

    Text with a null character is refused before any lookup: PostgreSQL can neither
    store nor compare it, and DRF checks it only in plain text fields.
    """

    def __init__(self, model: type[models.Model], **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", model.natural_key_field)
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", model._default_manager.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> models.Model:
        if isinstance(data, str) and "\x00" in data:
            raise serializers.ValidationError(NULL_CHARACTER_MESSAGE)
        return super().to_internal_value(data)


class PublicKeyRelatedField(KeyRelatedField):
    """A related record that the public sees only once it is published, as on the pages."""

    def get_attribute(self, instance: models.Model) -> models.Model | None:
        record = super().get_attribute(instance)
        return public_or_none(record) if self.context.get("public") else record


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
