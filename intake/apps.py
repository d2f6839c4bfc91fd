from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    """Sources coming in: reading uploads, suggesting facts from a text, accepting them."""

    name = "intake"
    verbose_name = _("Intake")
