"""Public pages about markets, their mode events and the sources behind them."""

from django.urls import path

from markets import feeds, views

app_name = "markets"

urlpatterns = [
    path("markets/", views.MarketListView.as_view(), name="market-list"),
    path("markets/<str:code>/", views.MarketDetailView.as_view(), name="market-detail"),
    path("events/", views.ModeEventListView.as_view(), name="event-list"),
    # Before the event pages, so that "feed" is never read as an event's slug.
    path("events/feed/", feeds.ModeEventFeed(), name="event-feed"),
    path(
        "events/<slug:slug>/", views.ModeEventDetailView.as_view(), name="event-detail"
    ),
    path(
        "disputes/<slug:slug>/",
        views.DisputeDetailView.as_view(),
        name="dispute-detail",
    ),
    path("search/", views.SearchView.as_view(), name="search"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path(
        "sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"
    ),
    path(
        "sources/<slug:slug>/text/", views.SourceTextView.as_view(), name="source-text"
    ),
]
