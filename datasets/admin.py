"""Dataset releases in the admin: read-only, since a release is never changed; they
are made by ``manage.py release_dataset``."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from datasets.models import Release
from markets.admin_base import WordedEmptyChoiceMixin


@admin.register(Release)
class ReleaseAdmin(WordedEmptyChoiceMixin, admin.ModelAdmin):
    list_display = ("version", "created_at", "rows", "archive_size", "changed_rows")
    search_fields = ("version", "notes")
    date_hierarchy = "created_at"
    fields = (
        "version",
        "created_at",
        "notes",
        "download",
        "sha256",
        "archive_size",
        "counts",
        "previous_version",
        "changes",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        # The archive itself is only downloaded, never shown.
        return super().get_queryset(request).defer("archive")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Its address and checksum may be cited: a release stays.
        return False

    @admin.display(description=_("rows"))
    def rows(self, obj: Release) -> int:
        return sum(obj.counts.values())

    @admin.display(description=_("size"), ordering="size")
    def archive_size(self, obj: Release) -> str:
        return filesizeformat(obj.size)

    @admin.display(description=_("rows changed"))
    def changed_rows(self, obj: Release) -> int | str:
        if obj.is_first:
            return "–"
        return sum(
            len(entry["added"]) + len(entry["removed"]) + len(entry["changed"])
            for entry in obj.changes
        )

    @admin.display(description=_("download"))
    def download(self, obj: Release) -> str:
        return format_html(
            '<a href="{}">{}</a>', obj.get_absolute_url(), obj.archive_name
        )
