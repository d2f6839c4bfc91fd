"""`make bench`: build the synthetic data set, then measure every hot path beside the floor.

Prints a table and writes bench/results.json. Environment:
  BENCH_SCALE=0.1     a tenth of the default data set, for a quick run
  BENCH_SECONDS=3     how long each path is measured
  EXPLAIN=1           print the query plan of every query of every measured path
  BENCH_REUSE=1       measure the database the last run built, without rebuilding it
  BENCH_ONLY=status   measure only the paths whose name holds this text (and the floor);
                      results.json keeps the other paths' rows of the last run
  DATABASE_URL        the database (bench/bench.sqlite3 by default, rebuilt every run)
"""

import datetime
import itertools
import json
import os
import platform
import resource
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.build import build  # noqa: E402
from bench.saves import measure_saves  # noqa: E402
from markets.models import Market, ModeEvent, RecordPart  # noqa: E402
from markets.signals import record_changed  # noqa: E402
from sellers.models import SellerCase  # noqa: E402
from status.selectors import status_on  # noqa: E402

SCALE = float(os.environ.get("BENCH_SCALE", "1"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "3"))
EXPLAIN = os.environ.get("EXPLAIN") == "1"
REUSE = os.environ.get("BENCH_REUSE") == "1"
ONLY = os.environ.get("BENCH_ONLY", "")
DEEP_ROW = 25_000


def every_part_changed() -> None:
    """A write to every part of the record: nothing cached serves the next reader."""
    for part in RecordPart:
        record_changed(part)


def edit_of(find_row: Callable[[], ModeEvent | SellerCase]) -> Callable[[], None]:
    """An analyst's edit of one row the page shows, saved as the admin and the API save
    it: its summary or narrative written again, differently each time."""
    row = find_row()
    field = "summary_en" if isinstance(row, ModeEvent) else "narrative_en"
    edits = itertools.count()

    def edit() -> None:
        row.refresh_from_db()
        setattr(row, field, f"Edited for the benchmark, {next(edits)}.")
        row.save()

    return edit


def deciding_event(day: datetime.date) -> ModeEvent:
    """The event deciding the first decided cell of the status answer on ``day``."""
    cell = next(cell for cell in status_on(Market.objects.public(), day) if cell.event)
    return ModeEvent.objects.get(pk=cell.event.pk)


def fresh_database() -> None:
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{database['NAME']}{suffix}").unlink(missing_ok=True)
    else:
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)


def timed(function, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def deep_url(client: Client, url: str, rows: int) -> str:
    """The URL of the page starting near ``rows`` rows in, by following next links."""
    separator = "&" if "?" in url else "?"
    page_url, seen = f"{url}{separator}page_size=500", 0
    while seen < rows:
        data = client.get(page_url).json()
        seen += len(data["results"])
        if not data.get("next"):
            break
        parts = urlsplit(data["next"])
        page_url = f"{parts.path}?{parts.query}"
    return page_url.replace("page_size=500", "page_size=50")


def measure(
    client: Client,
    name: str,
    url: str,
    *,
    cold: bool = False,
    edit: Callable[[], None] | None = None,
    edited: str = "a row it shows",
) -> dict:
    """Requests/s, latencies and queries of ``url``.

    ``cold``: every request follows a write to every part of the record, which
    retires every cached page: the cost of the first reader after an analyst's write
    elsewhere. ``edit``: every request follows that edit, of the row ``edited`` names.
    Otherwise readers after the first are served what the first one's request cached
    (caching.kept), as in production.
    """
    prepare = edit or (every_part_changed if cold else lambda: None)
    for _ in range(5):
        prepare()
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    latencies = []
    stop = time.perf_counter() + SECONDS
    while time.perf_counter() < stop:
        prepare()
        start = time.perf_counter()
        client.get(url)
        latencies.append(time.perf_counter() - start)
    prepare()
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    if EXPLAIN and cold:
        explain(name, queries.captured_queries)
    latencies.sort()
    return {
        "name": (
            f"{name}, after an edit of {edited}"
            if edit
            else f"{name}, after a write"
            if cold
            else name
        ),
        "url": url,
        "requests": len(latencies),
        "rps": round(len(latencies) / sum(latencies), 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1] * 1000, 2),
        "queries": len(queries.captured_queries),
    }


