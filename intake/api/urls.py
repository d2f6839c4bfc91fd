"""Intake's endpoints under /api/, beside the sources they read and write."""

from django.urls import path

from intake.api import views

app_name = "intake-api"

urlpatterns = [
    path(
        "sources/<str:slug>/archives/",
        views.SourceArchiveView.as_view(),
        name="source-archives",
    ),
    path(
        "sources/<str:slug>/suggestions/",
        views.SourceSuggestionsView.as_view(),
        name="source-suggestions",
    ),
    path(
        "sources/<str:slug>/suggestions/accept/",
        views.SuggestionsAcceptView.as_view(),
        name="source-suggestions-accept",
    ),
]
