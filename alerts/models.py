"""Who follows the record, and what they have been told.

A follower follows an event list's filters (``query``): a market is ``market=DE``, a
mode ``mode=…``, a cell both, and any list of /events/ its own query string. What they
are told are notices: one per change of a published event as the public sees it, in
the order they were found (markets.models.ModeEvent). Each follower keeps the last
notice it has been through, so every notice reaches it once, whatever wrote the change.
"""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeQuerySet(models.QuerySet):
    def after(self, seen_through: int) -> "NoticeQuerySet":
        return self.filter(pk__gt=seen_through).order_by("pk")

    def latest_id(self) -> int:
        return self.aggregate(latest=models.Max("pk"))["latest"] or 0


class Notice(models.Model):
    """A published event as the public first saw it, or as it changed since."""

    class Change(models.TextChoices):
        PUBLISHED = "published", _("Published")
        UPDATED = "updated", _("Updated")

    event = models.ForeignKey(
        "markets.ModeEvent",
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("event"),
    )
    change = models.CharField(_("change"), max_length=10, choices=Change.choices)
    #: What the public saw of the event: its representation in the API, and that
    #: hashed, since a write that changes nothing shown (a market's own row, a
    #: version) is no news.
    event_json = models.JSONField(_("event as shown"))
    shown = models.CharField(_("shown digest"), max_length=64)
    #: The event's ShownRevision when last looked at: only a write since then can
    #: have changed what it shows.
    revision = models.BigIntegerField(_("shown revision"), default=0)
    found_at = models.DateTimeField(_("found"), default=timezone.now)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [
            models.Index(fields=["event", "-id"], name="notice_latest_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.get_change_display()}: {self.event}"


class Follower(models.Model):
    """What every follower has: the event list it follows and how far it has read."""

    query = models.CharField(
        _("events followed"),
        max_length=500,
        blank=True,
        help_text=_("The event list's filters, as its query string; empty for all."),
    )
    seen_through = models.BigIntegerField(
        _("seen through notice"),
        default=0,
        help_text=_("The last notice this follower has been told of, or passed over."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        abstract = True


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("As it happens")
    DAILY = "daily", _("Once a day")


class SubscriptionQuerySet(models.QuerySet):
    def active(self) -> "SubscriptionQuerySet":
        return self.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)


class Subscription(Follower):
    """A reader's e-mail address following an event list, once confirmed."""

    email = models.EmailField(_("e-mail address"))
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES
    )
    frequency = models.CharField(
        _("how often"),
        max_length=10,
        choices=Frequency.choices,
        default=Frequency.IMMEDIATE,
    )
    confirmation_sent_at = models.DateTimeField(
        _("confirmation sent"), null=True, blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.UniqueConstraint(
                fields=["email", "query"], name="subscription_once_per_address_and_list"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email}: {self.query or '*'}"

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


def new_secret() -> str:
    return secrets.token_hex(32)


class WebhookQuerySet(models.QuerySet):
    def active(self) -> "WebhookQuerySet":
        return self.filter(disabled_at__isnull=True)

    def failing(self) -> "WebhookQuerySet":
        """Endpoints that need their owner: disabled, failing now, or with a delivery
        given up on (failed for good)."""
        return self.filter(
            models.Q(disabled_at__isnull=False)
            | models.Q(failures_in_a_row__gt=0)
            | models.Exists(
                Delivery.objects.filter(
                    webhook=models.OuterRef("pk"), state=Delivery.State.FAILED
                )
            )
        )


class Webhook(Follower):
    """A program's address, sent each notice it follows as a signed POST."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="webhooks",
        verbose_name=_("owner"),
    )
    url = models.URLField(_("address"), max_length=500)
    secret = models.CharField(
        _("signing secret"),
        max_length=64,
        default=new_secret,
        editable=False,
        help_text=_("Signs each delivery (HMAC-SHA256); shown once, when registered."),
    )
    failures_in_a_row = models.PositiveIntegerField(
        _("deliveries failed in a row"), default=0
    )
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    # The endpoint's place in the delivery runner (alerts.services.claim_webhook).
    next_attempt_at = models.DateTimeField(
        _("next attempt not before"),
        null=True,
        blank=True,
        help_text=_(
            "After a failed attempt the endpoint rests: none of its deliveries is "
            "tried before this time."
        ),
    )
    leased_until = models.DateTimeField(
        _("being delivered to until"),
        null=True,
        blank=True,
        help_text=_(
            "A runner is sending to the endpoint; should it die, the endpoint is "
            "taken up again after this time."
        ),
    )
    served_at = models.DateTimeField(
        _("last served"),
        null=True,
        blank=True,
        help_text=_("When the runner last sent to it: the least recent goes first."),
    )

    objects = WebhookQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")

    def __str__(self) -> str:
        return self.url

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None


class Delivery(models.Model):
    """One notice on its way to one webhook: every attempt is logged on it.

    The row is the delivery's only record: a pending one is sent by the delivery
    runner once its webhook is due (``Webhook.next_attempt_at``) and free
    (``Webhook.leased_until``), whatever happened to any runner before; so each
    is delivered at least once. Its id, the same on every attempt, is in the signed
    body (``delivery``) and the X-Loopwatch-Delivery header: receivers drop one they
    have already had.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")
        #: Not sent on: the webhook was disabled, or the event is no longer public.
        WITHDRAWN = "withdrawn", _("Withdrawn")

    webhook = models.ForeignKey(
        Webhook,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("webhook"),
    )
    notice = models.ForeignKey(
        Notice,
        on_delete=models.CASCADE,
        related_name="deliveries",
        verbose_name=_("notice"),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    response_status = models.PositiveIntegerField(
        _("last response status"), null=True, blank=True
    )
    error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempted_at = models.DateTimeField(_("last attempted"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["webhook", "notice"], name="delivery_once_per_notice"
            )
        ]
        indexes = [
            models.Index(
                fields=["webhook", "id"],
                condition=models.Q(state="pending"),
                name="delivery_pending_per_webhook",
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.webhook}"
