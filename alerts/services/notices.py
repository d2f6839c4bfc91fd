"""Notices: what the public sees anew or changed, found by reading the published
record, and which of them each follower's list shows."""

import hashlib
from collections.abc import Sequence
from typing import Any

import orjson
from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from alerts.models import Notice, Subscription, Webhook
from alerts.services.following import matching_events
from markets.api.readers import event_rows, represent_events
from markets.models import ModeEvent, ShownRevision

#: What a representation carries that is no news to a follower: bookkeeping.
NOT_NEWS = ("publication", "version", "created_at", "updated_at")
#: What a quote shows of its check against the archived text: a source archived again
#: moves where its quotes stand, which tells a follower nothing new about the event.
NOT_NEWS_OF_A_QUOTE = ("verification", "selector")

# --- Notices ---------------------------------------------------------------------------


def shown_digest(representation: dict[str, Any]) -> str:
    news = {key: value for key, value in representation.items() if key not in NOT_NEWS}
    if "evidence" in news:
        news["evidence"] = [
            {
                key: value
                for key, value in quote.items()
                if key not in NOT_NEWS_OF_A_QUOTE
            }
            for quote in news["evidence"]
        ]
    return hashlib.sha256(orjson.dumps(news, option=orjson.OPT_SORT_KEYS)).hexdigest()


def announce_published() -> list[Notice]:
    """A notice for every published event the public sees anew, or changed, since the
    last notice of it.

    Only events whose shown revision (raised by the database on every write to what
    the event shows) moved since they were last looked at are drawn again; of those,
    only the ones whose public representation differs are news.
    """
    revision = Coalesce(
        Subquery(
            ShownRevision.objects.filter(
                listed=ModeEvent._meta.label_lower, row_id=OuterRef("pk")
            ).values("number")[:1]
        ),
        0,
    )
    last = Notice.objects.filter(event=OuterRef("pk")).order_by("-pk")
    with transaction.atomic():
        candidates = {
            row["pk"]: row
            for row in ModeEvent.objects.published()
            .annotate(
                revision=revision,
                last_notice=Subquery(last.values("pk")[:1]),
                last_revision=Subquery(last.values("revision")[:1]),
                last_shown=Subquery(last.values("shown")[:1]),
            )
            .filter(Q(last_notice__isnull=True) | Q(revision__gt=F("last_revision")))
            .values("pk", "revision", "last_notice", "last_shown")
            .order_by("pk")
        }
        if not candidates:
            return []
        representations = represent_events(
            event_rows(ModeEvent.objects.filter(pk__in=candidates), public=True)
        )
        found, looked_at = [], []
        for representation in sorted(representations, key=lambda r: r["id"]):
            row = candidates[representation["id"]]
            digest = shown_digest(representation)
            if digest == row["last_shown"]:
                looked_at.append((row["last_notice"], row["revision"]))
                continue
            found.append(
                Notice(
                    event_id=row["pk"],
                    revision=row["revision"],
                    change=Notice.Change.UPDATED
                    if row["last_notice"]
                    else Notice.Change.PUBLISHED,
                    shown=digest,
                    event_json=representation,
                )
            )
        for notice_id, number in looked_at:
            Notice.objects.filter(pk=notice_id).update(revision=number)
        return Notice.objects.bulk_create(found)


def pending_notices(followers: Sequence[Subscription | Webhook], latest: int) -> dict:
    """For each follower, the notices after its last one up to ``latest`` that its
    list shows, read once for all: {follower pk: [Notice]}."""
    if not followers:
        return {}
    since = min(follower.seen_through for follower in followers)
    notices = list(
        Notice.objects.after(since).filter(pk__lte=latest).select_related("event")
    )
    events = {notice.event_id for notice in notices}
    shown_by_query = {
        query: matching_events(query, events)
        for query in {follower.query for follower in followers}
    }
    return {
        follower.pk: [
            notice
            for notice in notices
            if notice.pk > follower.seen_through
            and notice.event_id in shown_by_query[follower.query]
        ]
        for follower in followers
    }
