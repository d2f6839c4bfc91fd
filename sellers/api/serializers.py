"""What the API reads and writes for seller cases and their figures."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from markets.api.serializers import (
    FactSerializer,
    KeyRelatedField,
    PublicKeyRelatedField,
)
from markets.models import Market, ModeEvent, Region
from sellers.models import (
    SellerCase,
    SellerCaseEvidence,
    SellerFigure,
    SellerFigureEvidence,
    Strategy,
)
from sellers.pairing import PLACEMENT_HELP, figure_placement

FIGURE_FIELDS = (
    "id",
    "uuid",
    *SellerFigure.recorded_fields,
    "before_display",
    "after_display",
    "event_placement",
    *FactSerializer.FACT_FIELDS,
)


class SellerFigureSerializer(FactSerializer):
    """A seller's number before and after, with its evidence."""

    evidence_model = SellerFigureEvidence

    seller_case = KeyRelatedField(
        SellerCase,
        help_text=_("Slug of the seller case the figure belongs to."),
    )
    before_display = serializers.CharField(
        read_only=True, help_text=_("The value before, as a reader expects it.")
    )
    after_display = serializers.CharField(
        read_only=True, help_text=_("The value after, as a reader expects it.")
    )
    event_placement = serializers.SerializerMethodField(help_text=PLACEMENT_HELP)

    class Meta:
        model = SellerFigure
        fields = ("id", "uuid", "seller_case", *FIGURE_FIELDS[2:])

    def get_event_placement(self, figure: SellerFigure) -> str | None:
        # The case and its event come with the figure (with_related, public).
        placement = figure_placement(figure, figure.seller_case.public_event_span)
        return placement and str(placement)


def blank_choice(name: str) -> serializers.ChoiceField:
    """A figure's optional choice, read only: declared, since DRF drops ``allow_blank``
    from a field it makes read only, and the schema would then refuse the blank."""
    field = SellerFigure._meta.get_field(name)
    return serializers.ChoiceField(
        choices=field.choices,
        allow_blank=True,
        read_only=True,
        help_text=field.help_text,
    )


class CaseFigureSerializer(SellerFigureSerializer):
    """A figure inside its seller case, which need not name the case again."""

    period_precision = blank_choice("period_precision")
    event_side = blank_choice("event_side")

    class Meta:
        model = SellerFigure
        fields = FIGURE_FIELDS
        read_only_fields = FIGURE_FIELDS


class SellerCaseSerializer(FactSerializer):
    """A seller's story around a mode change, with its figures and evidence."""

    evidence_model = SellerCaseEvidence

    display_name = serializers.CharField(
        read_only=True,
        help_text=_("The seller's name, the person's, both, or “Unnamed seller”."),
    )
    target_markets = KeyRelatedField(
        Market,
        many=True,
        required=False,
        help_text=_("ISO codes of the markets the seller sells to."),
    )
    target_regions = KeyRelatedField(
        Region,
        many=True,
        required=False,
        help_text=_("Codes of regions named without a country in them."),
    )
    reacts_to = PublicKeyRelatedField(
        ModeEvent,
        allow_null=True,
        required=False,
        help_text=_("Slug of the mode event the case reacts to."),
    )
    strategies = KeyRelatedField(
        Strategy,
        many=True,
        required=False,
        help_text=_("Codes of the strategies the seller adopted."),
    )
    figures = CaseFigureSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "The seller's figures; written through /api/seller-figures/ with the "
            "case's slug."
        ),
    )

    class Meta:
        model = SellerCase
        fields = (
            "id",
            "slug",
            "display_name",
            *SellerCase.recorded_fields,
            "target_markets",
            "target_regions",
            "reacts_to",
            "strategies",
            "figures",
            *FactSerializer.FACT_FIELDS,
        )
