"""What follows a write to the record: the status spans rewritten, the cache retired.

Many-to-many links (an event's markets) change through no model method: the signals
are the one hook every path (admin, API, import, fixtures) goes through. Receivers only
say what changed; StatusSpan and caching.kept say what follows.
"""

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from simple_history.models import HistoricalChanges

from caching.versions import record_changed
from markets.models import (
    DERIVED,
    Dispute,
    EventEvidence,
    ModeEvent,
    RecordPart,
    Source,
    StatusSpan,
)


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


@receiver(post_save, sender=ModeEvent, dispatch_uid="status_spans_on_event_save")
def rewrite_status_spans_of_event(instance: ModeEvent, **kwargs: Any) -> None:
    StatusSpan.objects.rewrite_for([instance.pk])


@receiver(post_delete, sender=ModeEvent, dispatch_uid="status_spans_on_event_delete")
def rewrite_status_spans_of_deleted_event(instance: ModeEvent, **kwargs: Any) -> None:
    # Its own spans went with it; those it shaped as a claim of a dispute remain.
    StatusSpan.objects.rebuild_mode(instance.mode)


@receiver(
    m2m_changed,
    sender=ModeEvent.markets.through,
    dispatch_uid="status_spans_on_event_markets",
)
def rewrite_status_spans_of_relinked_events(
    instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        StatusSpan.objects.rewrite_for([instance.pk], also_markets=pk_set or ())
    elif action == "post_clear":
        # market.events.clear(): the market has no events left, so no spans either.
        StatusSpan.objects.filter(market=instance).delete()
    else:
        StatusSpan.objects.rewrite_for(pk_set or [], also_markets=[instance.pk])


@receiver(post_save, sender=EventEvidence, dispatch_uid="status_spans_on_evidence")
@receiver(post_delete, sender=EventEvidence, dispatch_uid="status_spans_on_no_evidence")
def rewrite_status_spans_of_evidence(instance: EventEvidence, **kwargs: Any) -> None:
    # Sources bound when a claim happened and date the answer's freshness.
    StatusSpan.objects.rewrite_for([instance.fact_id])


@receiver(post_save, sender=Source, dispatch_uid="status_spans_on_source")
def rewrite_status_spans_of_source(instance: Source, **kwargs: Any) -> None:
    StatusSpan.objects.rewrite_for(
        ModeEvent.objects.filter(evidence__source=instance).values_list("pk", flat=True)
    )


@receiver(post_save, sender=Dispute, dispatch_uid="status_spans_on_dispute")
def rewrite_status_spans_of_dispute(instance: Dispute, **kwargs: Any) -> None:
    StatusSpan.objects.rewrite_for(
        ModeEvent.objects.filter(dispute=instance).values_list("pk", flat=True)
    )
