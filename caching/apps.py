from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


class CachingConfig(AppConfig):
    """What the site keeps between reads, and when the record's writes retire it."""

    name = "caching"
    verbose_name = _("Caching")

    def ready(self) -> None:
        # Imported once the registry is ready, as Django asks: both read the models.
        from caching import checks  # noqa: F401  (registers the system check)
        from caching.installation import drop_before_migrate, install_after_migrate

        # The migrate signals are sent once per app with models, and caching has
        # none: the triggers are on the record's tables, so they listen to markets'
        # (sent after every app is migrated, or before any is).
        markets = self.apps.get_app_config("markets")
        pre_migrate.connect(drop_before_migrate, sender=markets)
        post_migrate.connect(install_after_migrate, sender=markets)

        # The receivers name the record's models, which exist only once every app is
        # loaded: Django's place for connecting them is here.
        from caching import receivers

        receivers.keep_drawn_choices()
