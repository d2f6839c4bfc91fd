"""Fast reads of lists: the serializers' exact JSON, without DRF's field-by-field cost.

DRF builds each record field by field through model instances and nested serializers,
which costs several times what the database does for a page of 50 records. A list here
reads its page as plain rows (``.values()``) in one query, each row carrying its nested
lists (market codes, quotes with their source) as JSON the database assembled, and
writes the same JSON as its serializer. Tests hold each reader to its serializer's
output for every record of the article data.

For the public, a page reads first only each row's key: its id, its creation and its
ShownRevision, which the database raises whenever anything the row's JSON shows is
written. The JSON of each row is kept under that key (``kept_drawn``): after a write,
only the rows it changed are read and drawn again.
"""

import datetime
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from operator import attrgetter
from typing import Any

import orjson
from django.db.models import (
    Aggregate,
    Expression,
    F,
    JSONField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import JSONArray, JSONObject, NullIf
from django.utils.dateparse import parse_date

from caching.kept import drawn_once
from markets.dates import date_span, format_fuzzy_date, latest_day, latest_done_by
from markets.models import EventEvidence, ModeEvent, Publication, Source, Verification
from status.grid import ModeStatus

# What FactSerializer writes of every fact (see ``fact_fields``).
FACT_COLUMNS = (
    "dispute__slug",
    "dispute__note_zh",
    "dispute__note_en",
    "publication",
    "version",
    "created_at",
    "updated_at",
)
EVENT_COLUMNS = ("id", "slug", *ModeEvent.recorded_fields, *FACT_COLUMNS)
SOURCE_COLUMNS = ("id", "slug", *Source.cited_fields)


class JSONList(Aggregate):
    """The grouped values as one JSON array."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra)


def json_list(rows: QuerySet, owner: str, item: Expression) -> Subquery:
    """Each outer row's ``rows`` (those whose ``owner`` is it), as a JSON list of ``item``.

    The list is null where there are none. Its order is not the database's to keep (an
    aggregate has none on SQLite before 3.44), so items carry their sort key.
    """
    return Subquery(
        rows.filter(**{owner: OuterRef("pk")})
        .order_by()
        .values(owner)
        .annotate(items=JSONList(item))
        .values("items")
    )


def keyed_codes(links: QuerySet, owner: str, related: str) -> Subquery:
    """Codes of the related rows, each as [its model's order, code]; see ``in_order``."""
    model = links.model._meta.get_field(related).related_model
    order = model._meta.ordering[0]
    return json_list(links, owner, JSONArray(f"{related}__{order}", f"{related}__code"))


def in_order(keyed: list | None) -> list:
    """The values of [sort key, value] pairs, in key order."""
    return [value for _key, value in sorted(keyed or [], key=lambda pair: pair[0])]


def evidence_list(evidence: QuerySet) -> Subquery:
    """A fact's quotes as EvidenceSerializer writes them, each keyed by its id."""
    source = {name: F(f"source__{name}") for name in SOURCE_COLUMNS}
    source["url"] = NullIf(F("source__url"), Value(""))
    return json_list(
        evidence,
        "fact",
        JSONArray(
            "id",
            JSONObject(
                source=JSONObject(**source),
                quote="quote",
                claim="claim",
                # Read by event_days (only published sources date a fact), then dropped.
                source_publication="source__publication",
                verification="verification",
                # The selector's parts, made one object (or null) by evidence_item().
                selector=JSONArray(
                    "quote_exact",
                    "quote_prefix",
                    "quote_suffix",
                    "quote_start",
                    "quote_end",
                ),
            ),
        ),
    )


def evidence_item(item: dict[str, Any]) -> dict[str, Any]:
    """A quote from ``evidence_list`` as EvidenceSerializer writes it: its selector an
    object where the quote is verified, else null."""
    item.pop("source_publication", None)
    exact, prefix, suffix, start, end = item["selector"]
    verified = item["verification"] == Verification.VERIFIED and start is not None
    item["selector"] = (
        {"exact": exact, "prefix": prefix, "suffix": suffix, "start": start, "end": end}
        if verified
        else None
    )
    return item


def market_links(links: QuerySet, public: bool) -> QuerySet:
    """Links to markets (a many-to-many's rows): to published markets, for the public."""
    return links.filter(market__publication=Publication.PUBLISHED) if public else links


def public_or_all(queryset: QuerySet, public: bool) -> QuerySet:
    """The public's rows of the model (its ``public()``), or all of them."""
    return queryset.public() if public else queryset.all()


def iso_date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def iso_datetime(value: datetime.datetime) -> str:
    """As DRF writes a UTC datetime: ISO 8601 with a Z."""
    text = value.astimezone(datetime.UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def event_rows(queryset: QuerySet, *, public: bool) -> QuerySet:
    """The events of ``queryset`` as plain rows, with their markets and quotes.

    ``public``: only published markets, and quotes of published sources, as the pages.
    """
    return queryset.prefetch_related(None).values(*EVENT_COLUMNS, **event_lists(public))


@cache
def event_lists(public: bool) -> dict[str, Subquery]:
    """The nested lists of an event row, built once: building costs more than running."""
    links = market_links(ModeEvent.markets.through.objects.all(), public)
    return {
        "keyed_markets": keyed_codes(links, "modeevent", "market"),
        "keyed_evidence": evidence_list(public_or_all(EventEvidence.objects, public)),
    }


def kept_drawn(
    page: Sequence[dict[str, Any]],
    model: type,
    draw: Callable[[list[int]], Iterable[dict[str, Any]]],
) -> list[orjson.Fragment]:
    """The JSON of each row of a page of ``keyed_rows``: kept, or drawn by ``draw``
    (the representations of the rows of these ids) for the rows not kept yet.

    A row gone since the page was read is left out; its revision has moved on.
    """

    def draw_missing(missing: Sequence[dict[str, Any]]) -> list[bytes | None]:
        drawn = {row["id"]: row for row in draw([row["id"] for row in missing])}
        return [
            orjson.dumps(drawn[row["id"]]) if row["id"] in drawn else None
            for row in missing
        ]

    kept = drawn_once(
        f"row-json:{model._meta.label_lower}",
        page,
        lambda row: (row["id"], row["created_at"].isoformat(), row["revision"]),
        draw_missing,
    )
    return [orjson.Fragment(json) for json in kept if json is not None]


def represent_events(rows: Iterable[dict[str, Any]]) -> list[dict]:
    """ModeEventSerializer's output for rows from ``event_rows``."""
    return [event_representation(row) for row in rows]


def event_representation(row: dict[str, Any]) -> dict[str, Any]:
    earliest, latest = event_days(row)
    return {
        "id": row["id"],
        "slug": row["slug"],
        "mode": row["mode"],
        "kind": row["kind"],
        "markets": in_order(row["keyed_markets"]),
        "scope": row["scope"],
        "date": iso_date(row["date"]),
        "date_precision": row["date_precision"],
        "date_wording": row["date_wording"],
        "date_note": row["date_note"],
        "date_note_zh": row["date_note_zh"],
        "date_display": str(format_fuzzy_date(row["date"], row["date_precision"])),
        "date_earliest": iso_date(earliest),
        "date_latest": iso_date(latest),
        "is_scheduled": row["is_scheduled"],
        "status_set": row["status_set"],
        "summary_zh": row["summary_zh"],
        "summary_en": row["summary_en"],
        **fact_fields(row),
    }


def event_days(row: dict[str, Any]) -> tuple[datetime.date, datetime.date]:
    """ModeEvent.date_span of a row: its wording's days, ending by its sources'
    publication for what is reported as done (markets.dates.latest_done_by)."""
    first, last = date_span(row["date"], row["date_precision"])
    published_by = [
        latest_day(
            parse_date(source["published_on"]) if source["published_on"] else None,
            source["published_precision"],
        )
        for _, item in row["keyed_evidence"] or ()
        if item["source_publication"] == Publication.PUBLISHED
        for source in [item["source"]]
    ]
    return first, latest_done_by(first, last, published_by, row["is_scheduled"])


def fact_fields(row: dict[str, Any]) -> dict[str, Any]:
    """FactSerializer's fields of a row: the dispute, the quotes, publication, times."""
    return {
        "disputed": row["dispute__slug"] is not None,
        "dispute": row["dispute__slug"],
        "dispute_note_zh": row["dispute__note_zh"] or "",
        "dispute_note_en": row["dispute__note_en"] or "",
        "evidence": [evidence_item(item) for item in in_order(row["keyed_evidence"])],
        "publication": row["publication"],
        "version": row["version"],
        "created_at": iso_datetime(row["created_at"]),
        "updated_at": iso_datetime(row["updated_at"]),
    }


def source_brief(source: Source) -> dict[str, Any]:
    """SourceBriefSerializer's output."""
    brief = {name: getattr(source, name) for name in SOURCE_COLUMNS}
    brief["url"] = brief["url"] or None
    brief["published_on"] = iso_date(brief["published_on"])
    return brief


def event_brief(event: ModeEvent) -> dict[str, Any]:
    """EventBriefSerializer's output, from an event with its evidence prefetched."""
    earliest, latest = event.date_span
    return {
        "id": event.pk,
        "slug": event.slug,
        "mode": event.mode,
        "kind": event.kind,
        "scope": event.scope,
        "date": iso_date(event.date),
        "date_precision": event.date_precision,
        "date_wording": event.date_wording,
        "date_note": event.date_note,
        "date_note_zh": event.date_note_zh,
        "date_display": str(event.date_display),
        "date_earliest": iso_date(earliest),
        "date_latest": iso_date(latest),
        "is_scheduled": event.is_scheduled,
        "status_set": event.status_set,
        "summary_zh": event.summary_zh,
        "summary_en": event.summary_en,
        "disputed": event.is_disputed,
        "dispute": event.dispute.slug if event.dispute_id else None,
        "evidence": [
            {
                "source": source_brief(item.source),
                "quote": item.quote,
                "claim": item.claim,
                "verification": item.verification,
                "selector": item.selector,
            }
            for item in event.evidence.all()
        ],
    }


def represent_status(cells: Sequence[ModeStatus]) -> list[dict[str, Any]]:
    """ModeStatusSerializer's output; each cell's evidence is written once per span
    (``ModeStatus.drawing_key``), so only the cells a write changed are drawn anew."""

    def draw(missing: Sequence[ModeStatus]) -> list[dict[str, Any]]:
        if missing:
            missing[0].events.only_for(cell.span for cell in missing)
        briefs: dict[int, dict[str, Any]] = {}

        def brief(event: ModeEvent) -> dict[str, Any]:
            if event.pk not in briefs:
                briefs[event.pk] = event_brief(event)
            return briefs[event.pk]

        return [cell_evidence(cell, brief) for cell in missing]

    drawn = drawn_once("status-cell-json", cells, attrgetter("drawing_key"), draw)
    return [
        {
            # The market's code may change without its spans: never kept with them.
            "market": cell.market.code,
            "mode": cell.mode,
            "as_of": iso_date(cell.day),
            **evidence,
        }
        for cell, evidence in zip(cells, drawn, strict=True)
    ]


def cell_evidence(
    cell: ModeStatus, brief: Callable[[ModeEvent], dict[str, Any]]
) -> dict[str, Any]:
    """A cell's answer and what it rests on: all of ModeStatusSerializer's fields but
    the market, mode and day."""
    event = cell.event
    source = cell.evidence_source
    dispute = cell.dispute
    start = cell.start
    return {
        "status": cell.status,
        "shown_as": cell.shown,
        "in_words": cell.words.title,
        "since": iso_date(cell.since),
        "start": (
            {
                "text": start.text,
                "precision": start.precision,
                "earliest": iso_date(start.earliest),
                "latest": iso_date(start.latest),
                "disputed": start.disputed,
            }
            if start
            else None
        ),
        "uncertain": cell.uncertain,
        "previous_status": cell.previous_status,
        "certain_from": iso_date(cell.certain_from),
        "implied": cell.implied,
        "scheduled": cell.scheduled,
        "evidence_on": iso_date(cell.evidence_on),
        "evidence_source": source_brief(source) if source else None,
        "stale": cell.stale,
        "event": brief(event) if event is not None else None,
        "claims": [brief(claim) for claim in cell.disputed_claims],
        "dispute": (
            {
                "slug": dispute.slug,
                "note_zh": dispute.note_zh,
                "note_en": dispute.note_en,
            }
            if dispute
            else None
        ),
    }
