"""What follows a write to the record: StatusChange rewritten, the cache retired.

Many-to-many links (an event's markets) change through no model method: the signals
are the one hook every path (admin, API, import, fixtures) goes through. Receivers only
say what changed; StatusChange and markets.caching say what follows.
"""

from typing import Any

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from markets.caching import record_changed
from markets.models import ModeEvent, StatusChange

#: The apps whose models make up the record that the public reads.
RECORD_APPS = {"markets", "sellers"}


@receiver(post_save, dispatch_uid="record_changed_on_save")
@receiver(post_delete, dispatch_uid="record_changed_on_delete")
def retire_cache_on_write(sender: type, **kwargs: Any) -> None:
    if sender._meta.app_label in RECORD_APPS:
        record_changed()


@receiver(m2m_changed, dispatch_uid="record_changed_on_links")
def retire_cache_on_links(sender: type, action: str, **kwargs: Any) -> None:
    if sender._meta.app_label in RECORD_APPS and action.startswith("post_"):
        record_changed()


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
