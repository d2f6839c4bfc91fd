"""The site's URL map: the analysts' admin, the public pages and the API."""

from django.contrib import admin
from django.urls import include, path

from config.views import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("api/", include("config.api_urls")),
]
