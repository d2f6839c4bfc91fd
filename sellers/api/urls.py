from rest_framework.routers import SimpleRouter

from sellers.api import views

app_name = "sellers-api"

router = SimpleRouter()
router.register("seller-cases", views.SellerCaseViewSet, basename="seller-case")
router.register("seller-figures", views.SellerFigureViewSet, basename="seller-figure")

urlpatterns = router.urls
