"""Writes of the record that several writers share: admin actions, the API, commands.

Each goes through the models' own save(), record by record, so every such write
claims the next version (refusing a stale one), leaves a line of history with its author
and reason, rewrites the status spans and retires the cache (markets.signals), all in
one transaction: a bulk change is as safe as an edit in a form.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from markets.models import (
    Content,
    NaturallyKeyed,
    Publication,
    StatusSpan,
    Tombstone,
)


def content_set_publication(
    *,
    records: Iterable[Content],
    state: str,
    user: AbstractBaseUser | None,
    reason: str,
) -> list[Content]:
    """Publish the records, or return them to draft; those already so are left alone.

    Returns the records that changed. A record someone changed since it was read is
    refused with StaleEditError, and nothing is written.
    """
    state = Publication(state)
    changed = []
    with transaction.atomic(), StatusSpan.objects.rewrites_deferred():
        for record in records:
            if record.publication == state:
                continue
            record.publication = state
            record._change_reason = reason
            record._history_user = user
            record.save()
            changed.append(record)
    return changed


def record_delete(*, record: NaturallyKeyed, user: AbstractBaseUser | None) -> None:
    """Delete a record for good: a tombstone keeps the article data from reloading it.

    A record others still refer to raises ProtectedError, and nothing is written.
    """
    with transaction.atomic():
        record.delete()
        Tombstone.objects.get_or_create(
            model=record._meta.label_lower,
            natural_key=str(record.natural_key()[0]),
            defaults={"deleted_by": user if user and user.is_authenticated else None},
        )