def explain(name: str, captured: list[dict]) -> None:
    prefix = (
        "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ANALYZE "
    )
    print(f"\n--- {name}")
    with connection.cursor() as cursor:
        for query in captured:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            print(f"\n{sql[:300]}{'…' if len(sql) > 300 else ''}")
            cursor.execute(prefix + sql)
            for row in cursor.fetchall():
                print("   ", " ".join(str(cell) for cell in row))


def main() -> None:
    print(f"Loopwatch benchmark on {connection.vendor}, scale {SCALE}")
    fixture_seconds, build_seconds, made, build_peak_mb = prepare()
    # The bulk inserts of the build announce no write.
    every_part_changed()
    print(
        f"article fixtures loaded in {fixture_seconds:.2f} s; synthetic set built in "
        f"{build_seconds:.1f} s: {made}"
    )
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    results = measure_all(client, chosen_paths(client))
    # Reusing a database, the build's peak is the run that built it.
    peak_mb = max(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, build_peak_mb
    )
    print_results(results, peak_mb, fixture_seconds, build_seconds)
    report = {
        "database": connection.vendor,
        "scale": SCALE,
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "rows": made,
        "fixtures_seconds": round(fixture_seconds, 2),
        "build_seconds": round(build_seconds, 1),
        "peak_memory_mb": round(peak_mb),
        "results": results,
    }
    (HERE / "results.json").write_text(
        json.dumps(kept_rows(results, earlier_rows("results.json")), indent=2) + "\n"
    )
    report_name = f"report-{connection.vendor}.json"
    earlier = earlier_rows(report_name, lambda report: report["results"])
    report["results"] = kept_rows(results, earlier)
    (HERE / report_name).write_text(json.dumps(report, indent=2) + "\n")


def earlier_rows(name: str, rows_of: Callable = lambda rows: rows) -> list[dict]:
    """The rows the last run wrote to bench/``name`` (none without BENCH_ONLY)."""
    if not ONLY or not (HERE / name).exists():
        return []
    return rows_of(json.loads((HERE / name).read_text()))


def kept_rows(results: list[dict], earlier: list[dict]) -> list[dict]:
    """This run's rows, in the places of the ``earlier`` rows of the same paths, the
    paths not measured keeping their earlier rows (BENCH_ONLY measures only some)."""
    measured = {result["name"]: result for result in results}
    rows = [measured.pop(row["name"], row) for row in earlier]
    return rows + list(measured.values())


def prepare() -> tuple[float, float, dict[str, int], float]:
    """The database to measure, built anew (or reused with REUSE): how long the
    fixtures and the synthetic set took, the rows made, and the build's peak memory."""
    if REUSE:
        call_command("migrate", verbosity=0)
        report = json.loads((HERE / f"report-{connection.vendor}.json").read_text())
        fixture_seconds, build_seconds, made = (
            report["fixtures_seconds"],
            report["build_seconds"],
            report["rows"],
        )
        build_peak_mb = report["peak_memory_mb"]
    else:
        fresh_database()
        fixture_seconds, _ = timed(call_command, "load_articles", verbosity=0)
        build_seconds, made = timed(build, SCALE)
        build_peak_mb = 0
    return fixture_seconds, build_seconds, made, build_peak_mb


