"""Dataset releases: the page, each release's files, and the newest release's."""

from django.urls import path

from datasets import views

app_name = "datasets"

urlpatterns = [
    path("", views.ReleaseListView.as_view(), name="release-list"),
    # Before a release's files, so that "latest" is never read as a version.
    path("latest/<str:filename>", views.latest_file, name="latest-file"),
    path("<str:version>/<str:filename>", views.release_file, name="release-file"),
]
