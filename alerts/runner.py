"""The delivery runner: threads that send webhook deliveries as they fall due.

Why not the task runner (Huey) that sends e-mail? Its two threads were shared: 20
hanging endpoints held both, and a reader's confirmation waited minutes behind them.
Why not a second Huey queue? Its tasks would still be taken first come, first
served, so one account's hanging endpoints would hold every thread; and a task lost
with a killed runner would lose its delivery. Here the database is the queue
(alerts.services, "Webhooks"): each thread leases the next endpoint that is due, one
endpoint per account at a time, and a lease left by a killed runner runs out, so the
same loop that sends is the sweep that takes up what a crash left pending.
"""

import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections

from alerts import services

logger = logging.getLogger(__name__)


def work(stop: threading.Event) -> None:
    """Send deliveries, one endpoint at a time, until ``stop`` is set; rest
    WEBHOOK_DELIVERY_POLL_SECONDS whenever nothing is due."""
    while not stop.is_set():
        rest = False
        try:
            webhook_id = services.claim_webhook()
            if webhook_id is None:
                rest = True
            else:
                services.attempt_next_delivery(webhook_id)
        except Exception:
            # A database busy for a moment, say: the lease taken runs out, and the
            # delivery, still pending, is tried again.
            logger.exception("A webhook delivery could not be attempted.")
            rest = True
        finally:
            close_old_connections()
        if rest:
            stop.wait(settings.WEBHOOK_DELIVERY_POLL_SECONDS)


#: How often the main thread looks whether it was told to stop.
STOP_POLL_SECONDS = 0.2


def run(
    threads: int, stop: threading.Event, until: Callable[[], bool] = lambda: False
) -> None:
    """``threads`` workers until ``stop`` is set, or ``until()`` says so (a signal
    noted); each finishes the attempt it has started, up to the outbound deadline."""
    workers = [
        threading.Thread(target=work, args=(stop,), name=f"deliveries-{number}")
        for number in range(threads)
    ]
    for worker in workers:
        worker.daemon = True
        worker.start()
    while not stop.wait(STOP_POLL_SECONDS):
        if until():
            stop.set()
    for worker in workers:
        worker.join(timeout=settings.OUTBOUND_TOTAL_TIMEOUT + 1)
