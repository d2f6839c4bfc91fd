"""factory_boy factories for every model, for tests and synthetic data sets."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory
import pycountry

from markets.dates import DatePrecision
from markets.models import (
    Dispute,
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
from status.models import StatusSpan

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


class DisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispute
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"dispute-{n}")
    note_zh = "来源说法不一"
    note_en = "The sources disagree."


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


# --- A synthetic data set, to show that page costs do not grow with rows --------------

# The article fixtures' markets; the synthetic set keeps clear of them so both can load.
ARTICLE_MARKET_CODES = {
    *("AU", "BR", "CA", "DE", "ES", "FR", "GB", "ID", "IT", "JP", "KR"),
    *("KZ", "MX", "NZ", "US", "UZ"),
}


@dataclass
class DataSet:
    """What a query-count test needs: the rows most other rows hang on."""

    market: Market
    event: ModeEvent
    source: Source
    seller_case: SellerCase


def make_data_set(scale: int = 10) -> DataSet:
    """About ``scale`` times the article fixtures, with everything piled on one market,
    one event, one source and one seller case, so that their pages are the heaviest.

    The fixtures hold 16 markets, 5 sources, 13 events, 16 market figures, 14 seller
    cases and 49 seller figures, each with its evidence. The status spans are written
    once, at the end, as for any bulk write.
    """
    with StatusSpan.objects.rewrites_deferred():
        return build_data_set(scale)


def build_data_set(scale: int) -> DataSet:
    regions = RegionFactory.create_batch(max(scale, 1))
    codes = [code for code in COUNTRY_CODES if code not in ARTICLE_MARKET_CODES]
    markets = [
        MarketFactory(code=code, region=regions[index % len(regions)])
        for index, code in enumerate(codes[: 16 * scale])
    ]
    focus_market = markets[0]
    MarketFactory(code=codes[16 * scale], publication=Publication.DRAFT)
    article = SourceFactory()
    sources = [article] + [
        SourceFactory(reported_via=article if index % 2 else None)
        for index in range(5 * scale - 1)
    ]
    SourceFactory(publication=Publication.DRAFT, reported_via=article)
    modes = list(Mode.values)
    statuses = [Status.LIVE, Status.BETA, Status.CLOSED, Status.CONSIDERING]
    events = []
    for index in range(13 * scale):
        precision = [DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR][
            index % 3
        ]
        day = datetime.date(2019 + index % 6, 1 + index % 12, 1)
        if precision == DatePrecision.DAY:
            day = day.replace(day=1 + index % 28)
        elif precision == DatePrecision.YEAR:
            day = day.replace(month=1)
        event = ModeEventFactory(
            mode=modes[index % len(modes)],
            kind=EventKind.LAUNCH,
            date=day,
            date_precision=precision,
            status_set=statuses[index % len(statuses)],
            dispute=(
                DisputeFactory(slug="event-dates", note_en="The dates disagree.")
                if index % 10 == 0
                else None
            ),
            markets=[focus_market, markets[1 + index % (len(markets) - 1)]],
        )
        EventEvidenceFactory(fact=event, source=article, claim="2024年2月")
        EventEvidenceFactory(fact=event, source=sources[1 + index % (len(sources) - 1)])
        events.append(event)
    ModeEventFactory(
        markets=[focus_market],
        status_set=Status.CLOSED,
        date=datetime.date(2025, 1, 1),
        publication=Publication.DRAFT,
    )
    for index in range(16 * scale):
        figure = MarketFigureFactory(
            markets=[focus_market, markets[index % len(markets)]],
            region=focus_market.region if index % 4 == 0 else None,
        )
        MarketFigureEvidenceFactory(fact=figure, source=article)
    strategies = StrategyFactory.create_batch(8 * scale)
    cases = []
    for index in range(14 * scale):
        case = SellerCaseFactory(
            reacts_to=events[index % len(events)],
            strategies=strategies[index % 5 :: 7][:3],
            target_markets=[focus_market, markets[index % len(markets)]],
            city_zh=f"城市{index % 9}",
            city_en=f"City {index % 9}",
            category_zh=f"品类{index % 6}",
            category_en=f"Category {index % 6}",
            dispute=(
                DisputeFactory(slug="seller-figures", note_en="The figures disagree.")
                if index % 10 == 0
                else None
            ),
        )
        case.target_regions.add(regions[index % len(regions)])
        SellerCaseEvidenceFactory(fact=case, source=article)
        SellerCaseEvidenceFactory(fact=case, source=sources[index % len(sources)])
        cases.append(case)
    focus_case = cases[0]
    for index in range(49 * scale):
        figure = SellerFigureFactory(
            seller_case=focus_case if index % 2 else cases[index % len(cases)],
            publication=Publication.DRAFT if index % 25 == 0 else Publication.PUBLISHED,
        )
        SellerFigureEvidenceFactory(fact=figure, source=article)
    return DataSet(
        market=focus_market, event=events[0], source=article, seller_case=focus_case
    )
