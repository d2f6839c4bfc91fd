"""The answer's endpoints under /api/: /api/status/ and /api/changes/."""

from rest_framework.routers import SimpleRouter

from status.api import views

app_name = "status-api"

router = SimpleRouter()
router.register("status", views.StatusViewSet, basename="status")
router.register("changes", views.ChangesViewSet, basename="changes")

urlpatterns = router.urls
