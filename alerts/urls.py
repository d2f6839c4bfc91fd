from django.urls import path

from alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.FollowView.as_view(), name="follow"),
    path("asked/", views.AskedView.as_view(), name="asked"),
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path(
        "unsubscribe/<str:token>/",
        views.UnsubscribeView.as_view(),
        name="unsubscribe",
    ),
]
