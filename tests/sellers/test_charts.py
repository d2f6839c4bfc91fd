"""A seller case's figures before and after as small bar charts beside the table: one
per figure with two values that are lengths from zero, each bar scaled to its figure."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 (our own page)
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.test import Client

from markets.models import FigureUnit, Publication
from sellers.charts import before_after_charts
from sellers.models import SellerCase, SellerFigure
from tests.factories import SellerCaseFactory, SellerFigureFactory

SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class DrawnChart:
    figure: str
    classes: list[str]
    caption: str
    svg: ET.Element

    def row(self, which: str) -> ET.Element:
        """The bar, label and value of ``before`` or ``after``."""
        (row,) = [
            row for row in self.svg.findall(f"{SVG}g") if row.get("data-value") == which
        ]
        return row

    def bar(self, which: str) -> ET.Element:
        return self.row(which).find(f"{SVG}rect")

    def width(self, which: str) -> float:
        return float(self.bar(which).get("width"))

    def value(self, which: str) -> str:
        return self.row(which).findall(f"{SVG}text")[-1].text


def visitor(language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def charts_on(text: str) -> list[DrawnChart]:
    found = re.findall(
        r'<figure class="(before-after-chart[^"]*)" data-figure="([^"]+)">\s*'
        r"<figcaption>(.*?)</figcaption>\s*(<svg .*?</svg>)",
        text,
        re.S,
    )
    return [
        DrawnChart(
            figure=figure,
            classes=classes.split(),
            caption=caption,
            svg=ET.fromstring(svg.replace("<svg ", f'<svg xmlns="{SVG[1:-1]}" ', 1)),  # noqa: S314
        )
        for classes, figure, caption, svg in found
    ]


def two_valued(case: SellerCase) -> list[SellerFigure]:
    return list(
        case.figures.filter(
            publication=Publication.PUBLISHED,
            value_before__isnull=False,
            value_after__isnull=False,
        ).order_by("id")
    )


def test_each_two_valued_figure_of_a_case_gets_one_chart(article_data):
    case = SellerCase.objects.get(slug="wang-lei-hangzhou")
    page = visitor().get(case.get_absolute_url()).content.decode()
    charts = charts_on(page)
    assert [chart.figure for chart in charts] == [
        str(figure.uuid) for figure in two_valued(case)
    ]
    assert len(charts) == 2 < case.figures.count()
    # The table stays, every figure in it, the one-valued ones too.
    for figure in case.figures.all():
        assert f'<tr id="figure-{figure.uuid}">' in page


def test_every_case_of_the_article_data_charts_exactly_its_two_valued_figures(
    article_data,
):
    for case in SellerCase.objects.published():
        charts = charts_on(visitor().get(case.get_absolute_url()).content.decode())
        assert len(charts) == len(two_valued(case)), case.slug


def test_bar_widths_are_proportional_and_the_larger_value_takes_the_full_length(
    article_data,
):
    case = SellerCase.objects.get(slug="wang-lei-hangzhou")
    page = visitor().get(case.get_absolute_url()).content.decode()
    figures = {str(figure.uuid): figure for figure in two_valued(case)}
    for chart in charts_on(page):
        figure = figures[chart.figure]
        (drawn,) = before_after_charts([figure])
        before, after = chart.width("before"), chart.width("after")
        assert max(before, after) == drawn.track
        assert before / after == pytest.approx(
            float(figure.value_before / figure.value_after), rel=0.01
        )
        assert chart.value("before") == figure.before_display
        assert chart.value("after") == figure.after_display
        # Every bar starts where the labels end, and stays inside the chart.
        for which in ("before", "after"):
            bar = chart.bar(which)
            assert float(bar.get("x")) + float(bar.get("width")) <= int(
                chart.svg.get("width")
            )


def test_a_chart_says_its_metric_and_values_in_words(article_data):
    case = SellerCase.objects.get(slug="wang-lei-hangzhou")
    viewers = case.figures.get(metric_en="Average live-room viewers")
    text = visitor().get(case.get_absolute_url()).content.decode()
    (chart,) = [c for c in charts_on(text) if c.figure == str(viewers.uuid)]
    assert chart.svg.get("role") == "img"
    title = chart.svg.find(f"{SVG}title")
    assert chart.svg.get("aria-labelledby") == title.get("id")
    assert title.text == "Average live-room viewers: before 2,000, after 800"
    assert "Average live-room viewers" in chart.caption

    text = visitor("zh-hans").get(case.get_absolute_url()).content.decode()
    (chart,) = [c for c in charts_on(text) if c.figure == str(viewers.uuid)]
    assert viewers.metric_zh in chart.svg.find(f"{SVG}title").text
    assert "之前" in [t.text for t in chart.svg.iter(f"{SVG}text")]


def test_a_target_is_drawn_dashed_and_named_so(db):
    case = SellerCaseFactory()
    SellerFigureFactory(
        seller_case=case,
        metric_en="Monthly GMV target",
        value_before=Decimal(100),
        value_after=Decimal(300),
        unit=FigureUnit.USD,
        is_projection=True,
    )
    measured = SellerFigureFactory(seller_case=case)
    (target, orders) = charts_on(visitor().get(case.get_absolute_url()).text)
    assert "before-after-chart--projection" in target.classes
    assert "before-after-chart__bar--projected" in target.bar("after").get("class")
    assert "projected" not in target.bar("before").get("class")
    assert "(target)" in target.svg.find(f"{SVG}title").text
    assert "target" in target.caption
    assert orders.figure == str(measured.uuid)
    assert "before-after-chart--projection" not in orders.classes
    assert "projected" not in orders.bar("after").get("class")


def test_a_figure_with_one_value_gets_no_chart_but_keeps_its_row(db):
    case = SellerCaseFactory()
    once = SellerFigureFactory(seller_case=case, value_before=None)
    page = visitor().get(case.get_absolute_url()).content.decode()
    assert charts_on(page) == []
    assert 'class="before-after-charts"' not in page
    assert f'<tr id="figure-{once.uuid}">' in page


def test_a_draft_figure_is_never_drawn(db):
    case = SellerCaseFactory()
    draft = SellerFigureFactory(
        seller_case=case, metric_en="Draft figure", publication=Publication.DRAFT
    )
    shown = SellerFigureFactory(seller_case=case)
    page = visitor().get(case.get_absolute_url()).content.decode()
    assert [chart.figure for chart in charts_on(page)] == [str(shown.uuid)]
    assert str(draft.uuid) not in page and "Draft figure" not in page


@pytest.mark.parametrize(
    ("before", "after", "unit"),
    [
        (Decimal(-20), Decimal(30), FigureUnit.PERCENT_CHANGE),
        (Decimal(3), Decimal(1), FigureUnit.RANK),
        (None, Decimal(30), FigureUnit.COUNT),
    ],
)
def test_values_that_are_not_lengths_from_zero_make_no_bars(before, after, unit):
    figure = SellerFigure(value_before=before, value_after=after, unit=unit)
    assert before_after_charts([figure]) == []


def test_two_zeros_make_two_empty_bars():
    figure = SellerFigure(
        value_before=Decimal(0), value_after=Decimal(0), unit=FigureUnit.COUNT
    )
    (chart,) = before_after_charts([figure])
    assert [bar.width for bar in chart.bars] == [0, 0]


def test_the_charts_cost_the_case_page_no_query(
    article_data_set, django_assert_max_num_queries
):
    """The bound of tests/sellers/test_query_budget.py: the charts are drawn from the
    figures the page prefetches."""
    case = SellerCase.objects.get(slug="chen-jing-guangzhou")
    with django_assert_max_num_queries(8):
        page = visitor().get(case.get_absolute_url())
    assert len(charts_on(page.content.decode())) == 2
    with django_assert_max_num_queries(8):
        page = visitor().get(article_data_set.seller_case.get_absolute_url())
    assert page.status_code == 200
