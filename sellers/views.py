"""Public pages for seller cases: a filtered list and each case with its figures."""

from django.views.generic import DetailView

from config.pages import (
    CachedForThePublicMixin,
    DraftsForStaffMixin,
    KeyedPaginator,
    PublicListView,
)
from markets.models import RecordPart
from sellers.filtersets import SellerCaseFilterSet
from sellers.models import SellerCase


class SellerCaseListView(PublicListView):
    reads = (RecordPart.SELLERS, RecordPart.STATUS)
    queryset = SellerCase.objects.listed()
    filterset_class = SellerCaseFilterSet
    # The cards are drawn from the rows' keys, kept per revision (drawn_cards).
    paginator_class = KeyedPaginator


class SellerCaseDetailView(DraftsForStaffMixin, CachedForThePublicMixin, DetailView):
    reads = (RecordPart.SELLERS, RecordPart.STATUS)
    queryset = SellerCase.objects.public().with_public_figures()
    draft_queryset = SellerCase.objects.with_related()
