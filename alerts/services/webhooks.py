"""Following by webhook: registering an endpoint, queueing a delivery per notice,
and the runner's leases and signed attempts."""

import datetime
import hashlib
import hmac
import time
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from alerts.models import Delivery, Notice, Webhook
from alerts.services.notices import announce_published, pending_notices
from config import outbound
from markets.models import ModeEvent

# --- Webhooks --------------------------------------------------------------------------
#
# Deliveries are rows, not tasks: the database is the queue and its only record. The
# delivery runner (alerts.runner, `manage.py run_deliveries`) is a pool of threads of
# its own, apart from the task runner that sends e-mail, so that mail never waits
# behind a slow endpoint. Each thread takes the least recently served webhook that
# is due, has a pending delivery, and whose owner has no other webhook being sent to
# (``claim_webhook``): one endpoint at a time per account, the accounts in turn, so
# one account's hanging endpoints hold one thread and every other account's
# deliveries go on. The webhook is leased, not locked: a runner killed mid-attempt
# leaves a lease that runs out, and its delivery, still pending, is taken up again.


def check_webhook_address(url: str) -> None:
    """Refuse (RefusedDestination, a ValidationError) an address deliveries may not
    go to: the outbound rules (config.outbound), with private networks allowed only
    where the deployment says so (development, tests)."""
    outbound.validate_url(url, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES)


def register_webhook(*, owner: Any, url: str, query: str) -> Webhook:
    """A webhook following ``query`` from now on: what was published before is not
    sent to it. Refused (ValidationError on ``url``) for an address deliveries may
    not go to, or past WEBHOOKS_PER_OWNER active webhooks of one account."""
    try:
        check_webhook_address(url)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from None
    with transaction.atomic():
        # Registrations of one account, one at a time (PostgreSQL; SQLite writes
        # one at a time anyway), so two at once cannot both pass the count.
        type(owner).objects.select_for_update().filter(pk=owner.pk).first()
        if (
            Webhook.objects.active().filter(owner=owner).count()
            >= settings.WEBHOOKS_PER_OWNER
        ):
            raise ValidationError(
                {
                    "url": _(
                        "An account may have %(limit)d active webhooks; delete one "
                        "first."
                    )
                    % {"limit": settings.WEBHOOKS_PER_OWNER}
                },
                code="too_many",
            )
        announce_published()
        return Webhook.objects.create(
            owner=owner, url=url, query=query, seen_through=Notice.objects.latest_id()
        )


def queue_deliveries() -> list[int]:
    """A pending delivery for each notice each active webhook follows and has not
    had; the ids of the deliveries made. The delivery runner sends them."""
    latest = Notice.objects.latest_id()
    with transaction.atomic():
        webhooks = list(
            Webhook.objects.active().select_for_update().filter(seen_through__lt=latest)
        )
        pending = pending_notices(webhooks, latest)
        made = Delivery.objects.bulk_create(
            [
                Delivery(webhook=webhook, notice=notice)
                for webhook in webhooks
                for notice in pending[webhook.pk]
            ]
        )
        Webhook.objects.filter(pk__in=[webhook.pk for webhook in webhooks]).update(
            seen_through=latest
        )
    return [delivery.pk for delivery in made]


def delivery_body(delivery: Delivery) -> bytes:
    """What is POSTed, and signed: ``delivery``, the same on every attempt, is the
    key a receiver drops a repeat by (deliveries are at least once)."""
    notice = delivery.notice
    return orjson.dumps(
        {
            "delivery": delivery.pk,
            "notice": notice.pk,
            "change": notice.change,
            "found_at": notice.found_at,
            "event": notice.event_json,
        }
    )


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 of the timestamp, a dot and the body, under the webhook's secret:
    what the X-Loopwatch-Signature header carries, as ``sha256=<hex>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def delivery_lease() -> datetime.timedelta:
    """How long a runner holds an endpoint: past any attempt's deadline, so a lease
    runs out only when its runner died."""
    return datetime.timedelta(seconds=settings.OUTBOUND_TOTAL_TIMEOUT + 50)


