"""Everything under /api/: each app's router, a token for analysts, schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularSwaggerSplitView

from config.api_schema import SchemaView
from markets.api.views import TokenView

urlpatterns = [
    path("", include("markets.api.urls")),
    # Intake's endpoints hang under /api/sources/<slug>/, beside the record's.
    path("", include("intake.api.urls")),
    path("", include("status.api.urls")),
    path("", include("sellers.api.urls")),
    path("", include("alerts.api_urls")),
    path("token/", TokenView.as_view(), name="api-token"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file, so no inline script runs.
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema"),
        name="api-docs",
    ),
]
