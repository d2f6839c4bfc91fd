"""The synthetic data set of the benchmark, made with the factories and bulk inserts.

Default size: 249 markets (every ISO 3166-1 code there is), 50,000 mode events,
100,000 seller cases with 4 figures each, 2,000 sources, and evidence on every fact.
BENCH_SCALE scales every count but the markets' and the regions'.
"""

import datetime
import random
import uuid
from collections.abc import Iterable
from decimal import Decimal

from django.apps import apps
from django.db import connection, transaction

from caching import listings, triggers
from markets.dates import DatePrecision
from markets.models import (
    EventEvidence,
    EventKind,
    FigureUnit,
    Market,
    Mode,
    ModeEvent,
    Publication,
    Region,
    Source,
    Status,
)
from markets.vocabulary import StatusSet
from sellers.models import (
    SellerCase,
    SellerCaseEvidence,
    SellerFigure,
    SellerFigureEvidence,
    Strategy,
)
from status.models import StatusSpan
from tests.factories import (
    COUNTRY_CODES,
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    RegionFactory,
    SellerCaseEvidenceFactory,
    SellerCaseFactory,
    SellerFigureEvidenceFactory,
    SellerFigureFactory,
    SourceFactory,
    StrategyFactory,
)

BATCH = 5_000
CITIES = [
    ("深圳", "Shenzhen"),
    ("杭州", "Hangzhou"),
    ("广州", "Guangzhou"),
    ("义乌", "Yiwu"),
]
CATEGORIES = [
    ("家居用品", "Home goods"),
    ("美妆", "Beauty"),
    ("母婴", "Mother and baby"),
]
STATUS_OF_KIND = {
    EventKind.LAUNCH: Status.LIVE,
    EventKind.BETA_LAUNCH: Status.BETA,
    EventKind.RELAUNCH: Status.LIVE,
    EventKind.CLOSURE_EFFECTIVE: Status.CLOSED,
    EventKind.UNDER_CONSIDERATION: Status.CONSIDERING,
    EventKind.REGULATORY_ACTION: StatusSet.NONE,
}


def counts(scale: float) -> dict[str, int]:
    return {
        "markets": len(COUNTRY_CODES),
        "sources": max(int(2_000 * scale), 10),
        "events": max(int(50_000 * scale), 50),
        "seller_cases": max(int(100_000 * scale), 100),
        "figures_per_case": 4,
    }


def insert(model: type, rows: Iterable) -> list:
    """Bulk insert in batches; returns the rows with their primary keys."""
    rows = list(rows)
    for start in range(0, len(rows), BATCH):
        model.objects.bulk_create(rows[start : start + BATCH], batch_size=BATCH)
    return rows


def fuzzy_date(rng: random.Random) -> tuple[datetime.date, str]:
    day = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randrange(7 * 365))
    precision = rng.choice(
        [DatePrecision.DAY, DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR]
    )
    if precision == DatePrecision.MONTH:
        day = day.replace(day=1)
    elif precision == DatePrecision.YEAR:
        day = day.replace(month=1, day=1)
    return day, precision


def build(scale: float = 1.0, seed: int = 20240201) -> dict[str, int]:
    """Fill an empty database; returns the number of rows made per model.

    The record's triggers are off meanwhile: row by row, PostgreSQL's took most of an
    hour to count the revisions of rows no one has read yet. Nothing is cached before
    the run, and the rows' revisions start at their first write, as after an import.
    """
    with connection.schema_editor() as editor:
        listings.uninstall_listing_revisions(apps, editor)
        triggers.uninstall(apps, editor)
    try:
        made = fill(scale, seed)
    finally:
        with connection.schema_editor() as editor:
            triggers.install(apps, editor)
            listings.install_listing_revisions(apps, editor)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return made


@transaction.atomic
def fill(scale: float, seed: int) -> dict[str, int]:
    """Write the synthetic data set: the same one for the same scale and seed, as
    every random draw is made in the same order."""
    rng = random.Random(seed)
    n = counts(scale)
    markets, sources, strategies = fill_reference(rng, n)
    events = fill_events(rng, n, markets, sources)
    cases = fill_sellers(rng, n, events, markets, sources, strategies)
    figures = fill_seller_figures(rng, n, cases, sources)
    return {
        "markets": len(markets),
        "sources": len(sources),
        "mode_events": len(events),
        "seller_cases": len(cases),
        "seller_figures": len(figures),
        "evidence": len(events) + len(cases) + len(figures),
    }


