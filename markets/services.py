"""Writes of the record that several writers share: admin actions, the API, commands.

Each goes through the models' own save(), record by record, so every such write
claims the next version (refusing a stale one), leaves a line of history with its author
and reason, rewrites the status spans and retires the cache (markets.signals), all in
one transaction: a bulk change is as safe as an edit in a form.
"""

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from markets.models import Content, Publication, StatusSpan


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
