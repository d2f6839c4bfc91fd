"""Keep StatusChange, derived from the events and their markets, in step with them.

An event's markets change through its many-to-many relation, which no model method
sees: m2m_changed is the one hook every path (admin, API, import, fixtures) goes
through. The receivers only say which events changed; StatusChange says what follows.
"""

from typing import Any

from django.db.models.signals import m2m_changed, post_save
from django.dispatch import receiver

from markets.models import ModeEvent, StatusChange


@receiver(post_save, sender=ModeEvent, dispatch_uid="status_changes_on_event_save")
def rewrite_status_changes_of_saved_event(instance: ModeEvent, **kwargs: Any) -> None:
    StatusChange.objects.rewrite_for([instance.pk])


@receiver(
    m2m_changed,
    sender=ModeEvent.markets.through,
    dispatch_uid="status_changes_on_event_markets",
)
def rewrite_status_changes_of_relinked_events(
    instance: Any, action: str, reverse: bool, pk_set: set[int] | None, **kwargs: Any
) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        StatusChange.objects.rewrite_for([instance.pk])
    elif action == "post_clear":
        # market.events.clear(): the market has no events left, so no changes either.
        StatusChange.objects.filter(market=instance).delete()
    else:
        StatusChange.objects.rewrite_for(pk_set or [])
