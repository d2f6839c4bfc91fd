from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from markets.batches import register_batch_context


class StatusConfig(AppConfig):
    """The answer: the status rule, its index, and the pages and endpoints showing it."""

    name = "status"
    verbose_name = _("Status")

    def ready(self) -> None:
        # Django's one idiom for connecting receivers: ready() imports the module, whose
        # @receiver decorators connect them. Not at the top of this module, because
        # models cannot be imported before the app registry is ready, not for a cycle.
        from status import receivers  # noqa: F401
        from status.models import StatusSpan

        # An import, a bulk action or an archiving rewrites the spans once, at its end.
        register_batch_context(StatusSpan.objects.rewrites_deferred)
