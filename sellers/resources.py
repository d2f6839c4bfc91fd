"""Spreadsheet import and export for seller cases and their figures (CSV, XLSX)."""

from import_export import fields

from markets.models import Dispute, Market, ModeEvent, Region
from markets.resources import (
    ContentResource,
    EvidenceResource,
    FactResource,
    evidence_columns,
    key_field,
)
from sellers.models import (
    SellerCase,
    SellerCaseEvidence,
    SellerFigure,
    SellerFigureEvidence,
    Strategy,
)
from sellers.pairing import figure_placement


class SellerCaseResource(FactResource):
    dispute = key_field("dispute", Dispute)
    reacts_to = key_field("reacts_to", ModeEvent)
    strategies = key_field("strategies", Strategy, many=True)
    target_markets = key_field("target_markets", Market, many=True)
    target_regions = key_field("target_regions", Region, many=True)
    figures = fields.Field(column_name="figures", readonly=True)

    class Meta:
        model = SellerCase
        import_id_fields = ("slug",)
        fields = (
            "slug",
            *SellerCase.recorded_fields,
            "reacts_to",
            "strategies",
            "target_markets",
            "target_regions",
            "dispute",
            "publication",
            "figures",
            *evidence_columns(),
        )
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self):
        return SellerCase.objects.select_related("reacts_to").prefetch_related(
            "strategies",
            "target_markets",
            "target_regions",
            "figures",
            "evidence__source",
        )

    def dehydrate_figures(self, case: SellerCase) -> str:
        """Figures in one readable cell on export, each placed against the event as
        the case's page places it; they are imported as their own sheet."""
        event = case.public_event_span
        return "; ".join(
            f"{figure.metric_en or figure.metric_zh}: "
            f"{figure.before_display} → {figure.after_display}"
            + (
                f" ({placement})"
                if (placement := figure_placement(figure, event))
                else ""
            )
            for figure in case.figures.all()
        )


class SellerFigureResource(ContentResource):
    seller_case = key_field("seller_case", SellerCase)

    class Meta:
        model = SellerFigure
        import_id_fields = ("uuid",)
        fields = (
            "uuid",
            "seller_case",
            *SellerFigure.recorded_fields,
            "publication",
        )
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self):
        return SellerFigure.objects.select_related("seller_case")


class SellerCaseEvidenceResource(EvidenceResource):
    fact = key_field("fact", SellerCase)

    class Meta(EvidenceResource.Meta):
        model = SellerCaseEvidence


class SellerFigureEvidenceResource(EvidenceResource):
    fact = key_field("fact", SellerFigure)

    class Meta(EvidenceResource.Meta):
        model = SellerFigureEvidence
