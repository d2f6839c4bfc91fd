from django.contrib.admin.apps import AdminConfig


class LoopwatchAdminConfig(AdminConfig):
    """Django's admin, served by Loopwatch's site: its own titles, front page and order.

    The site is named by its path, not imported: its module reads the models, which
    cannot be imported while INSTALLED_APPS is being read."""

    default_site = "config.admin_site.LoopwatchAdminSite"
