"""The market list and the market pages: filters, the timeline, figures and seller cases."""

import datetime
import itertools

import pytest

from markets.dates import DatePrecision
from markets.models import EventKind, Market, Mode, Publication, Status
from status.filtersets import MarketFilterSet
from status.timeline import build_timeline
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    MarketFigureEvidenceFactory,
    MarketFigureFactory,
    ModeEventFactory,
    RegionFactory,
    SellerCaseFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_regions():
    europe = RegionFactory(code="europe", name_en="Europe")
    asia = RegionFactory(code="east-asia", name_en="East Asia")
    germany = MarketFactory(code="DE", region=europe)
    japan = MarketFactory(code="JP", region=asia)
    ModeEventFactory(markets=[germany], date=datetime.date(2024, 2, 1))
    ModeEventFactory(
        markets=[japan],
        status_set=Status.CLOSED,
        kind=EventKind.CLOSURE_EFFECTIVE,
        date=datetime.date(2024, 5, 1),
    )
    return germany, japan


def test_market_filterset_filters_by_region(two_regions):
    germany, _ = two_regions
    filterset = MarketFilterSet({"region": "europe"}, queryset=Market.objects.all())
    assert list(filterset.qs) == [germany]


def test_market_filterset_filters_by_status_on_a_day(two_regions):
    germany, japan = two_regions

    def codes(data):
        return [
            market.code
            for market in MarketFilterSet(data, queryset=Market.objects.all()).qs
        ]

    assert codes({"semi_closed_loop": "beta", "as_of": "2024-06-01"}) == ["DE"]
    assert codes({"semi_closed_loop": "closed", "as_of": "2024-06-01"}) == ["JP"]
    assert codes({"semi_closed_loop": "beta", "as_of": "2024-06-01"}) == ["DE"]
    # Before its closure, the mode is implied to have run in Japan; no source speaks
    # of Germany yet.
    assert codes({"semi_closed_loop": "live", "as_of": "2024-01-01"}) == ["JP"]
    assert codes({"semi_closed_loop": "no_evidence", "as_of": "2024-01-01"}) == ["DE"]
    assert codes({"closed_loop": "no_evidence", "as_of": "2024-06-01"}) == [
        "DE",
        "JP",
    ]


def test_market_list_filters_through_the_query_string(client, two_regions):
    response = client.get(
        "/markets/", {"semi_closed_loop": "closed", "as_of": "2024-06-01"}
    )
    assert [row.market.code for row in response.context["grid"].rows] == ["JP"]
    assert response.context["grid"].day == datetime.date(2024, 6, 1)
    canonical = (
        "http://testserver/markets/?as_of=2024-06-01&amp;semi_closed_loop=closed"
    )
    assert f'<link rel="canonical" href="{canonical}">' in response.content.decode()


def test_market_page_draws_imprecise_dates_as_spans_and_days_as_points(client):
    market = MarketFactory(code="GB")
    ModeEventFactory(markets=[market], date=datetime.date(2023, 9, 1))  # 2023-09
    ModeEventFactory(
        markets=[market],
        mode=Mode.CLOSED_LOOP,
        status_set=Status.LIVE,
        date=datetime.date(2023, 9, 15),
        date_precision=DatePrecision.DAY,
    )
    page = client.get(market.get_absolute_url()).content.decode()
    # A group rather than an image: its marks are links a reader can reach.
    assert "<svg" in page and 'role="group"' in page
    assert page.count('class="mark__span"') == 1
    assert page.count('class="mark__dot"') == 1
    assert "band status-live" in page and "band status-beta" in page


def test_timeline_spans_cover_the_days_a_date_may_stand_for():
    market = MarketFactory()
    month = ModeEventFactory(markets=[market], date=datetime.date(2023, 9, 1))
    year = ModeEventFactory(
        markets=[market],
        date=datetime.date(2021, 1, 1),
        date_precision=DatePrecision.YEAR,
        status_set=Status.CONSIDERING,
    )
    day = ModeEventFactory(
        markets=[market],
        date=datetime.date(2024, 3, 5),
        date_precision=DatePrecision.DAY,
        status_set=Status.CLOSED,
    )
    timeline = build_timeline(
        [month, year, day], market.status_spans.all(), today=datetime.date(2025, 6, 1)
    )
    marks = {mark.event: mark for mark in timeline.marks}
    assert [mark.number for mark in timeline.marks] == [1, 2, 3]
    assert marks[day].width == 0
    assert marks[year].width > 10 * marks[month].width > 0
    assert timeline.start == datetime.date(2021, 1, 1)
    assert [tick.label for tick in timeline.ticks] == [
        "2021",
        "2022",
        "2023",
        "2024",
        "2025",
    ]
    # One lane's answers follow one another: uncertain across an imprecise date,
    # certain up to the newest evidence, and the last runs to today.
    (lane,) = [lane for lane in timeline.lanes if lane.mode == Mode.SEMI_CLOSED_LOOP]
    assert [(band.status, band.kind) for band in lane.bands] == [
        ("considering", "uncertain"),
        ("considering", "unconfirmed"),
        ("beta", "uncertain"),
        ("beta", "unconfirmed"),
        ("closed", "unconfirmed"),
    ]
    last = lane.bands[-1]
    assert last.x + last.width == pytest.approx(timeline.today_x, abs=1)


