"""The work done off the request path, by the task runner (``manage.py run_huey``).

Huey keeps its queue in SQLite beside the database, or in Redis where TASKS_REDIS_URL
names one, so queued work outlives a restart of the runner. Webhook deliveries are not
its work: they are rows sent by the delivery runner (alerts.runner), so that no mail
waits behind a slow endpoint.
"""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task, lock_task

from alerts import services
from alerts.models import Frequency, Subscription


@db_task()
def send_confirmation(subscription_id: int) -> None:
    subscription = Subscription.objects.filter(pk=subscription_id).first()
    if subscription is not None and subscription.confirmed_at is None:
        services.send_confirmation(subscription)


@db_task()
@lock_task("announce")
def announce() -> None:
    """Find what became news, queue the webhooks' deliveries, and tell those who
    follow it by e-mail as it happens."""
    services.announce_published()
    services.queue_deliveries()
    services.tell_subscribers(Frequency.IMMEDIATE)


@db_periodic_task(crontab(minute="*"))
def announce_every_minute() -> None:
    # Writes that no save() announced (SQL, a bulk update) are found here.
    announce()


@db_periodic_task(crontab(minute="0", hour=str(settings.DAILY_DIGEST_HOUR)))
@lock_task("daily-digests")
def send_daily_digests() -> None:
    services.announce_published()
    services.tell_subscribers(Frequency.DAILY)


__all__ = ["HUEY", "announce", "send_confirmation", "send_daily_digests"]
