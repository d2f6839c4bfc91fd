"""After a write to the record commits, followers' notices are looked for at once."""

from typing import Any

from django.db import transaction
from django.dispatch import receiver

from alerts import tasks
from markets.models import RecordPart
from markets.signals import record_written


def announce_soon() -> None:
    tasks.announce()


@receiver(record_written, dispatch_uid="alerts_announce_after_commit")
def announce_after_commit(part: RecordPart, **kwargs: Any) -> None:
    if part != RecordPart.STATUS:
        return
    # Once a transaction, however many rows it wrote.
    pending = transaction.get_connection().run_on_commit
    if not any(callback is announce_soon for _, callback, _ in pending):
        transaction.on_commit(announce_soon)
