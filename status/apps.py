from django.apps import AppConfig


class StatusConfig(AppConfig):
    """The answer: the status rule, its index, and the pages and endpoints showing it."""

    name = "status"
