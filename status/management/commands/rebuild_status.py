"""manage.py rebuild_status: the status index worked out afresh from the record.

The index (StatusSpan) is derived data: every save keeps it, and a change typed in SQL
marks the spans it touches ``unsure``. After a change of the rule itself, a restore of
some tables, or any doubt, this rewrites it from the published record by the one rule
(status.answers), as NetBox's ``trace_paths`` rewrites its cable paths. Rewriting a
span gives it a new id, and the command raises the status part's version, so every
kept answer and validator that showed the old index is retired with it.

    manage.py rebuild_status                      every mode in every market
    manage.py rebuild_status --mode closed_loop --market DE --market FR
    manage.py rebuild_status --check              only say whether it matches (exit 1 if not)
"""

from collections.abc import Iterable
from dataclasses import fields

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from markets.models import Market, Mode, RecordPart
from markets.signals import record_changed
from status.answers import Span
from status.claims import resolved_spans
from status.models import StatusSpan

#: The columns a span holds of its answer: those the rule gives, name for name.
SPAN_COLUMNS = tuple(field.name for field in fields(Span))

Cells = dict[tuple[int, str], list[tuple]]


class Command(BaseCommand):
    help = (
        "Rewrite the status index (each market's spans in each mode) from the "
        "published record; --check only compares it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--mode",
            action="append",
            choices=Mode.values,
            help="Only this mode (may be repeated); every mode by default.",
        )
        parser.add_argument(
            "--market",
            action="append",
            metavar="CODE",
            help="Only the market with this ISO code (may be repeated).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing: say which cells differ, and fail if any does.",
        )

    def handle(self, *args: object, **options: object) -> None:
        modes = list(options["mode"] or Mode.values)
        market_ids = self.market_ids(options["market"])
        stored = stored_cells(modes, market_ids)
        worked_out = worked_out_cells(modes, market_ids)
        differing = sorted(
            cell
            for cell in stored.keys() | worked_out.keys()
            if stored.get(cell) != worked_out.get(cell)
        )
        codes = dict(Market.objects.values_list("pk", "code"))
        described = ", ".join(f"{codes[market]} {mode}" for market, mode in differing)
        if options["check"]:
            if differing:
                raise CommandError(
                    f"{len(differing)} of {len(stored.keys() | worked_out.keys())} "
                    f"cells differ from the record: {described}"
                )
            self.stdout.write(
                f"The status index matches the record ({len(stored)} cells)."
            )
            return
        with transaction.atomic():
            StatusSpan.objects.rebuild(modes, market_ids)
            # Kept answers are keyed by the record's version, which spans written
            # outside a save do not raise: raised and announced here, as every save
            # is (markets.signals.record_written), every one is retired.
            record_changed(RecordPart.STATUS)
        spans = sum(len(spans) for spans in worked_out.values())
        self.stdout.write(
            f"Rewrote {spans} spans in {len(worked_out)} cells; "
            f"{len(differing)} differed from the record"
            + (f": {described}" if differing else ".")
        )

    @staticmethod
    def market_ids(codes: Iterable[str] | None) -> list[int] | None:
        if not codes:
            return None
        wanted = {code.strip().upper() for code in codes}
        found = dict(Market.objects.filter(code__in=wanted).values_list("code", "pk"))
        if missing := wanted - found.keys():
            raise CommandError(f"No market has the code {', '.join(sorted(missing))}.")
        return list(found.values())


def stored_cells(modes: list[str], market_ids: list[int] | None) -> Cells:
    """The index as it stands, cell by cell; a span marked unsure stands for nothing,
    since its answer is no longer known to match."""
    rows = StatusSpan.objects.filter(mode__in=modes).order_by("start")
    if market_ids is not None:
        rows = rows.filter(market__in=market_ids)
    cells: Cells = {}
    for row in rows.values("market", "mode", "unsure", *SPAN_COLUMNS):
        answer = None if row["unsure"] else tuple(row[name] for name in SPAN_COLUMNS)
        cells.setdefault((row["market"], row["mode"]), []).append(answer)
    return cells


def worked_out_cells(modes: list[str], market_ids: list[int] | None) -> Cells:
    """The index as the rule works it out from the published record now."""
    return {
        cell: [tuple(getattr(span, name) for name in SPAN_COLUMNS) for span in spans]
        for cell, spans in resolved_spans(modes, market_ids=market_ids).items()
    }
