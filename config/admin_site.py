"""Loopwatch's admin site: its titles in both languages, the analysts' desk on its front
page, and an app list that puts the record before the tables of quotes."""

from django.contrib import admin
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from config.desk import awaiting_you
from markets.models import Evidence

#: The apps in the order an analyst reaches for them; any other follows, by name.
APP_ORDER = ("markets", "sellers", "alerts", "datasets")


def _app_place(app: dict) -> tuple[int, str]:
    label = app["app_label"]
    place = APP_ORDER.index(label) if label in APP_ORDER else len(APP_ORDER)
    return place, str(app["name"]).lower()


def _model_place(model: dict) -> tuple[bool, str]:
    """The record's tables first, by name; the quotes across all facts last (each fact's
    quotes are edited in its own form)."""
    return issubclass(model["model"], Evidence), str(model["name"])


class LoopwatchAdminSite(admin.AdminSite):
    site_header = _("Loopwatch administration")
    site_title = _("Loopwatch admin")
    index_title = _("The analysts’ desk")

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list:
        app_list = sorted(
            super().get_app_list(request, app_label=app_label), key=_app_place
        )
        for app in app_list:
            app["models"].sort(key=_model_place)
        return app_list

    def index(
        self, request: HttpRequest, extra_context: dict | None = None
    ) -> TemplateResponse:
        return super().index(
            request,
            {"awaiting_you": awaiting_you(request.user), **(extra_context or {})},
        )
