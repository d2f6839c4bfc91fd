"""Serializers for /api/changes/: the comparison asked and each cell that changed."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from markets.api.serializers.events import EventBriefSerializer
from markets.api.serializers.evidence import SourceBriefSerializer
from markets.api.serializers.fields import FIELD_HELP, DescribedModelSerializer
from markets.dates import validate_sane_date
from markets.models import EventEvidence, Mode
from status.api.serializers.status import ModeStatusSerializer
from status.changes import ASKED, Comparison


class ChangesQuerySerializer(serializers.Serializer):
    """The question /api/changes/ answers: two days, each as known on a day or now."""

    def get_fields(self) -> dict[str, serializers.Field]:
        # "from" is a Python keyword: the fields cannot be declared as attributes.
        fields: dict[str, serializers.Field] = {
            name: serializers.DateField(
                required=False, validators=[validate_sane_date], help_text=text
            )
            for name, (_label, text) in ASKED.items()
        }
        fields["mode"] = serializers.ChoiceField(
            choices=Mode.choices,
            required=False,
            help_text=_("Only this mode; every mode when left out."),
        )
        return fields

    def validate(self, data: dict) -> dict:
        try:
            data["comparison"] = Comparison.of_parameters(data)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict) from error
        return data


class BecameKnownSerializer(DescribedModelSerializer):
    """A quote whose source was published between the two knowledge days."""

    event = serializers.SlugRelatedField(
        source="fact",
        slug_field="slug",
        read_only=True,
        help_text=_("Slug of the event it is quoted for."),
    )
    source = SourceBriefSerializer(read_only=True)

    class Meta:
        model = EventEvidence
        fields = ("event", "source", "quote", "claim")
        read_only_fields = fields


class CellChangeSerializer(serializers.Serializer):
    """One market × mode cell whose answer differs, and what changed it."""

    market = serializers.CharField(
        source="market.code", help_text=_("ISO code of the market.")
    )
    mode = serializers.ChoiceField(choices=Mode.choices, help_text=FIELD_HELP["mode"])
    before = ModeStatusSerializer(help_text=_("The answer on the first day."))
    after = ModeStatusSerializer(help_text=_("The answer on the last day."))
    events = EventBriefSerializer(
        many=True,
        help_text=_(
            "The events deciding either answer, and those dated after the first day "
            "up to the last that name the market in the mode (a worldwide event only "
            "where it decides an answer: it concerns only the markets where the mode "
            "then runs), oldest first."
        ),
    )
    became_known = BecameKnownSerializer(
        many=True,
        help_text=_(
            "With knowledge days: the quotes of those events whose sources were "
            "published between them. Empty otherwise."
        ),
    )


class ChangesSerializer(serializers.Serializer):
    """Every cell whose answer differs between the two questions."""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields: dict[str, serializers.Field] = {
            name: serializers.DateField(allow_null=True, read_only=True, help_text=text)
            for name, (_label, text) in ASKED.items()
        }
        fields["changes"] = CellChangeSerializer(
            many=True,
            read_only=True,
            help_text=_("Every cell whose answer differs, market by market."),
        )
        return fields