def edits_measured() -> tuple[dict, dict]:
    """For the paths measured after an analyst's edit: the row edited that the page
    shows, and one it reads but does not show."""
    day = datetime.date(2024, 6, 1)
    # The row an analyst edits, for the paths measured after such an edit.
    edited = {
        "api mode-events": lambda: ModeEvent.objects.public().order_by("date", "slug")[
            0
        ],
        "api seller-cases, 2 filters": lambda: (
            SellerCase.objects.public()
            .filter(strategies__code="strategy-1", city_en="Shenzhen")
            .order_by("slug")[0]
        ),
        "api status on a date": partial(deciding_event, day),
        "page /": partial(deciding_event, day),
        "page /sellers/": lambda: SellerCase.objects.listed().order_by("slug")[0],
    }
    # A row of a table the page reads, which the page does not show: what an analyst's
    # edit elsewhere in the record costs the next reader.
    elsewhere = {
        "api mode-events": (
            "an event not on the page",
            lambda: ModeEvent.objects.public().order_by("-date", "-slug")[0],
        ),
        "api seller-cases, 2 filters": (
            "a case the filters leave out",
            lambda: (
                SellerCase.objects.public()
                .exclude(city_en="Shenzhen")
                .order_by("-slug")[0]
            ),
        ),
        "api status on a date": ("a seller case", lambda: SellerCase.objects.first()),
        "page /": ("a seller case", lambda: SellerCase.objects.first()),
        "page /sellers/": (
            "a case not on the page",
            lambda: SellerCase.objects.listed().order_by("-slug")[0],
        ),
    }
    return edited, elsewhere


def chosen_paths(client: Client) -> list[tuple[str, str]]:
    """The floor, then the paths ONLY names (every path by default), with their URLs."""
    seller_filters = "strategy=strategy-1&city=Shenzhen"
    paths = [
        ("floor: 50 events from .values()", "/bench/floor/"),
        ("api mode-events", "/api/mode-events/"),
        (
            "api mode-events, deep page",
            partial(deep_url, client, "/api/mode-events/", DEEP_ROW),
        ),
        ("api seller-cases, 2 filters", f"/api/seller-cases/?{seller_filters}"),
        (
            "api seller-cases, 2 filters, deep page",
            partial(deep_url, client, f"/api/seller-cases/?{seller_filters}", DEEP_ROW),
        ),
        ("api markets", "/api/markets/"),
        ("api sources", "/api/sources/"),
        ("api disputes", "/api/disputes/"),
        ("api market-figures", "/api/market-figures/"),
        ("api seller-figures", "/api/seller-figures/"),
        ("api status on a date", "/api/status/?as_of=2024-06-01"),
        ("page /", "/?as_of=2024-06-01"),
        ("page /sellers/", "/sellers/"),
    ]
    # A deep page's URL is found by walking the list, so only when it is measured.
    chosen = [
        (name, url() if callable(url) else url)
        for position, (name, url) in enumerate(paths)
        if position == 0 or ONLY in name
    ]
    return chosen


def measure_all(client: Client, chosen: list[tuple[str, str]]) -> list[dict]:
    """Each path measured warm and cold, and after an edit where one is defined; each
    result's ratio to the floor's requests per second."""
    edited, elsewhere = edits_measured()
    (floor_name, floor_url), *served = chosen
    results = [measure(client, floor_name, floor_url)]
    for name, url in served:
        results += [measure(client, name, url), measure(client, name, url, cold=True)]
        if name in edited:
            results.append(measure(client, name, url, edit=edit_of(edited[name])))
        if name in elsewhere:
            which, find_row = elsewhere[name]
            results.append(
                measure(client, name, url, edit=edit_of(find_row), edited=which)
            )
    results += measure_saves(ONLY, SECONDS)
    floor = results[0]["rps"]
    for result in results:
        result["ratio_to_floor"] = round(result["rps"] / floor, 3)

    return results


def print_results(
    results: list[dict], peak_mb: float, fixture_seconds: float, build_seconds: float
) -> None:
    print()
    print(
        f"{'path':56} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'queries':>7} {'÷floor':>7}"
    )
    for r in results:
        print(
            f"{r['name']:56} {r['rps']:8.1f} {r['p50_ms']:8.2f} {r['p95_ms']:8.2f} "
            f"{r['queries']:7d} {r['ratio_to_floor']:7.3f}"
        )
    print(
        f"\npeak memory {peak_mb:.0f} MiB; fixtures {fixture_seconds:.2f} s; "
        f"synthetic set {build_seconds:.1f} s"
    )


if __name__ == "__main__":
    main()
