from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """Sources coming in: reading uploads, suggesting facts from a text, accepting them."""

    name = "intake"
