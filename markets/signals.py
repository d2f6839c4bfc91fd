"""What follows a write to the record: the part's version raised, and the write
announced (``record_written``) to whoever follows the record.

Many-to-many links (an event's markets) change through no model method: the signals
are the one hook every path (admin, API, import, fixtures) goes through. Receivers only
say what changed; the apps that hear ``record_written`` (caching, alerts) or the
record's own signals (status, which rewrites its index) say what follows. The record
imports none of them.
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal
from django.utils import timezone
from simple_history.models import HistoricalChanges

from markets.models import DERIVED, RecordPart, RecordVersion

#: Sent, with the ``part``, once for every write to the record the hook below hears
#: (a save, a deletion, a link change) and by whatever rewrites the record otherwise
#: (``manage.py rebuild_status``), inside the writing transaction and after the part's
#: version is raised: what follows a write (the cache, the followers' notices) listens
#: here.
record_written = Signal()


def record_models() -> list[type]:
    """The models whose rows make up the record the public reads.

    Not their history, which follows every write, nor the bookkeeping kept beside them
    (markets.models.DERIVED: the status spans, the versions, the tombstones of deleted
    records), whose writes would otherwise be announced row by row.
    """
    return [
        model
        for label in ("markets", "sellers")
        for model in apps.get_app_config(label).get_models()
        if model._meta.model_name not in DERIVED
        and not issubclass(model, HistoricalChanges)
    ]


def record_changed(part: RecordPart) -> None:
    """Raise the version of ``part``, then announce the write (``record_written``).

    The record raises its own version rather than leaving it to a listener: the
    version is the record's, read by the HTTP validators (ETag, Last-Modified) and by
    anything that asks whether a part changed, so it moves with every write, in the
    writing transaction, whichever apps are installed and listening. Those who follow
    the record hear the write after it: the cache forgets the versions it read and
    keeps nothing until the write commits (caching.receivers); followers are told once
    it commits (alerts.signals).
    """
    raised = RecordVersion.objects.filter(part=part).update(
        number=F("number") + 1, changed_at=timezone.now()
    )
    if not raised:
        RecordVersion.objects.create(part=part, number=2)
    record_written.send(sender=RecordVersion, part=part)


def write_announcement(part: RecordPart) -> Callable[..., None]:
    """A receiver that announces a write to ``part`` once it is done."""

    def announce_write(**kwargs: Any) -> None:
        if kwargs.get("action", "post_").startswith("post_"):
            record_changed(part)

    return announce_write


def connect_write_announcements() -> None:
    """Every save, deletion and link change of the record raises its part's version
    and is announced."""
    for model in record_models():
        announce = write_announcement(RecordPart.of(model))
        for signal, kind in ((post_save, "saved"), (post_delete, "gone")):
            signal.connect(
                announce, sender=model, weak=False, dispatch_uid=f"{kind}-{model}"
            )
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                announce, sender=through, weak=False, dispatch_uid=f"links-{through}"
            )
