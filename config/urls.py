"""The site's URL map: the analysts' admin, the public pages and the API."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.views import favicon, health, switch_language

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    # Where a browser looks for an icon on a document that names none: the API's
    # JSON, the feed, a badge opened on its own.
    path("favicon.ico", favicon, name="favicon"),
    # The language switcher links here; pages keep one address in every language.
    path("language/<str:code>/", switch_language, name="switch-language"),
    path(settings.API_PREFIX, include("config.api_urls")),
    path("sellers/", include("sellers.urls")),
    path("follow/", include("alerts.urls")),
    path("data/", include("datasets.urls")),
    path("", include("status.urls")),
    path("", include("markets.urls")),
]