def test_the_timeline_draws_certainty_only_up_to_the_newest_evidence():
    market = MarketFactory()
    event = ModeEventFactory(
        markets=[market], date=datetime.date(2024, 2, 9), date_precision="day"
    )
    EventEvidenceFactory(
        fact=event,
        source=SourceFactory(
            published_on=datetime.date(2024, 6, 30), published_precision="day"
        ),
    )
    timeline = build_timeline(
        [event], market.status_spans.all(), today=datetime.date(2026, 6, 1)
    )
    (lane,) = [lane for lane in timeline.lanes if lane.mode == Mode.SEMI_CLOSED_LOOP]
    certain, unconfirmed = lane.bands
    assert (certain.kind, unconfirmed.kind) == ("certain", "unconfirmed")
    assert certain.x + certain.width == pytest.approx(unconfirmed.x)
    assert unconfirmed.x + unconfirmed.width == pytest.approx(timeline.today_x, abs=1)


def test_market_page_shows_status_figures_and_seller_cases(client):
    market = MarketFactory(code="DE")
    event = ModeEventFactory(markets=[market], date=datetime.date(2024, 2, 1))
    figure = MarketFigureFactory(markets=[market], metric_en="TikTok users")
    MarketFigureEvidenceFactory(fact=figure, quote="德国的TikTok用户超5000万")
    case = SellerCaseFactory(target_markets=[market], reacts_to=event)
    MarketFigureFactory(
        markets=[market], publication=Publication.DRAFT, metric_en="Draft figure"
    )
    client.cookies["django_language"] = "en"
    response = client.get(market.get_absolute_url())
    page = response.content.decode()
    # Beta in the semi-closed loop (the first mode); no evidence in every other.
    assert [cell.status for cell in response.context["status_row"].cells] == [
        Status.BETA,
        *[Status.NO_EVIDENCE] * (len(Mode) - 1),
    ]
    assert "TikTok users" in page
    assert "德国的TikTok用户超5000万" in page
    assert "Draft figure" not in page
    assert case.get_absolute_url() in page
    assert f"/events/feed/?market={market.code}" in page


def test_market_page_shows_figures_given_for_its_region(client):
    market = MarketFactory(code="TH")
    MarketFigureFactory(region=market.region, metric_en="Share of global GMV")
    client.cookies["django_language"] = "en"
    figures = client.get(market.get_absolute_url()).context["figures"]
    assert [figure.metric_en for figure in figures] == ["Share of global GMV"]


@pytest.mark.parametrize("spacing_days", [0, 3, 20, 60])
def test_timeline_numbers_never_overlap_and_each_event_is_numbered_once(spacing_days):
    market = MarketFactory()
    events = [
        ModeEventFactory(
            markets=[market],
            mode=mode,
            date=datetime.date(2023, 1, 2) + datetime.timedelta(days=n * spacing_days),
            date_precision=DatePrecision.DAY,
        )
        for n in range(14)
        for mode in (Mode.SEMI_CLOSED_LOOP, Mode.CLOSED_LOOP)
    ]
    timeline = build_timeline(
        events, market.status_spans.all(), today=datetime.date(2025, 6, 1)
    )
    numbered = []
    for lane in timeline.lanes:
        for above in (True, False):
            side = sorted(
                (label for label in lane.labels if label.above is above),
                key=lambda label: label.x,
            )
            for before, after in itertools.pairwise(side):
                assert before.right <= after.left, (before.text, after.text)
        for label in lane.labels:
            assert timeline.label_width <= label.left and label.right <= timeline.width
            # A label numbers only marks of its own lane.
            assert {mark.event.mode for mark in label.marks} == {lane.mode}
            numbered += [mark.number for mark in label.marks]
    assert sorted(numbered) == list(range(1, len(events) + 1))
