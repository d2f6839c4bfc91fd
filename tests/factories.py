"""factory_boy factories for every model, for tests and synthetic data sets."""

import datetime
from decimal import Decimal

import factory
import pycountry

from markets.dates import DatePrecision
from markets.models import (
    EventEvidence,
    EventKind,
    FigureUnit,
    Market,
    MarketFigure,
    MarketFigureEvidence,
    Mode,
    ModeEvent,
    Publication,
    Region,
    Source,
    Status,
)
from sellers.models import (
    SellerCase,
    SellerCaseEvidence,
    SellerFigure,
    SellerFigureEvidence,
    Strategy,
)

COUNTRY_CODES = sorted(country.alpha_2 for country in pycountry.countries)


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"region-{n}")
    name_zh = factory.Sequence(lambda n: f"地区{n}")
    name_en = factory.Sequence(lambda n: f"Region {n}")


class MarketFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Market
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: COUNTRY_CODES[n % len(COUNTRY_CODES)])
    name_zh = factory.LazyAttribute(lambda market: f"市场{market.code}")
    name_en = factory.LazyAttribute(lambda market: f"Market {market.code}")
    region = factory.SubFactory(RegionFactory)
    publication = Publication.PUBLISHED


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"来源文章{n}")
    title_en = factory.Sequence(lambda n: f"Source article {n}")
    publisher = "小川电商"
    url = factory.Sequence(lambda n: f"https://example.com/articles/{n}.html")
    published_on = datetime.date(2024, 3, 1)
    published_precision = DatePrecision.MONTH
    publication = Publication.PUBLISHED


class EvidenceFactory(factory.django.DjangoModelFactory):
    source = factory.SubFactory(SourceFactory)
    quote = factory.Sequence(lambda n: f"原文引语第{n}句")


class ModeEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ModeEvent
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"event-{n}")
    mode = Mode.SEMI_CLOSED_LOOP
    kind = EventKind.BETA_LAUNCH
    date = datetime.date(2024, 2, 1)
    date_precision = DatePrecision.MONTH
    date_wording = "2024年2月"
    status_set = Status.BETA
    summary_zh = "半闭环模式内测"
    summary_en = "The semi-closed loop opens in beta."
    publication = Publication.PUBLISHED

    @factory.post_generation
    def markets(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.markets.set(extracted)


class EventEvidenceFactory(EvidenceFactory):
    class Meta:
        model = EventEvidence

    fact = factory.SubFactory(ModeEventFactory)


class MarketFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MarketFigure
        skip_postgeneration_save = True

    metric_zh = "月活跃用户"
    metric_en = "Monthly active users"
    value = Decimal(30_000_000)
    unit = FigureUnit.COUNT
    publication = Publication.PUBLISHED

    @factory.post_generation
    def markets(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.markets.set(extracted)


class MarketFigureEvidenceFactory(EvidenceFactory):
    class Meta:
        model = MarketFigureEvidence

    fact = factory.SubFactory(MarketFigureFactory)


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Strategy
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"strategy-{n}")
    name_zh = factory.Sequence(lambda n: f"策略{n}")
    name_en = factory.Sequence(lambda n: f"Strategy {n}")


class SellerCaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerCase
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"seller-{n}")
    seller_name = factory.Sequence(lambda n: f"卖家{n}")
    seller_name_en = factory.Sequence(lambda n: f"Seller {n}")
    city_zh = "深圳"
    city_en = "Shenzhen"
    reacts_to = factory.SubFactory(ModeEventFactory)
    narrative_zh = "关闭后转向私域流量。"
    narrative_en = "Turned to private traffic after the closure."
    publication = Publication.PUBLISHED

    @factory.post_generation
    def strategies(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.strategies.set(extracted)

    @factory.post_generation
    def target_markets(self, create: bool, extracted, **kwargs) -> None:
        if create and extracted:
            self.target_markets.set(extracted)


class SellerCaseEvidenceFactory(EvidenceFactory):
    class Meta:
        model = SellerCaseEvidence

    fact = factory.SubFactory(SellerCaseFactory)


class SellerFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SellerFigure

    seller_case = factory.SubFactory(SellerCaseFactory)
    metric_zh = "月订单量"
    metric_en = "Monthly orders"
    value_before = Decimal(500)
    value_after = Decimal(1500)
    unit = FigureUnit.COUNT
    period_zh = "每月"
    period_en = "per month"
    publication = Publication.PUBLISHED


class SellerFigureEvidenceFactory(EvidenceFactory):
    class Meta:
        model = SellerFigureEvidence

    fact = factory.SubFactory(SellerFigureFactory)


def create_synthetic_data(scale: int = 10) -> None:
    """About ``scale`` times the article data, every fact with evidence, a few drafts.

    The article fixtures hold 16 markets, 5 sources, 13 events, 16 market figures and 14
    seller cases with 49 figures; query-count tests and benchmarks need more rows than
    a page holds, with the same shape.
    """
    regions = RegionFactory.create_batch(7)
    markets = [
        MarketFactory(code=code, region=regions[index % len(regions)])
        for index, code in enumerate(COUNTRY_CODES[: 16 * scale])
    ]
    sources = SourceFactory.create_batch(5 * scale)
    strategies = StrategyFactory.create_batch(8)
    events = []
    for index in range(13 * scale):
        event = ModeEventFactory(
            markets=markets[index % len(markets) :][:3],
            mode=Mode.values[index % len(Mode.values)],
            date=datetime.date(2021 + index % 4, 1 + index % 12, 1),
            publication=Publication.DRAFT if index % 10 == 9 else Publication.PUBLISHED,
        )
        for source in sources[index % len(sources) :][:2]:
            EventEvidenceFactory(fact=event, source=source)
        events.append(event)
    for index in range(16 * scale):
        figure = MarketFigureFactory(markets=markets[index % len(markets) :][:2])
        MarketFigureEvidenceFactory(fact=figure, source=sources[index % len(sources)])
    for index in range(14 * scale):
        case = SellerCaseFactory(
            reacts_to=events[index % len(events)],
            strategies=strategies[index % len(strategies) :][:2],
            target_markets=markets[index % len(markets) :][:2],
        )
        SellerCaseEvidenceFactory(fact=case, source=sources[index % len(sources)])
        for _ in range(3):
            figure = SellerFigureFactory(seller_case=case)
            SellerFigureEvidenceFactory(
                fact=figure, source=sources[index % len(sources)]
            )
