"""Public pages that show the answer: on a day, on the map, what changed, badges."""

from django.urls import path

from status import views

app_name = "status"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("changes/", views.ChangesView.as_view(), name="changes"),
    path("map/", views.MapView.as_view(), name="map"),
    path("map/land-<str:fingerprint>.svg", views.map_land, name="map-land"),
    path("badges/<str:code>/<str:mode>.svg", views.BadgeView.as_view(), name="badge"),
]
