"""Public pages about seller cases."""

from django.urls import path

from sellers import views

app_name = "sellers"

urlpatterns = [
    path("", views.SellerCaseListView.as_view(), name="sellercase-list"),
    path(
        "<slug:slug>/", views.SellerCaseDetailView.as_view(), name="sellercase-detail"
    ),
]
