from django.apps import AppConfig


class CachingConfig(AppConfig):
    """What the site keeps between reads, and when the record's writes retire it."""

    name = "caching"
