"""The site's URLs plus the framework's floor: the bare view every figure is compared to."""

from django.urls import include, path

from bench.views import first_events_floor

urlpatterns = [
    path("bench/floor/", first_events_floor, name="bench-floor"),
    path("", include("config.urls")),
]
