"""Followers in the admin: seen and, for a subscription or webhook, stopped; the
notices and deliveries are their log, read-only."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.models import Delivery, Notice, Subscription, Webhook
from markets.admin_base import AwaitingFilter, WordedEmptyChoiceMixin


class ReadOnlyAdmin(WordedEmptyChoiceMixin, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = [
        "email",
        "query",
        "frequency",
        "language",
        "confirmed_at",
        "unsubscribed_at",
    ]
    list_filter = [
        "frequency",
        "language",
        ("confirmed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["email", "query"]
    actions = ["unsubscribe"]

    @admin.action(
        description=_("Unsubscribe the selected addresses"), permissions=["delete"]
    )
    def unsubscribe(self, request: HttpRequest, queryset: QuerySet) -> None:
        left = queryset.filter(unsubscribed_at__isnull=True).update(
            unsubscribed_at=timezone.now()
        )
        self.message_user(request, _("%(count)d unsubscribed.") % {"count": left})


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["notice", "state", "attempts", "response_status", "error", "attempted_at"]
    readonly_fields = fields
    extra = 0
    max_num = 0
    can_delete = False
    ordering = ["-pk"]


class FailingWebhookFilter(AwaitingFilter):
    title = _("what awaits you")
    method = "failing"
    label = _("Failing: disabled, or deliveries failed")


@admin.register(Webhook)
class WebhookAdmin(ReadOnlyAdmin):
    list_display = [
        "url",
        "owner",
        "query",
        "failures_in_a_row",
        "next_attempt_at",
        "disabled_at",
    ]
    list_filter = [FailingWebhookFilter, ("disabled_at", admin.EmptyFieldListFilter)]
    list_select_related = ["owner"]
    search_fields = ["url", "query"]
    exclude = ["secret"]
    inlines = [DeliveryInline]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["event", "change", "found_at"]
    list_filter = ["change"]
    list_select_related = ["event"]
    exclude = ["event_json"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "notice",
        "webhook",
        "state",
        "attempts",
        "response_status",
        "attempted_at",
    ]
    list_filter = ["state"]
    list_select_related = ["notice__event", "webhook"]