def fill_reference(
    rng: random.Random, n: dict[str, int]
) -> tuple[list[Market], list[Source], list[Strategy]]:
    """Regions, every market of the ISO list, sources and strategies."""
    regions = insert(Region, (RegionFactory.build() for _ in range(8)))
    # The article data hold some markets already; make the rest of the ISO list.
    existing = list(Market.objects.all())
    taken = {market.code for market in existing}
    markets = existing + insert(
        Market,
        (
            MarketFactory.build(code=code, region=rng.choice(regions))
            for code in COUNTRY_CODES
            if code not in taken
        ),
    )
    sources = insert(Source, (SourceFactory.build() for _ in range(n["sources"])))
    strategies = insert(Strategy, (StrategyFactory.build() for _ in range(8)))
    return markets, sources, strategies


def fill_events(
    rng: random.Random,
    n: dict[str, int],
    markets: list[Market],
    sources: list[Source],
) -> list[ModeEvent]:
    """Published mode events with their markets and evidence, and the status index
    written from them."""
    published = Publication.PUBLISHED
    events = []
    for _ in range(n["events"]):
        kind = rng.choice(list(STATUS_OF_KIND))
        day, precision = fuzzy_date(rng)
        events.append(
            ModeEventFactory.build(
                mode=rng.choice(Mode.values),
                kind=kind,
                status_set=STATUS_OF_KIND[kind],
                date=day,
                date_precision=precision,
                date_wording="",
                publication=published,
            )
        )
    insert(ModeEvent, events)
    insert(
        ModeEvent.markets.through,
        (
            ModeEvent.markets.through(modeevent_id=event.pk, market_id=market.pk)
            for event in events
            for market in rng.sample(markets, rng.randint(1, 3))
        ),
    )
    insert(
        EventEvidence,
        (
            EventEvidenceFactory.build(
                fact=event, source=rng.choice(sources), uuid=uuid.uuid4()
            )
            for event in events
        ),
    )
    # Bulk inserts send no signals: the status index is written from the events and
    # their evidence after. Written before the evidence, every span would be marked
    # unsure by the evidence's triggers, one row at a time.
    StatusSpan.objects.rebuild()
    return events


def fill_sellers(
    rng: random.Random,
    n: dict[str, int],
    events: list[ModeEvent],
    markets: list[Market],
    sources: list[Source],
    strategies: list[Strategy],
) -> list[SellerCase]:
    """Seller cases reacting to the events, with their strategies, markets and
    evidence."""
    cases = []
    for _ in range(n["seller_cases"]):
        city_zh, city_en = rng.choice(CITIES)
        category_zh, category_en = rng.choice(CATEGORIES)
        cases.append(
            SellerCaseFactory.build(
                reacts_to=rng.choice(events),
                city_zh=city_zh,
                city_en=city_en,
                category_zh=category_zh,
                category_en=category_en,
            )
        )
    insert(SellerCase, cases)
    insert(
        SellerCase.strategies.through,
        (
            SellerCase.strategies.through(
                sellercase_id=case.pk, strategy_id=strategy.pk
            )
            for case in cases
            for strategy in rng.sample(strategies, rng.randint(1, 2))
        ),
    )
    insert(
        SellerCase.target_markets.through,
        (
            SellerCase.target_markets.through(
                sellercase_id=case.pk, market_id=rng.choice(markets).pk
            )
            for case in cases
        ),
    )
    insert(
        SellerCaseEvidence,
        (
            SellerCaseEvidenceFactory.build(
                fact=case, source=rng.choice(sources), uuid=uuid.uuid4()
            )
            for case in cases
        ),
    )
    return cases


def fill_seller_figures(
    rng: random.Random,
    n: dict[str, int],
    cases: list[SellerCase],
    sources: list[Source],
) -> list[SellerFigure]:
    """The figures of each seller case, with their evidence."""
    figures = insert(
        SellerFigure,
        (
            SellerFigureFactory.build(
                seller_case=case,
                uuid=uuid.uuid4(),
                unit=FigureUnit.COUNT,
                value_before=Decimal(rng.randint(100, 2_000)),
                value_after=Decimal(rng.randint(100, 2_000)),
            )
            for case in cases
            for _ in range(n["figures_per_case"])
        ),
    )
    insert(
        SellerFigureEvidence,
        (
            SellerFigureEvidenceFactory.build(
                fact=figure, source=rng.choice(sources), uuid=uuid.uuid4()
            )
            for figure in figures
        ),
    )
    return figures
