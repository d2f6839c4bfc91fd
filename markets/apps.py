from django.apps import AppConfig


class MarketsConfig(AppConfig):
    name = "markets"

    def ready(self) -> None:
        from markets import signals  # noqa: F401  (connects the receivers)
