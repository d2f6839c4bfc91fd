"""A case's figures placed against the event it reacts to (sellers.pairing): a chart
shows the event's effect only for a value before it and one after it; growth on one
side is shown as such, on the page, in the API and in the dataset alike."""

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from markets.dates import DatePrecision
from markets.models import EventKind, FigureUnit, Status
from sellers.models import EventSide, SellerCase, SellerFigure, event_span
from sellers.pairing import Placement, compare_around_event, figure_placement
from tests.factories import ModeEventFactory, SellerCaseFactory, SellerFigureFactory
from tests.sellers.test_charts import SVG, charts_on

#: A closure in May 2025: other data than the articles'.
CLOSURE = event_span(datetime.date(2025, 5, 1), DatePrecision.MONTH)


def placed(**fields) -> str | None:
    fields.setdefault("unit", FigureUnit.COUNT)
    return figure_placement(SellerFigure(**fields), CLOSURE)


def page_of(case: SellerCase, language: str = "en") -> str:
    return Client(HTTP_ACCEPT_LANGUAGE=language).get(case.get_absolute_url()).text


@pytest.fixture
def closure_case(db) -> SellerCase:
    closure = ModeEventFactory(
        kind=EventKind.CLOSURE_EFFECTIVE,
        status_set=Status.CLOSED,
        date=datetime.date(2025, 5, 1),
        date_precision=DatePrecision.MONTH,
        date_wording="2025年5月",
    )
    return SellerCaseFactory(reacts_to=closure)


def quarter(month: int) -> dict:
    return {
        "period_date": datetime.date(2025, month, 1),
        "period_precision": DatePrecision.QUARTER,
    }


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # Q1 2025 ends before May; Q3 starts after it.
        ({**quarter(1), "value_before": 1, "value_after": 3}, Placement.BEFORE),
        ({**quarter(7), "value_after": 3}, Placement.AFTER),
        # Q2 2025 may overlap May: the date places nothing, the fields' roles stay.
        ({**quarter(4), "value_before": 1, "value_after": 3}, Placement.AROUND),
        ({**quarter(4), "value_after": 3}, None),
        # Undated: the source's words, else the roles, else nothing.
        ({"value_after": 3, "event_side": EventSide.AFTER}, Placement.AFTER),
        ({"value_before": 1, "value_after": 3}, Placement.AROUND),
        ({"value_after": 3}, None),
        # A date that places the figure wins over words that contradict it.
        ({**quarter(1), "value_after": 3, "event_side": "after"}, Placement.BEFORE),
    ],
)
def test_a_figure_is_placed_by_its_period_against_the_events_days(fields, expected):
    assert placed(**fields) == expected


def test_a_figure_of_a_case_without_an_event_keeps_its_roles():
    figure = SellerFigure(value_before=1, value_after=3, **quarter(1))
    assert figure_placement(figure, None) == Placement.AROUND


def test_growth_before_the_event_is_not_charted_as_its_effect(closure_case):
    growth = SellerFigureFactory(
        seller_case=closure_case,
        metric_en="Weekly orders",
        value_before=Decimal(200),
        value_after=Decimal(600),
        period_en="Q1 2025",
        **quarter(1),
    )
    (chart,) = charts_on(page_of(closure_case))
    assert chart.figure == str(growth.uuid)
    assert "before-after-chart--before" in chart.classes
    assert "Before the event" in chart.caption
    # Earlier and later, never before and after.
    rows = [row.get("data-value") for row in chart.svg.findall(f"{SVG}g")]
    assert rows == ["from", "to"]
    assert [chart.row(which).find(f"{SVG}text").text for which in rows] == [
        "Earlier",
        "Later",
    ]
    assert chart.value("from") == "200" and chart.value("to") == "600"
    title = chart.svg.find(f"{SVG}title").text
    assert title == "Weekly orders, before the event: from 200 to 600"

    chinese = page_of(closure_case, "zh-hans")
    (chart,) = charts_on(chinese)
    assert "事件之前" in chart.caption
    assert "之后" not in "".join(text.text or "" for text in chart.svg.iter())


def test_a_before_and_after_of_the_same_metric_around_the_event_are_charted_as_a_pair(
    closure_case, api_client
):
    before = SellerFigureFactory(
        seller_case=closure_case,
        metric_en="Weekly orders",
        value_before=None,
        value_after=Decimal(900),
        **quarter(1),
    )
    SellerFigureFactory(
        seller_case=closure_case,
        metric_en="Unrelated metric",
        value_before=None,
        value_after=Decimal(7),
        **quarter(7),
    )
    after = SellerFigureFactory(
        seller_case=closure_case,
        metric_en="Weekly orders",
        value_before=None,
        value_after=Decimal(300),
        **quarter(7),
    )
    page = page_of(closure_case)
    (chart,) = charts_on(page)
    assert chart.figure == str(before.uuid)
    assert "before-after-chart--around" in chart.classes
    assert chart.value("before") == "900" and chart.value("after") == "300"
    assert chart.width("before") > chart.width("after")
    # The table names each one's side, never the later one as an "after" column.
    assert row_of(page, before).count("Before the event") == 1
    assert row_of(page, after).count("After the event") == 1

    response = api_client.get(f"/api/seller-cases/{closure_case.slug}/").json()
    placements = {f["uuid"]: f["event_placement"] for f in response["figures"]}
    assert placements[str(before.uuid)] == "before"
    assert placements[str(after.uuid)] == "after"


def test_a_figure_on_one_side_is_labelled_so_and_gets_no_pair(closure_case):
    after = SellerFigureFactory(
        seller_case=closure_case,
        value_before=None,
        value_after=Decimal(40),
        event_side=EventSide.AFTER,
    )
    page = page_of(closure_case)
    assert charts_on(page) == []
    assert "After the event" in row_of(page, after)
    assert "事件之后" in row_of(page_of(closure_case, "zh-hans"), after)
    (comparison,) = compare_around_event([after], closure_case.public_event_span)
    assert comparison.placement == Placement.AFTER and comparison.then is None


def row_of(page: str, figure: SellerFigure) -> str:
    row = page[page.index(f'<tr id="figure-{figure.uuid}">') :]
    return row[: row.index("</tr>")]


def test_the_fixture_case_of_zhang_ting_charts_her_growth_before_the_closure_as_such(
    article_data, api_client
):
    """Her monthly orders rose from 500 to 1,500 in the first half of 2023, before
    the closure at the end of August; the article gives them after it only as changes
    (orders halved, views down 60%)."""
    case = SellerCase.objects.get(slug="zhang-ting-shenzhen")
    page = page_of(case)
    (chart,) = charts_on(page)
    orders = case.figures.get(metric_en="Monthly orders")
    assert chart.figure == str(orders.uuid)
    assert "before-after-chart--before" in chart.classes
    assert chart.value("from") == "500" and chart.value("to") == "1,500"
    halved = case.figures.get(value_after=Decimal(-50))
    views = case.figures.get(value_after=Decimal(-60))
    for figure in (halved, views):
        assert "After the event" in row_of(page, figure)
    assert "Before the event" in row_of(page, orders)

    response = api_client.get(f"/api/seller-cases/{case.slug}/").json()
    placements = {f["uuid"]: f["event_placement"] for f in response["figures"]}
    assert placements[str(orders.uuid)] == "before"
    assert placements[str(halved.uuid)] == placements[str(views.uuid)] == "after"
