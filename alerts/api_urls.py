from rest_framework.routers import SimpleRouter

from alerts.api import WebhookViewSet

app_name = "alerts-api"

router = SimpleRouter()
router.register("webhooks", WebhookViewSet, basename="webhook")

urlpatterns = router.urls
