"""API endpoints for seller cases and seller figures."""

from typing import Any

from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from markets.api.bases import cached_for_the_public
from markets.api.views import ContentViewSet
from markets.models import RecordPart
from sellers.api.filtersets import SellerFigureFilterSet
from sellers.api.readers import case_rows, represent_cases
from sellers.api.serializers import SellerCaseSerializer, SellerFigureSerializer
from sellers.filtersets import SellerCaseFilterSet
from sellers.models import SellerCase, SellerFigure


class SellerCaseViewSet(ContentViewSet):
    """Named sellers' stories around a mode change, with figures before and after."""

    reads = (RecordPart.SELLERS, RecordPart.STATUS)
    queryset = SellerCase.objects.with_related()
    serializer_class = SellerCaseSerializer
    filterset_class = SellerCaseFilterSet
    lookup_field = "slug"
    ordering_fields = ("slug", "seller_name", "seller_name_en", "updated_at")
    ordering = ("slug",)

    def public_queryset(self) -> QuerySet:
        # The case's figures are records too: the public sees the published ones.
        return SellerCase.objects.public().with_public_figures()

    @cached_for_the_public
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The serializer's JSON, read from plain rows: see sellers.api.readers."""
        return self.drawn_list(
            lambda queryset, public: case_rows(queryset, public=public),
            lambda rows, public: represent_cases(rows, public=public),
        )


class SellerFigureViewSet(ContentViewSet):
    """A seller's numbers before and after, each with its evidence."""

    reads = (RecordPart.SELLERS, RecordPart.STATUS)
    queryset = SellerFigure.objects.with_related()
    serializer_class = SellerFigureSerializer
    filterset_class = SellerFigureFilterSet
    lookup_field = "uuid"
    ordering_fields = ("metric_en", "value_before", "value_after", "updated_at")
    ordering = ("seller_case", "id")
