"""/api/seller-cases/ and /api/seller-figures/: stories, figures, evidence, writes."""

import pytest

from markets.models import Publication
from sellers.models import SellerCase, SellerFigure
from tests.factories import (
    SellerCaseEvidenceFactory,
    SellerCaseFactory,
    SellerFigureEvidenceFactory,
    SellerFigureFactory,
    SourceFactory,
    StrategyFactory,
)

pytestmark = pytest.mark.django_db


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def slugs(response) -> list[str]:
    return [row["slug"] for row in results(response)]


def test_case_carries_its_figures_strategies_and_evidence(api_client, article_data):
    response = api_client.get("/api/seller-cases/chen-jing-guangzhou/")
    assert response.status_code == 200
    case = response.json()
    assert (case["display_name"], case["city_en"]) == ("陈静", "Guangzhou")
    assert case["strategies"] == ["content", "live-streaming"]
    assert case["reacts_to"] == "semi-closed-loop-closed-end-of-august-2023"
    assert case["disputed"] is False
    assert case["evidence"] and case["evidence"][0]["source"]["slug"]
    conversion = next(
        figure for figure in case["figures"] if figure["before_display"] == "20%"
    )
    assert (conversion["after_display"], conversion["unit"]) == ("28%", "percent")
    assert conversion["evidence"][0]["quote"]
    assert "seller_case" not in conversion


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"market": "JP"}, ["shuma-daren-shenzhen"]),
        (
            {"strategy": "private-traffic"},
            ["lin-xiao-shenzhen", "muying-youxuan-zhao-min-shenzhen"],
        ),
        (
            {"city": "杭州"},
            [
                "meizhuang-puzi-zhang-min-hangzhou",
                "wang-lei-hangzhou",
                "zhou-min-hangzhou",
            ],
        ),
        (
            {"city": "Hangzhou", "strategy": "live-streaming"},
            ["wang-lei-hangzhou"],
        ),
        ({"region": "europe"}, ["unnamed-seller-germany-semi-closed-loop-test"]),
        ({"search": "Chen Jing"}, ["chen-jing-guangzhou"]),
    ],
)
def test_cases_filter_as_on_the_pages(api_client, article_data, params, expected):
    assert slugs(api_client.get("/api/seller-cases/", params)) == expected


def test_cases_filter_by_the_mode_they_react_to(api_client, article_data):
    semi = slugs(api_client.get("/api/seller-cases/", {"mode": "semi_closed_loop"}))
    assert len(semi) == 14
    assert slugs(api_client.get("/api/seller-cases/", {"mode": "closed_loop"})) == []


def test_draft_figures_stay_out_of_a_public_case(api_client, analyst_api):
    case = SellerCaseFactory(slug="case")
    SellerFigureFactory(seller_case=case, metric_en="public")
    SellerFigureFactory(
        seller_case=case, metric_en="draft", publication=Publication.DRAFT
    )
    public = api_client.get("/api/seller-cases/case/").json()
    assert [figure["metric_en"] for figure in public["figures"]] == ["public"]
    internal = analyst_api.get("/api/seller-cases/case/").json()
    assert [figure["metric_en"] for figure in internal["figures"]] == [
        "public",
        "draft",
    ]


def test_seller_figures_list_by_case(api_client, article_data):
    figures = results(
        api_client.get("/api/seller-figures/", {"seller_case": "chen-jing-guangzhou"})
    )
    assert figures
    assert {figure["seller_case"] for figure in figures} == {"chen-jing-guangzhou"}
    assert all(figure["evidence"] for figure in figures)


def test_analyst_writes_a_case_with_evidence(analyst_api):
    SourceFactory(slug="closes-end-of-august")
    StrategyFactory(code="private-traffic")
    response = analyst_api.post(
        "/api/seller-cases/",
        {
            "slug": "lin-xiao",
            "person_name": "林晓",
            "city_zh": "深圳",
            "strategies": ["private-traffic"],
            "narrative_zh": "转向私域流量。",
            "evidence": [{"source": "closes-end-of-august", "quote": "林晓说"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    case = SellerCase.objects.get(slug="lin-xiao")
    assert case.evidence.get().quote == "林晓说"
    assert response.json()["figures"] == []


def test_case_needs_a_narrative_and_known_strategies(analyst_api):
    response = analyst_api.post(
        "/api/seller-cases/",
        {"slug": "x", "strategies": ["telepathy"]},
        format="json",
    )
    assert response.status_code == 400
    assert "strategies" in response.json()
    response = analyst_api.post("/api/seller-cases/", {"slug": "x"}, format="json")
    assert response.status_code == 400
    assert "narrative_en" in response.json()
    assert not SellerCase.objects.exists()


def test_analyst_adds_a_figure_to_a_case(analyst_api):
    SellerCaseFactory(slug="case")
    SourceFactory(slug="article")
    response = analyst_api.post(
        "/api/seller-figures/",
        {
            "seller_case": "case",
            "metric_en": "Conversion rate",
            "value_before": "20",
            "value_after": "28",
            "unit": "percent",
            "evidence": [{"source": "article", "quote": "转化率20%"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["after_display"] == "28%"
    assert SellerFigure.objects.get().evidence.get().quote == "转化率20%"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"value_before": "20", "value_after": "101"}, "value_after"),
        ({"value_before": "-1", "value_after": "28"}, "value_before"),
        ({}, "value_after"),
    ],
)
def test_seller_figure_values_obey_the_unit(analyst_api, values, field):
    SellerCaseFactory(slug="case")
    response = analyst_api.post(
        "/api/seller-figures/",
        {"seller_case": "case", "metric_en": "Rate", "unit": "percent", **values},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not SellerFigure.objects.exists()


def test_unknown_case_is_a_field_error(analyst_api):
    response = analyst_api.post(
        "/api/seller-figures/",
        {
            "seller_case": "nobody",
            "metric_en": "x",
            "value_after": "1",
            "unit": "count",
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["seller_case"]


def test_analyst_cannot_delete_a_case(analyst_api):
    case = SellerCaseFactory(slug="case")
    SellerCaseEvidenceFactory(fact=case)
    assert analyst_api.delete("/api/seller-cases/case/").status_code == 403
    figure = SellerFigureFactory(seller_case=case)
    SellerFigureEvidenceFactory(fact=figure)
    assert analyst_api.delete(f"/api/seller-figures/{figure.uuid}/").status_code == 403
    assert SellerFigure.objects.filter(pk=figure.pk).exists()
