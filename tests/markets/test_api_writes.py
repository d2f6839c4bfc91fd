"""Analysts' writes: the model's rules answer 400 field by field, and nothing half-written."""

import pytest
from django.contrib.auth.models import Permission, User
from django.core.exceptions import ValidationError

from markets.models import (
    Dispute,
    EventEvidence,
    MarketFigure,
    ModeEvent,
    Publication,
    Source,
)
from tests.conftest import token_client
from tests.factories import (
    DisputeFactory,
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def references() -> None:
    MarketFactory(code="DE")
    MarketFactory(code="FR")
    SourceFactory(slug="eight-markets")


def event_payload(**overrides) -> dict:
    return {
        "slug": "beta-2024-02",
        "mode": "semi_closed_loop",
        "kind": "beta_launch",
        "markets": ["DE", "FR"],
        "date": "2024-02-01",
        "date_precision": "month",
        "date_wording": "2024年2月",
        "status_set": "beta",
        "summary_zh": "半闭环内测",
        "summary_en": "The semi-closed loop opens in beta.",
        "evidence": [
            {"source": "eight-markets", "quote": "2024年2月就悄悄在八个国家重启内测"}
        ],
        **overrides,
    }


def assert_nothing_written() -> None:
    assert not ModeEvent.objects.exists()
    assert not EventEvidence.objects.exists()


def test_analyst_writes_an_event_with_its_evidence(analyst_api, references):
    response = analyst_api.post("/api/mode-events/", event_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["markets"] == ["DE", "FR"]
    assert body["publication"] == Publication.DRAFT
    assert body["evidence"][0]["source"]["slug"] == "eight-markets"
    assert body["evidence"][0]["quote"] == "2024年2月就悄悄在八个国家重启内测"
    event = ModeEvent.objects.get(slug="beta-2024-02")
    assert event.evidence.get().source.slug == "eight-markets"


def test_unknown_market_code_is_a_field_error(analyst_api, references):
    response = analyst_api.post(
        "/api/mode-events/", event_payload(markets=["DE", "XX"]), format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["markets"]
    assert "XX" in response.json()["markets"][0]
    assert_nothing_written()


@pytest.mark.parametrize("scope", ["worldwide", "none"])
def test_markets_with_a_worldwide_or_no_market_scope_are_refused(
    analyst_api, references, scope
):
    response = analyst_api.post(
        "/api/mode-events/", event_payload(scope=scope), format="json"
    )
    assert response.status_code == 400
    assert "scope" in response.json()
    assert_nothing_written()


def test_a_worldwide_event_names_no_market(analyst_api, references):
    response = analyst_api.post(
        "/api/mode-events/",
        event_payload(markets=[], scope="worldwide"),
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["scope"] == "worldwide"


def test_an_event_needs_markets_or_the_no_market_mark(analyst_api, references):
    response = analyst_api.post(
        "/api/mode-events/", event_payload(markets=[]), format="json"
    )
    assert response.status_code == 400
    assert "markets" in response.json()
    assert_nothing_written()


def test_removing_every_market_of_an_event_is_refused(analyst_api, references):
    event = ModeEventFactory(slug="beta", markets=[MarketFactory(code="DE")])
    response = analyst_api.patch(
        "/api/mode-events/beta/", {"markets": []}, format="json"
    )
    assert response.status_code == 400
    assert "markets" in response.json()
    assert list(event.markets.values_list("code", flat=True)) == ["DE"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "2024-02-30"}, "date"),
        ({"date": "February 2024"}, "date"),
        ({"date_precision": "week"}, "date_precision"),
        # The model's rule: a month is stored as its first day.
        ({"date": "2024-02-15"}, "date"),
        ({"date_precision": ""}, "date_precision"),
        ({"mode": "teleport"}, "mode"),
        ({"summary_zh": "", "summary_en": ""}, "summary_en"),
        ({"dispute": "no-such-dispute"}, "dispute"),
        ({"scope": "galaxy"}, "scope"),
        ({"date_precision": "month_end", "date": "2024-02-21"}, "date"),
    ],
)
def test_bad_event_fields_are_field_errors(analyst_api, references, overrides, field):
    response = analyst_api.post(
        "/api/mode-events/", event_payload(**overrides), format="json"
    )
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert_nothing_written()


def test_unknown_evidence_source_is_a_field_error_and_nothing_is_written(
    analyst_api, references
):
    payload = event_payload(
        evidence=[
            {"source": "eight-markets", "quote": "真实的引语"},
            {"source": "no-such-source", "quote": "引语"},
        ]
    )
    response = analyst_api.post("/api/mode-events/", payload, format="json")
    assert response.status_code == 400
    errors = response.json()["evidence"]
    assert list(errors) == ["1"]
    assert "no-such-source" in errors["1"]["source"][0]
    assert_nothing_written()


def test_evidence_needs_a_quote(analyst_api, references):
    payload = event_payload(evidence=[{"source": "eight-markets", "quote": ""}])
    response = analyst_api.post("/api/mode-events/", payload, format="json")
    assert response.status_code == 400
    assert "quote" in response.json()["evidence"]["0"]
    assert_nothing_written()


def test_a_failing_evidence_row_rolls_the_whole_fact_back(
    analyst_api, references, monkeypatch
):
    """The fact is saved first, then its evidence: one transaction holds both."""

    def refuse(self, *args, **kwargs):
        raise ValidationError({"quote": ["Refused."]})

    monkeypatch.setattr(EventEvidence, "full_clean", refuse)
    response = analyst_api.post("/api/mode-events/", event_payload(), format="json")
    assert response.status_code == 400
    assert response.json() == {"evidence": {"0": {"quote": ["Refused."]}}}
    assert_nothing_written()


def test_updating_evidence_keeps_the_quotes_already_there(analyst_api, references):
    event = ModeEventFactory(slug="beta", markets=[MarketFactory(code="DE")])
    kept = EventEvidenceFactory(
        fact=event, source=Source.objects.get(slug="eight-markets"), quote="第一句"
    )
    response = analyst_api.patch(
        "/api/mode-events/beta/",
        {
            "version": 1,
            "evidence": [
                {"source": "eight-markets", "quote": "第一句"},
                {"source": "eight-markets", "quote": "第二句", "claim": "2021年8月"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert [item["quote"] for item in response.json()["evidence"]] == [
        "第一句",
        "第二句",
    ]
    assert event.evidence.filter(pk=kept.pk).exists()


def test_removing_evidence_needs_the_delete_permission(
    analyst_api, admin_api, references
):
    event = ModeEventFactory(slug="beta", markets=[MarketFactory(code="DE")])
    EventEvidenceFactory(fact=event, quote="第一句")
    payload = {
        "version": 1,
        "evidence": [{"source": "eight-markets", "quote": "第二句"}],
    }
    refused = analyst_api.patch("/api/mode-events/beta/", payload, format="json")
    assert refused.status_code == 403
    assert list(event.evidence.values_list("quote", flat=True)) == ["第一句"]
    allowed = admin_api.patch("/api/mode-events/beta/", payload, format="json")
    assert allowed.status_code == 200
    assert list(event.evidence.values_list("quote", flat=True)) == ["第二句"]


def test_leaving_evidence_out_of_a_patch_leaves_it_alone(analyst_api, references):
    event = ModeEventFactory(slug="beta", markets=[MarketFactory(code="DE")])
    EventEvidenceFactory(fact=event, quote="第一句")
    response = analyst_api.patch(
        "/api/mode-events/beta/",
        {"summary_en": "Beta, checked.", "version": 1},
        format="json",
    )
    assert response.status_code == 200
    assert [item["quote"] for item in response.json()["evidence"]] == ["第一句"]


# --- Sources, markets and figures ----------------------------------------------------


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,<b>x</b>", "ftp://example.com/a"]
)
def test_source_refuses_non_web_urls(analyst_api, url):
    response = analyst_api.post(
        "/api/sources/",
        {"slug": "s", "title": "标题", "publisher": "小川电商", "url": url},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["url"]
    assert not Source.objects.exists()


def test_source_date_must_agree_with_its_precision(analyst_api):
    response = analyst_api.post(
        "/api/sources/",
        {
            "slug": "s",
            "title": "标题",
            "publisher": "小川电商",
            "published_on": "2023-08-15",
            "published_precision": "month",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "published_on" in response.json()


def test_source_cannot_relay_itself(analyst_api):
    SourceFactory(slug="s")
    response = analyst_api.patch(
        "/api/sources/s/", {"reported_via": "s"}, format="json"
    )
    assert response.status_code == 400
    assert "reported_via" in response.json()


@pytest.mark.parametrize(
    ("code", "message"),
    [("XX", "not an ISO 3166-1 alpha-2"), ("de", "Write the code in upper case")],
)
def test_market_code_must_be_a_real_upper_case_iso_code(analyst_api, code, message):
    MarketFactory(code="FR")
    response = analyst_api.post(
        "/api/markets/",
        {"code": code, "name_zh": "某国", "name_en": "Somewhere", "region": "region-x"},
        format="json",
    )
    assert response.status_code == 400
    assert any(message in text for text in response.json()["code"])


def test_percentage_over_100_is_refused(analyst_api, references):
    response = analyst_api.post(
        "/api/market-figures/",
        {
            "metric_en": "Share of GMV",
            "value": "120",
            "unit": "percent",
            "markets": ["DE"],
            "evidence": [{"source": "eight-markets", "quote": "占比120%"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["value"]
    assert "cannot be above 100" in response.json()["value"][0]
    assert not MarketFigure.objects.exists()


def test_figure_needs_a_unit_and_a_metric(analyst_api):
    response = analyst_api.post(
        "/api/market-figures/", {"value": "5", "unit": ""}, format="json"
    )
    assert response.status_code == 400
    assert "unit" in response.json()


def test_analyst_writes_a_platform_figure_with_evidence(analyst_api, references):
    response = analyst_api.post(
        "/api/market-figures/",
        {
            "metric_zh": "GMV目标",
            "metric_en": "GMV target",
            "value": "17500000000",
            "unit": "USD",
            "qualifier": "more_than",
            "is_projection": True,
            "evidence": [{"source": "eight-markets", "quote": "GMV目标175亿美元"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["value_display"] == "> US$17,500,000,000"
    assert body["markets"] == [] and body["region"] is None
    figure = MarketFigure.objects.get(uuid=body["uuid"])
    assert figure.evidence.get().quote == "GMV目标175亿美元"


def test_null_characters_are_refused_before_any_lookup(analyst_api, references):
    """PostgreSQL cannot compare text with a null character: 400, never a 500."""
    response = analyst_api.post(
        "/api/mode-events/", event_payload(markets=["D\x00E"]), format="json"
    )
    assert response.status_code == 400
    assert "markets" in response.json()
    assert analyst_api.get("/api/mode-events/", {"market": "D\x00E"}).status_code == 400
    assert analyst_api.get("/api/mode-events/", {"region": "eu\x00"}).status_code == 400
    assert analyst_api.get("/api/mode-events/bad\x00slug/").status_code == 400
    assert_nothing_written()


def test_an_update_without_the_version_it_read_is_refused_with_428(
    analyst_api, references
):
    event = ModeEventFactory(slug="beta", markets=[MarketFactory(code="DE")])
    response = analyst_api.patch(
        "/api/mode-events/beta/", {"summary_en": "Blind edit."}, format="json"
    )
    assert response.status_code == 428
    assert "version" in response.json()["detail"]
    event.refresh_from_db()
    assert event.summary_en != "Blind edit."


def test_adding_evidence_needs_the_permission_to_add_evidence(references):
    """A user who may change events, but not add their evidence, adds none."""
    user = User.objects.create_user("changer", password="not-a-real-one")
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_modeevent", "change_modeevent", "view_eventevidence"]
        )
    )
    event = ModeEventFactory(slug="beta", markets=[MarketFactory(code="DE")])
    response = token_client(user).patch(
        "/api/mode-events/beta/",
        {"version": 1, "evidence": [{"source": "eight-markets", "quote": "新的一句"}]},
        format="json",
    )
    assert response.status_code == 403
    assert "permission to add" in response.json()["detail"]
    assert not event.evidence.exists()


def test_deleting_a_dispute_its_claims_still_name_is_409_not_500(admin_api):
    dispute = DisputeFactory()
    ModeEventFactory(dispute=dispute)
    response = admin_api.delete(f"/api/disputes/{dispute.slug}/")
    assert response.status_code == 409
    assert "Other records still refer to this one" in response.json()["detail"]
    assert Dispute.objects.filter(pk=dispute.pk).exists()
