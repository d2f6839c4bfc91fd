"""What follows a write to the record: the cache retired (the status spans are
rewritten by status.receivers).

Many-to-many links (an event's markets) change through no model method: the signals
are the one hook every path (admin, API, import, fixtures) goes through. Receivers only
say what changed; caching.kept says what follows.
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from simple_history.models import HistoricalChanges

from caching.kept import record_changed
from markets.models import DERIVED, RecordPart


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


def cache_retirement(part: RecordPart) -> Callable[..., None]:
    """A receiver that raises the version of ``part`` once a write is done."""

    def retire_cache(**kwargs: Any) -> None:
        if kwargs.get("action", "post_").startswith("post_"):
            record_changed(part)

    return retire_cache


def connect_cache_retirement() -> None:
    """Every save, deletion and link change of the record raises its part's version."""
    for model in record_models():
        retire = cache_retirement(RecordPart.of(model))
        for signal, kind in ((post_save, "saved"), (post_delete, "gone")):
            signal.connect(
                retire, sender=model, weak=False, dispatch_uid=f"{kind}-{model}"
            )
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                retire, sender=through, weak=False, dispatch_uid=f"links-{through}"
            )
