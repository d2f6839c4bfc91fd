"""The work done off the request path, by the task runner (``manage.py run_huey``).

Huey keeps its queue in SQLite beside the database, or in Redis where TASKS_REDIS_URL
names one, so queued work outlives a restart of the runner.
"""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, lock_task

from alerts import services
from alerts.models import Frequency, Subscription

DELIVERY_RETRIES = settings.WEBHOOK_DELIVERY_RETRIES


@db_task()
def send_confirmation(subscription_id: int) -> None:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is not None and subscription.confirmed_at is None:
        services.send_confirmation(subscription)


@db_task()
@lock_task("announce")
def announce() -> None:
    """Find what became news, tell those who follow it as it happens, and queue the
    webhooks' deliveries."""
    services.announce_published()
    services.tell_subscribers(Frequency.IMMEDIATE)
    for delivery_id in services.queue_deliveries():
        deliver(delivery_id)


@db_periodic_task(crontab(minute="*"))
def announce_every_minute() -> None:
    # Writes that no save() announced (SQL, a bulk update) are found here.
    announce()


@db_periodic_task(crontab(minute="0", hour=str(settings.DAILY_DIGEST_HOUR)))
@lock_task("daily-digests")
def send_daily_digests() -> None:
    services.announce_published()
    services.tell_subscribers(Frequency.DAILY)


@db_task(
    retries=DELIVERY_RETRIES,
    retry_delay=settings.WEBHOOK_RETRY_DELAY,
    retry_backoff=2,
    context=True,
)
def deliver(delivery_id: int, task=None) -> str:  # noqa: ANN001
    """One attempt at a delivery; a failure is tried again, each wait twice the last."""
    last_attempt = task is None or task.retries == 0
    return services.attempt_delivery(delivery_id, last_attempt=last_attempt)


__all__ = ["HUEY", "announce", "deliver", "send_confirmation", "send_daily_digests"]
