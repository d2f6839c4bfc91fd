"""What the caching layer hears from the record, which never imports it: each write it
announces (markets.signals.record_written), and the filters' choices it draws
(markets.filtersets.DrawnChoices), which are kept here."""

from collections.abc import Callable
from typing import Any, TypeVar

from django.dispatch import receiver

from caching.kept import kept_drawing
from caching.versions import write_heard
from markets.filtersets import DrawnChoices
from markets.models import RecordPart
from markets.signals import record_written

T = TypeVar("T")


@receiver(record_written, dispatch_uid="caching_write_heard")
def forget_versions_read(part: RecordPart, **kwargs: Any) -> None:
    """The record raised the part's version in the writing transaction: this request
    reads the versions again, and keeps nothing drawn until the write commits."""
    write_heard()


def kept_choices(kind: str, draw: Callable[[], T]) -> T:
    """A filter's choices, kept until a write reaches a table they are drawn from
    (``kept_drawing``): thousands of sources are neither read nor escaped again for
    every form."""
    return kept_drawing(kind, (), draw)


def keep_drawn_choices() -> None:
    """Every filter's choices, on every page, endpoint and form, are kept from now on."""
    DrawnChoices.keeper = kept_choices
