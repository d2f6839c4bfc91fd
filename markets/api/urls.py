from rest_framework.routers import SimpleRouter

from markets.api import views

app_name = "markets-api"

router = SimpleRouter()
router.register("markets", views.MarketViewSet, basename="market")
router.register("sources", views.SourceViewSet, basename="source")
router.register("mode-events", views.ModeEventViewSet, basename="mode-event")
router.register("market-figures", views.MarketFigureViewSet, basename="market-figure")
router.register("disputes", views.DisputeViewSet, basename="dispute")

urlpatterns = router.urls
