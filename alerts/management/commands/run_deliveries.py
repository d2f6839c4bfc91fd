import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from alerts import runner, services


class Command(BaseCommand):
    help = (
        "Send webhook deliveries as they fall due, each account's endpoints one at a "
        "time, until stopped (SIGTERM or SIGINT). bin/with-tasks starts it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--threads",
            type=int,
            default=settings.WEBHOOK_DELIVERY_THREADS,
            help="How many endpoints are sent to at once.",
        )
        parser.add_argument(
            "--once",
            action="store_true",
            help="Attempt what is due now, each endpoint once, and stop.",
        )

    def handle(self, *args: Any, threads: int, once: bool, **options: Any) -> None:
        if once:
            attempted = services.deliver_due()
            self.stdout.write(f"{attempted} attempt(s) made.")
            return
        # The handlers only note the signal: setting the Event there takes its lock,
        # and a second signal arriving while the first handler holds it (bin/with-tasks
        # sends one to the group and one to the process) deadlocked the runner for good.
        signalled: list[int] = []
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda number, frame: signalled.append(number))
        runner.run(max(threads, 1), threading.Event(), until=lambda: bool(signalled))
