from django.apps import AppConfig


class CachingConfig(AppConfig):
    """What the site keeps between reads, and when the record's writes retire it."""

    name = "caching"

    def ready(self) -> None:
        # The receivers name the record's models, which exist only once every app is
        # loaded: Django's place for connecting them is here.
        from caching import receivers

        receivers.keep_drawn_choices()
