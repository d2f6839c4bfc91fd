"""The status index follows the record: every write it reads rewrites its spans.

Many-to-many links (an event's markets) change through no model method: the signals
are the one hook every path (admin, API, import, fixtures) goes through. The receivers
only say what changed; StatusSpanQuerySet says which spans follow. Connected by being
imported in StatusConfig.ready().

An event's save says which of its columns it changed (``EventChange``): the index
follows only as far as the change reaches (``SHOWN_ONLY_FIELDS``).
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver

from markets.models import Dispute, EventEvidence, ModeEvent, Source
from status.models import StatusSpan

#: The columns of an event that a drawn status cell shows but the status rule
#: (status.claims) does not read: what happened and the link to the event's page
#: (status/templates/status/includes/_status_cell.html, status.wording), its summary,
#: and the date as written with its notes (the API's cells, markets.api.readers
#: .event_brief). A save changing only these and the bookkeeping
#: (ModeEvent.bookkeeping_fields, which nothing drawn reads) leaves every span as it
#: is and writes those showing the event again under new ids, since a drawn cell is
#: kept by its span's id (ModeStatus.drawing_key). Any other column (the mode,
#: scope, dates, status, publication, dispute: the rule's) rewrites the spans of the
#: event's markets; a column added to the model does too until it is listed here.
SHOWN_ONLY_FIELDS = frozenset(
    {
        "slug",
        "kind",
        "date_wording",
        "date_note",
        "date_note_zh",
        "summary_zh",
        "summary_en",
    }
)


@dataclass(frozen=True)
class EventChange:
    """What a save of an event changes, worked out before it writes the row."""

    #: The columns whose value differs from the stored row's.
    fields: frozenset[str]
    #: Whether a span showing the event was ``unsure`` already (a change typed in
    #: SQL): then none of its spans is known to be right, and all are worked out.
    spans_unsure: bool

    @property
    def reaches_rule(self) -> bool:
        return self.spans_unsure or bool(
            self.fields - SHOWN_ONLY_FIELDS - set(ModeEvent.bookkeeping_fields)
        )

    @property
    def reaches_cells(self) -> bool:
        return bool(self.fields - set(ModeEvent.bookkeeping_fields))


def event_change(event: ModeEvent) -> EventChange | None:
    """What saving ``event`` changes, from its stored row (one query); None for a new
    event or one whose row is gone."""
    if event._state.adding or event.pk is None:
        return None
    deferred = event.get_deferred_fields()
    fields = [
        field
        for field in ModeEvent._meta.concrete_fields
        if field.attname not in deferred
    ]
    stored = (
        ModeEvent._base_manager.filter(pk=event.pk)
        .annotate(
            spans_unsure=Exists(
                StatusSpan.objects.showing(OuterRef("pk"), OuterRef("dispute")).filter(
                    unsure=True
                )
            )
        )
        .values("spans_unsure", *(field.attname for field in fields))
        .first()
    )
    if stored is None:
        return None
    return EventChange(
        fields=frozenset(
            field.name
            for field in fields
            if getattr(event, field.attname) != stored[field.attname]
        ),
        spans_unsure=stored["spans_unsure"],
    )


@receiver(pre_save, sender=ModeEvent, dispatch_uid="status_spans_before_event_save")
def note_what_event_save_changes(
    instance: ModeEvent, raw: bool = False, **kwargs: Any
) -> None:
    # A fixture's raw save may bring a row the index never saw: all it reaches is
    # rewritten.
    instance._status_index_change = None if raw else event_change(instance)


@receiver(post_save, sender=ModeEvent, dispatch_uid="status_spans_on_event_save")
def rewrite_status_spans_of_event(instance: ModeEvent, **kwargs: Any) -> None:
    change = instance.__dict__.pop("_status_index_change", None)
    if change is None or change.reaches_rule:
        StatusSpan.objects.rewrite_for([instance.pk])
    elif change.reaches_cells:
        # The dispute is the rule's: unchanged here, as the trigger saw it.
        StatusSpan.objects.renew_showing(instance.pk, instance.dispute_id)


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
