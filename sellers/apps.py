from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SellersConfig(AppConfig):
    """Seller cases: what sellers did and saw as the modes changed, with their figures."""

    name = "sellers"
    verbose_name = _("Sellers")
