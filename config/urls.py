"""The site's URL map: the analysts' admin, the public pages and the API."""

from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
]
