"""A preview of publishing says what publishing then does to the public answer.

Each scenario drafts events on the article data, takes the preview, publishes through
the real service, and holds /api/status/ before and after to the preview: every listed
cell and period moved from the preview's "from" to its "to", and no other cell moved.
"""

import datetime
from collections.abc import Iterable

import pytest
from django.contrib.admin import helpers
from django.test import Client
from django.urls import reverse

from markets.dates import DatePrecision
from markets.models import (
    Content,
    Dispute,
    EventKind,
    EventScope,
    Market,
    Mode,
    ModeEvent,
    Publication,
    Status,
    StatusSet,
)
from markets.services import content_set_publication
from status.preview import CellPreview, PreviewAnswer, publication_preview
from tests.factories import (
    EventEvidenceFactory,
    MarketFigureFactory,
    ModeEventFactory,
    SellerCaseFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:markets_modeevent_changelist")
PREVIEW = reverse("admin:markets_modeevent_preview")
API = "/api/mode-events/preview/"

#: Days asked on every scenario besides the periods' own boundaries: before any
#: source speaks, around the article data's transitions, and well after.
SOME_DAYS = [
    datetime.date(2019, 6, 1),
    datetime.date(2021, 8, 15),
    datetime.date(2023, 8, 15),
    datetime.date(2023, 8, 25),
    datetime.date(2023, 9, 15),
    datetime.date(2023, 10, 20),
    datetime.date(2024, 2, 10),
    datetime.date(2024, 6, 1),
    datetime.date(2025, 3, 10),
    datetime.date(2025, 6, 20),
    datetime.date(2025, 9, 25),
    datetime.date(2026, 1, 1),
]

Answers = dict[tuple[str, str], PreviewAnswer]


def public_answers(day: datetime.date) -> Answers:
    """What /api/status/ tells an anonymous reader of every cell on ``day``."""
    response = Client().get("/api/status/", {"as_of": day.isoformat()})
    assert response.status_code == 200
    return {
        (cell["market"], cell["mode"]): PreviewAnswer(
            status=cell["status"],
            uncertain=cell["uncertain"],
            previous_status=cell["previous_status"],
            implied=cell["implied"],
            scheduled=cell["scheduled"],
        )
        for cell in response.json()
    }


def days_to_ask(preview: list[CellPreview]) -> list[datetime.date]:
    """Each period's first and last days and the days either side, and SOME_DAYS."""
    days = set(SOME_DAYS)
    one = datetime.timedelta(days=1)
    for cell in preview:
        for period in cell.periods:
            for day in (period.first, period.last):
                if day is not None:
                    days |= {day - one, day, day + one}
            days.add(period.a_day)
    return sorted(days)


def expected_on(preview: list[CellPreview], day: datetime.date) -> dict:
    """The preview's (from, to) for each cell it lists on ``day``."""
    found = {}
    for cell in preview:
        for period in cell.periods:
            if (period.first is None or period.first <= day) and (
                period.last is None or day <= period.last
            ):
                found[cell.market.code, cell.mode] = (period.before, period.after)
    return found


def assert_preview_comes_true(
    records: Iterable[Content], state: str = Publication.PUBLISHED
) -> list[CellPreview]:
    """Preview, then set the records to ``state`` through the service, and check the
    public answer on every day that matters against the preview."""
    records = list(records)
    preview = publication_preview(records, state)
    days = days_to_ask(preview)
    before = {day: public_answers(day) for day in days}
    content_set_publication(records=records, state=state, user=None, reason="checked")
    for day in days:
        after = public_answers(day)
        expected = expected_on(preview, day)
        assert after.keys() == before[day].keys()
        for cell, now in after.items():
            if cell in expected:
                assert (before[day][cell], now) == expected[cell], (day, cell)
            else:
                assert before[day][cell] == now, (day, cell)
    return preview


def draft(**fields) -> ModeEvent:
    """A draft event resting on a quote of a published source of 2025-10-01."""
    markets = fields.pop("markets", [])
    event = ModeEventFactory(publication=Publication.DRAFT, markets=markets, **fields)
    EventEvidenceFactory(
        fact=event,
        source=SourceFactory(
            published_on=datetime.date(2025, 10, 1),
            published_precision=DatePrecision.DAY,
        ),
    )
    return event


def market(code: str) -> Market:
    return Market.objects.get(code=code)


def beta_in_indonesia() -> ModeEvent:
    """Indonesia has no evidence of the semi-closed loop in the articles."""
    return draft(
        markets=[market("ID")],
        date=datetime.date(2025, 3, 1),
        date_precision=DatePrecision.MONTH,
        date_wording="2025年3月",
    )


def worldwide_closure() -> ModeEvent:
    return draft(
        kind=EventKind.CLOSURE_EFFECTIVE,
        scope=EventScope.WORLDWIDE,
        status_set=Status.CLOSED,
        date=datetime.date(2025, 9, 1),
        date_precision=DatePrecision.MONTH_END,
        date_wording="9月底",
        is_scheduled=True,
    )


def only(preview: list[CellPreview], code: str, mode: str) -> CellPreview:
    (cell,) = [c for c in preview if (c.market.code, c.mode) == (code, mode)]
    return cell


# --- The preview comes true ----------------------------------------------------------


def test_a_new_beta_where_no_source_spoke_previews_no_evidence_to_beta(article_data):
    preview = assert_preview_comes_true([beta_in_indonesia()])

    (cell,) = preview
    assert (cell.market.code, cell.mode) == ("ID", Mode.SEMI_CLOSED_LOOP)
    uncertain, certain = cell.periods
    assert (uncertain.first, uncertain.last) == (
        datetime.date(2025, 3, 1),
        datetime.date(2025, 3, 31),
    )
    assert uncertain.before == PreviewAnswer(Status.NO_EVIDENCE)
    assert uncertain.after == PreviewAnswer(
        Status.BETA, uncertain=True, previous_status=Status.NO_EVIDENCE
    )
    assert (certain.first, certain.last) == (datetime.date(2025, 4, 1), None)
    assert certain.after == PreviewAnswer(Status.BETA)


def test_a_closure_of_a_running_market_previews_beta_to_closed_from_its_day(
    article_data,
):
    closure = draft(
        markets=[market("DE")],
        kind=EventKind.CLOSURE_EFFECTIVE,
        status_set=Status.CLOSED,
        date=datetime.date(2025, 6, 15),
        date_precision=DatePrecision.DAY,
        date_wording="2025年6月15日",
    )
    preview = assert_preview_comes_true([closure])

    (cell,) = preview
    (period,) = cell.periods
    assert (cell.market.code, period.first, period.last) == (
        "DE",
        datetime.date(2025, 6, 15),
        None,
    )
    assert (period.before.status, period.after.status) == (Status.BETA, Status.CLOSED)


def test_a_worldwide_closure_previews_every_market_where_the_mode_runs(article_data):
    preview = assert_preview_comes_true([worldwide_closure()])

    # The eight markets of the 2024 beta, and no market where it does not run.
    assert {cell.market.code for cell in preview} == {
        "AU",
        "CA",
        "DE",
        "ES",
        "FR",
        "IT",
        "JP",
        "KR",
    }
    assert {cell.mode for cell in preview} == {Mode.SEMI_CLOSED_LOOP}
    last = only(preview, "DE", Mode.SEMI_CLOSED_LOOP).periods[-1]
    assert (last.first, last.last) == (datetime.date(2025, 10, 1), None)
    assert last.after == PreviewAnswer(Status.CLOSED, scheduled=True)


def test_a_claim_joining_a_dispute_previews_the_dispute_s_wider_uncertainty(
    article_data,
):
    dispute = Dispute.objects.get(slug="semi-closed-loop-us-gb-closure-date")
    later = draft(
        markets=[market("US")],
        kind=EventKind.CLOSURE_EFFECTIVE,
        status_set=Status.CLOSED,
        date=datetime.date(2023, 10, 20),
        date_precision=DatePrecision.DAY,
        date_wording="2023年10月20日",
        dispute=dispute,
    )
    preview = assert_preview_comes_true([later])

    us = only(preview, "US", Mode.SEMI_CLOSED_LOOP)
    (period,) = us.periods
    # Uncertain up to the new claim's day, where it was certain from October.
    assert (period.first, period.last) == (
        datetime.date(2023, 10, 1),
        datetime.date(2023, 10, 20),
    )
    assert period.after.uncertain and not period.before.uncertain
    # The claim names only the US: the UK's answer stays as it is.
    assert [cell.market.code for cell in preview] == ["US"]


def test_two_drafts_together_preview_what_they_do_together(article_data):
    beta, closure = beta_in_indonesia(), worldwide_closure()
    alone = publication_preview([closure])
    preview = assert_preview_comes_true([beta, closure])

    # The worldwide closure reaches Indonesia only because the beta opens it there.
    assert "ID" not in {cell.market.code for cell in alone}
    indonesia = only(preview, "ID", Mode.SEMI_CLOSED_LOOP)
    assert indonesia.periods[-1].after == PreviewAnswer(Status.CLOSED, scheduled=True)


def test_returning_a_published_event_to_draft_is_previewed_the_same_way(
    article_data,
):
    beta = ModeEvent.objects.get(slug="semi-closed-loop-beta-eight-markets-2024-02")
    preview = assert_preview_comes_true([beta], Publication.DRAFT)

    assert len(preview) == 8
    germany = only(preview, "DE", Mode.SEMI_CLOSED_LOOP)
    assert germany.periods[-1].before.status == Status.BETA
    assert germany.periods[-1].after.status == Status.NO_EVIDENCE


# --- What changes nothing ------------------------------------------------------------


def test_a_draft_figure_or_seller_case_previews_nothing(article_data):
    figure = MarketFigureFactory(publication=Publication.DRAFT, markets=[market("DE")])
    case = SellerCaseFactory(publication=Publication.DRAFT)
    assert publication_preview([figure, case]) == []


def test_a_draft_setting_no_status_or_naming_no_market_previews_nothing(article_data):
    no_status = draft(markets=[market("DE")], status_set=StatusSet.NONE)
    no_market = draft(scope=EventScope.NONE, status_set=Status.CLOSED)
    assert publication_preview([no_status, no_market]) == []


def test_a_draft_agreeing_with_the_answer_previews_nothing(article_data):
    # Germany is in beta from March 2024 on; a later report of the beta adds evidence
    # but changes no day's answer.
    again = draft(
        markets=[market("DE")],
        kind=EventKind.STATUS_REPORT,
        date=datetime.date(2025, 1, 10),
        date_precision=DatePrecision.DAY,
    )
    assert publication_preview([again]) == []


def test_an_event_already_published_previews_nothing_to_publish(article_data):
    beta = ModeEvent.objects.get(slug="semi-closed-loop-beta-eight-markets-2024-02")
    assert publication_preview([beta]) == []


def several_drafts() -> list[ModeEvent]:
    """Drafts in one mode over many markets, a region's markets and the world."""
    return [
        beta_in_indonesia(),
        worldwide_closure(),
        draft(markets=[market("BR"), market("MX")], scope=EventScope.REGION),
        *(
            draft(markets=[market(code)], date=datetime.date(2025, 1, 1))
            for code in ("KZ", "UZ", "NZ")
        ),
    ]


def test_a_preview_costs_a_fixed_number_of_queries(
    article_data, django_assert_max_num_queries
):
    """Guards an N+1 over events or markets: three queries to find the cells, three
    per mode for each of the two answers, one for the markets."""
    records = several_drafts()
    with django_assert_max_num_queries(10):
        assert publication_preview(records)


# --- The admin ----------------------------------------------------------------------


def preview_by_action(client: Client, events: list[ModeEvent], action: str):
    return client.post(
        CHANGELIST,
        {"action": action, helpers.ACTION_CHECKBOX_NAME: [e.pk for e in events]},
    )


def test_the_admin_action_shows_an_analyst_each_cell_that_would_change(
    article_data, analyst_client, django_assert_max_num_queries
):
    events = several_drafts()
    with django_assert_max_num_queries(25):
        response = preview_by_action(analyst_client, events, "preview_publishing")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Preview publishing" in page
    assert "ID · Indonesia" in page
    assert "no evidence" in page and "uncertain: no evidence or beta" in page
    assert "/markets/ID/?as_of=2025-03-01" in page
    # Publishing is the editors' to do.
    assert "Publish these" not in page
    # Nothing inline, as the content security policy asks.
    assert "<script>" not in page and " style=" not in page


def test_the_admin_preview_offers_an_editor_to_publish_with_a_reason_in_one_step(
    article_data, editor_client
):
    event = beta_in_indonesia()
    response = preview_by_action(editor_client, [event], "preview_publishing")
    page = response.content.decode()
    assert "Publish these" in page
    assert 'name="state" value="published"' in page
    assert 'name="change_reason"' in page

    # The button posts the reason with it to the preview, which publishes at once.
    publish = {
        helpers.ACTION_CHECKBOX_NAME: [event.pk],
        "state": "published",
        "change_reason": "checked against the source",
    }
    assert editor_client.post(PREVIEW, publish).status_code == 302
    event.refresh_from_db()
    assert event.publication == Publication.PUBLISHED
    assert public_answers(datetime.date(2025, 5, 1))[
        "ID", Mode.SEMI_CLOSED_LOOP
    ] == PreviewAnswer(Status.BETA)


def test_a_draft_s_change_page_links_to_its_preview(article_data, analyst_client):
    event = beta_in_indonesia()
    change = reverse("admin:markets_modeevent_change", args=[event.pk])
    page = analyst_client.get(change).content.decode()
    assert f"{PREVIEW}?id={event.pk}" in page

    response = analyst_client.get(PREVIEW, {"id": event.pk})
    assert response.status_code == 200
    assert "/markets/ID/?as_of=2025-03-01" in response.content.decode()


def test_a_published_event_s_change_page_previews_its_return_to_draft(
    article_data, editor_client
):
    beta = ModeEvent.objects.get(slug="semi-closed-loop-beta-eight-markets-2024-02")
    change = reverse("admin:markets_modeevent_change", args=[beta.pk])
    page = editor_client.get(change).content.decode()
    link = f"{PREVIEW}?id={beta.pk}&amp;state=draft"
    assert link in page

    response = editor_client.get(PREVIEW, {"id": beta.pk, "state": "draft"})
    page = response.content.decode()
    assert "Preview returning to draft" in page
    assert "Return these to draft" in page
    assert 'name="state" value="draft"' in page


def test_the_admin_preview_says_when_publishing_changes_no_answer(
    article_data, analyst_client
):
    figure_like = draft(markets=[market("DE")], status_set=StatusSet.NONE)
    response = analyst_client.get(PREVIEW, {"id": figure_like.pk})
    assert "Publishing these changes no answer" in response.content.decode()


def test_the_admin_preview_takes_junk_parameters_without_failing(
    article_data, analyst_client
):
    response = analyst_client.get(PREVIEW, {"id": ["x", "-1", "99999"], "state": "?"})
    assert response.status_code == 200
    assert "No event is selected." in response.content.decode()


def test_the_admin_preview_needs_a_signed_in_analyst(article_data):
    response = Client().get(PREVIEW)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- The API ------------------------------------------------------------------------


def test_the_api_preview_refuses_anonymous_readers(article_data, api_client):
    event = beta_in_indonesia()
    response = api_client.post(API, {"slugs": [event.slug]}, format="json")
    assert response.status_code == 401


def test_the_api_preview_refuses_a_user_who_cannot_see_drafts(article_data, reader_api):
    event = beta_in_indonesia()
    response = reader_api.post(API, {"slugs": [event.slug]}, format="json")
    assert response.status_code == 403


def test_the_api_preview_answers_an_analyst_as_the_admin_does(
    article_data, analyst_api, django_assert_max_num_queries
):
    beta, closure, *others = several_drafts()
    with django_assert_max_num_queries(15):
        response = analyst_api.post(
            API, {"slugs": [beta.slug, closure.slug]}, format="json"
        )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["state"] == "published"
    assert body["events"] == sorted([beta.slug, closure.slug])
    preview = publication_preview([beta, closure])
    assert [(c["market"], c["mode"]) for c in body["changes"]] == [
        (cell.market.code, cell.mode) for cell in preview
    ]
    indonesia = next(c for c in body["changes"] if c["market"] == "ID")
    first = indonesia["periods"][0]
    assert first["first"] == "2025-03-01" and first["last"] == "2025-03-31"
    assert first["as_of"] == "2025-03-01"
    assert first["before"] == {
        "status": "no_evidence",
        "uncertain": False,
        "previous_status": "",
        "implied": False,
        "scheduled": False,
    }
    assert first["after"]["status"] == "beta" and first["after"]["uncertain"]
    assert indonesia["periods"][-1]["last"] is None


def test_the_api_previews_a_return_to_draft(article_data, analyst_api):
    beta = ModeEvent.objects.get(slug="semi-closed-loop-beta-eight-markets-2024-02")
    response = analyst_api.post(
        API, {"slugs": [beta.slug], "state": "draft"}, format="json"
    )
    assert response.status_code == 200
    assert len(response.json()["changes"]) == 8


def test_the_api_preview_of_what_changes_nothing_is_empty(article_data, analyst_api):
    beta = ModeEvent.objects.get(slug="semi-closed-loop-beta-eight-markets-2024-02")
    response = analyst_api.post(API, {"slugs": [beta.slug]}, format="json")
    assert response.status_code == 200
    assert response.json() == {
        "state": "published",
        "events": [],
        "figures": [],
        "changes": [],
    }


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "slugs"),
        ({"slugs": []}, "slugs"),
        ({"slugs": ["no-such-event"]}, "slugs"),
        ({"slugs": "not-a-list"}, "slugs"),
        (
            {"slugs": ["semi-closed-loop-beta-eight-markets-2024-02"], "state": "x"},
            "state",
        ),
    ],
)
def test_the_api_preview_names_the_field_of_bad_input(
    article_data, analyst_api, payload: dict, field: str
):
    response = analyst_api.post(API, payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_the_api_preview_is_in_the_schema(article_data, api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    operation = schema["paths"][API]["post"]
    assert "401" in operation["responses"]
    assert "200" in operation["responses"]
    assert operation["summary"]
