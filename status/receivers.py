"""The status index follows the record: every write it reads rewrites its spans.

Many-to-many links (an event's markets) change through no model method: the signals
are the one hook every path (admin, API, import, fixtures) goes through. The receivers
only say what changed; StatusSpanQuerySet says which spans follow. Connected by being
imported in StatusConfig.ready().
"""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from markets.models import Dispute, EventEvidence, ModeEvent, Source
from status.models import StatusSpan


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
