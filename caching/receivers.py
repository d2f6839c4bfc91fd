"""What the caching layer hears from the record, which never imports it: each write it
announces (markets.signals.record_written)."""

from typing import Any

from django.dispatch import receiver

from caching.versions import write_heard
from markets.models import RecordPart
from markets.signals import record_written


@receiver(record_written, dispatch_uid="caching_write_heard")
def forget_versions_read(part: RecordPart, **kwargs: Any) -> None:
    """The record raised the part's version in the writing transaction: this request
    reads the versions again, and keeps nothing drawn until the write commits."""
    write_heard()
