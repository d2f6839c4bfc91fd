"""The site's URL map: the analysts' admin, the public pages and the API."""

from django.contrib import admin
from django.urls import include, path

from config.views import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    # The language switcher posts here; pages keep one address in every language.
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("config.api_urls")),
    path("sellers/", include("sellers.urls")),
    path("", include("markets.urls")),
]