def claim_webhook(now: datetime.datetime | None = None) -> int | None:
    """Lease the next endpoint to send to, and return its id; None when no endpoint
    is due.

    The least recently served of the active webhooks that have a pending delivery,
    are not resting after a failure (``next_attempt_at``), not leased, and whose
    owner has no other webhook leased. The lease is taken by a conditional UPDATE:
    of two runners that pick the same webhook, one gets it.
    """
    now = now or timezone.now()
    free = Q(leased_until__isnull=True) | Q(leased_until__lte=now)
    busy_owners = Webhook.objects.filter(leased_until__gt=now).values("owner")
    candidates = list(
        Webhook.objects.active()
        .filter(free, Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(owner__in=busy_owners)
        .filter(
            Exists(
                Delivery.objects.filter(
                    webhook=OuterRef("pk"), state=Delivery.State.PENDING
                )
            )
        )
        .order_by(F("served_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)[:10]
    )
    for webhook_id in candidates:
        taken = (
            Webhook.objects.filter(free, pk=webhook_id)
            .exclude(owner__in=busy_owners)
            .update(leased_until=now + delivery_lease())
        )
        if taken:
            return webhook_id
    return None


def attempt_next_delivery(
    webhook_id: int, now: datetime.datetime | None = None
) -> Delivery | None:
    """POST the oldest pending delivery of a webhook leased by ``claim_webhook``,
    signed; log the attempt on it, and release the webhook.

    A failed attempt rests the endpoint WEBHOOK_RETRY_DELAY seconds, twice that
    after the next, and so on: none of its deliveries is tried before then. A
    delivery still failing after WEBHOOK_DELIVERY_RETRIES retries has failed, and a
    webhook whose deliveries failed WEBHOOK_FAILURES_BEFORE_DISABLED times in a row
    is disabled, its pending deliveries withdrawn.
    """
    now = now or timezone.now()
    webhook = Webhook.objects.filter(pk=webhook_id).first()
    if webhook is None:  # deleted by its owner meanwhile
        return None
    delivery = (
        webhook.deliveries.filter(state=Delivery.State.PENDING)
        .select_related("notice")
        .order_by("pk")
        .first()
    )
    released = {"leased_until": None, "served_at": now}
    if delivery is None:
        Webhook.objects.filter(pk=webhook_id).update(**released)
        return None
    if not ModeEvent.objects.public().filter(pk=delivery.notice.event_id).exists():
        delivery.state = Delivery.State.WITHDRAWN
        delivery.error = "The event is no longer public."
        delivery.save(update_fields=["state", "error"])
        Webhook.objects.filter(pk=webhook_id).update(**released)
        return delivery
    send_delivery(webhook, delivery, now)
    if not delivery.error:
        delivery.state = Delivery.State.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.save()
        Webhook.objects.filter(pk=webhook_id).update(
            failures_in_a_row=0, next_attempt_at=None, **released
        )
        return delivery
    rest = datetime.timedelta(
        seconds=settings.WEBHOOK_RETRY_DELAY * 2 ** (delivery.attempts - 1)
    )
    if delivery.attempts > settings.WEBHOOK_DELIVERY_RETRIES:
        delivery.state = Delivery.State.FAILED
    delivery.save()
    with transaction.atomic():
        Webhook.objects.filter(pk=webhook_id).update(
            next_attempt_at=now + rest, **released
        )
        if delivery.state == Delivery.State.FAILED:
            webhook_count_failure(webhook_id, now)
    return delivery


def send_delivery(webhook: Webhook, delivery: Delivery, now: datetime.datetime) -> None:
    """POST ``delivery`` to its endpoint, signed, and note the answer on it (unsaved):
    its status, and an error unless the endpoint took it."""
    body = delivery_body(delivery)
    timestamp = str(int(time.time()))
    # Logged before it is sent: a runner killed in the middle leaves the attempt
    # counted, and the delivery pending for the next runner.
    delivery.attempts += 1
    delivery.attempted_at = now
    delivery.save(update_fields=["attempts", "attempted_at"])
    try:
        answer = outbound.send(
            "POST",
            webhook.url,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Loopwatch-Webhooks/1",
                "X-Loopwatch-Delivery": str(delivery.pk),
                "X-Loopwatch-Timestamp": timestamp,
                "X-Loopwatch-Signature": signature(webhook.secret, timestamp, body),
            },
            allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES,
        )
        delivery.response_status = answer.status
        delivery.error = "" if 200 <= answer.status < 300 else f"HTTP {answer.status}"
    except (outbound.SendFailed, ValidationError) as error:
        delivery.response_status = None
        delivery.error = "; ".join(getattr(error, "messages", [str(error)]))[:2000]


def webhook_count_failure(webhook_id: int, now: datetime.datetime) -> None:
    """One more delivery failed in a row; past WEBHOOK_FAILURES_BEFORE_DISABLED the
    webhook is disabled, and what it had pending withdrawn."""
    Webhook.objects.filter(pk=webhook_id).update(
        failures_in_a_row=F("failures_in_a_row") + 1
    )
    disabled = Webhook.objects.filter(
        pk=webhook_id,
        failures_in_a_row__gte=settings.WEBHOOK_FAILURES_BEFORE_DISABLED,
        disabled_at__isnull=True,
    ).update(disabled_at=now)
    if disabled:
        Delivery.objects.filter(
            webhook_id=webhook_id, state=Delivery.State.PENDING
        ).update(state=Delivery.State.WITHDRAWN, error="The webhook was disabled.")


def deliver_due(now: datetime.datetime | None = None) -> int:
    """Attempt, one after another, every delivery due at ``now``, each endpoint once;
    how many attempts were made. What one thread of the runner does, at once: for
    the tests and for `manage.py run_deliveries --once`."""
    attempted = 0
    while (webhook_id := claim_webhook(now)) is not None:
        attempt_next_delivery(webhook_id, now)
        attempted += 1
    return attempted
