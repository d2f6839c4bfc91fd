"""Fast reads of events: the serializers' exact JSON, without DRF's field-by-field cost.

DRF builds each record field by field through model instances and nested serializers,
which costs several times what the database does for a page of 50 events. The list
reads three things with ``.values()`` instead — the page, its events' market codes, and
their evidence with each source — and writes the same JSON as ModeEventSerializer.
A test holds the two to the same output for every event of the article data.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from django.db.models import QuerySet

from markets.dates import format_fuzzy_date
from markets.models import EventEvidence, ModeEvent, ModeStatus, Publication

EVENT_COLUMNS = (
    "id",
    "slug",
    "mode",
    "kind",
    "has_no_market",
    "date",
    "date_precision",
    "date_wording",
    "date_note",
    "status_set",
    "summary_zh",
    "summary_en",
    "is_disputed",
    "dispute_note_zh",
    "dispute_note_en",
    "publication",
    "version",
    "created_at",
    "updated_at",
)
SOURCE_COLUMNS = (
    "id",
    "slug",
    "title",
    "url",
    "publisher",
    "published_on",
    "published_precision",
    "published_wording",
)


def iso_date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def iso_datetime(value: datetime.datetime) -> str:
    """As DRF writes a UTC datetime: ISO 8601 with a Z."""
    text = value.astimezone(datetime.UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def event_rows(queryset: QuerySet) -> QuerySet:
    """The page's events as plain rows, in whatever order and filter ``queryset`` has."""
    return queryset.prefetch_related(None).values(*EVENT_COLUMNS)


def represent_events(rows: Iterable[dict[str, Any]], *, public: bool) -> list[dict]:
    """ModeEventSerializer's output for these rows, in two more queries.

    ``public``: only published markets, and quotes of published sources, as the pages.
    """
    rows = list(rows)
    ids = [row["id"] for row in rows]
    links = ModeEvent.markets.through.objects.filter(modeevent_id__in=ids)
    evidence = EventEvidence.objects.filter(fact_id__in=ids)
    if public:
        links = links.filter(market__publication=Publication.PUBLISHED)
        evidence = evidence.filter(source__publication=Publication.PUBLISHED)
    codes = defaultdict(list)
    for event_id, code in links.order_by("market__code").values_list(
        "modeevent_id", "market__code"
    ):
        codes[event_id].append(code)
    quotes = defaultdict(list)
    for item in evidence.order_by("id").values(
        "fact_id", "quote", "claim", *(f"source__{name}" for name in SOURCE_COLUMNS)
    ):
        quotes[item["fact_id"]].append(evidence_item(item))
    return [
        event_representation(row, codes[row["id"]], quotes[row["id"]]) for row in rows
    ]


def evidence_item(item: dict[str, Any]) -> dict[str, Any]:
    return {
        "source": source_brief(lambda name: item[f"source__{name}"]),
        "quote": item["quote"],
        "claim": item["claim"],
    }


def event_representation(
    row: dict[str, Any], markets: list[str], evidence: list[dict]
) -> dict[str, Any]:
    return {
        "id": row["id"],
        "slug": row["slug"],
        "mode": row["mode"],
        "kind": row["kind"],
        "markets": markets,
        "has_no_market": row["has_no_market"],
        "date": iso_date(row["date"]),
        "date_precision": row["date_precision"],
        "date_wording": row["date_wording"],
        "date_note": row["date_note"],
        "date_display": str(format_fuzzy_date(row["date"], row["date_precision"])),
        "status_set": row["status_set"],
        "summary_zh": row["summary_zh"],
        "summary_en": row["summary_en"],
        "disputed": row["is_disputed"],
        "dispute_note_zh": row["dispute_note_zh"],
        "dispute_note_en": row["dispute_note_en"],
        "evidence": evidence,
        "publication": row["publication"],
        "version": row["version"],
        "created_at": iso_datetime(row["created_at"]),
        "updated_at": iso_datetime(row["updated_at"]),
    }


def source_brief(column: Callable[[str], Any]) -> dict[str, Any]:
    """SourceBriefSerializer's output; ``column(name)`` reads a row or a Source."""
    brief = {name: column(name) for name in SOURCE_COLUMNS}
    brief["url"] = brief["url"] or None
    brief["published_on"] = iso_date(brief["published_on"])
    return brief


def event_brief(event: ModeEvent) -> dict[str, Any]:
    """EventBriefSerializer's output, from an event with its evidence prefetched."""
    return {
        "id": event.pk,
        "slug": event.slug,
        "mode": event.mode,
        "kind": event.kind,
        "date": iso_date(event.date),
        "date_precision": event.date_precision,
        "date_wording": event.date_wording,
        "date_note": event.date_note,
        "date_display": str(event.date_display),
        "status_set": event.status_set,
        "summary_zh": event.summary_zh,
        "summary_en": event.summary_en,
        "disputed": event.is_disputed,
        "dispute_note_zh": event.dispute_note_zh,
        "dispute_note_en": event.dispute_note_en,
        "evidence": [
            {
                "source": source_brief(partial(getattr, item.source)),
                "quote": item.quote,
                "claim": item.claim,
            }
            for item in event.evidence.all()
        ],
    }


def represent_status(cells: Iterable[ModeStatus]) -> list[dict[str, Any]]:
    """ModeStatusSerializer's output; an event deciding many cells is written once."""
    briefs: dict[int, dict[str, Any]] = {}
    table = []
    for cell in cells:
        event = cell.event
        if event is not None and event.pk not in briefs:
            briefs[event.pk] = event_brief(event)
        table.append(
            {
                "market": cell.market.code,
                "mode": cell.mode,
                "as_of": iso_date(cell.day),
                "status": cell.status,
                "uncertain": cell.uncertain,
                "event": briefs[event.pk] if event is not None else None,
            }
        )
    return table
