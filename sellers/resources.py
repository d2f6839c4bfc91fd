"""Spreadsheet import and export for seller cases and their figures (CSV, XLSX)."""

from import_export import fields, widgets

from markets.models import Market, ModeEvent, Region
from markets.resources import ContentResource, KeysWidget, dispute_field
from sellers.models import SellerCase, SellerFigure, Strategy


class SellerCaseResource(ContentResource):
    dispute = dispute_field()
    reacts_to = fields.Field(
        attribute="reacts_to",
        column_name="reacts_to",
        widget=widgets.ForeignKeyWidget(ModeEvent, field="slug"),
    )
    strategies = fields.Field(
        attribute="strategies",
        column_name="strategies",
        widget=KeysWidget(Strategy, field="code", separator=","),
    )
    target_markets = fields.Field(
        attribute="target_markets",
        column_name="target_markets",
        widget=KeysWidget(Market, field="code", separator=","),
    )
    target_regions = fields.Field(
        attribute="target_regions",
        column_name="target_regions",
        widget=KeysWidget(Region, field="code", separator=","),
    )
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
        )
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self):
        return SellerCase.objects.select_related("reacts_to").prefetch_related(
            "strategies", "target_markets", "target_regions", "figures"
        )

    def dehydrate_figures(self, case: SellerCase) -> str:
        """Figures in one readable cell on export; they are imported as their own sheet."""
        return "; ".join(
            f"{figure.metric_en or figure.metric_zh}: "
            f"{figure.before_display} → {figure.after_display}"
            for figure in case.figures.all()
        )


class SellerFigureResource(ContentResource):
    seller_case = fields.Field(
        attribute="seller_case",
        column_name="seller_case",
        widget=widgets.ForeignKeyWidget(SellerCase, field="slug"),
    )

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
