"""The home page answers the first article's question for the chosen day."""

import datetime

import pytest
from django.urls import reverse

from markets.dates import DatePrecision
from markets.models import Market, Mode, Publication, Status
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def germany() -> Market:
    return MarketFactory(code="DE", name_zh="德国", name_en="Germany")


@pytest.fixture
def beta_from_february_2024(germany):
    """The eight-market beta, dated by its source only to 2024年2月."""
    event = ModeEventFactory(
        slug="beta-2024-02", markets=[germany], date=datetime.date(2024, 2, 1)
    )
    EventEvidenceFactory(
        fact=event,
        quote="2024年2月就悄悄在八个国家重启内测",
        source=SourceFactory(title="TikTok半闭环卷土重来", publisher="小川电商"),
    )
    return event


def semi_closed_loop_answer(response):
    (answer,) = [
        answer
        for answer in response.context["grid"].answers
        if answer.mode == Mode.SEMI_CLOSED_LOOP
    ]
    return answer


def test_changing_the_date_changes_the_answer(client, germany, beta_from_february_2024):
    before = client.get("/", {"as_of": "2024-01-15"})
    after = client.get("/", {"as_of": "2024-06-01"})
    assert semi_closed_loop_answer(before).by_status[Status.BETA] == []
    assert semi_closed_loop_answer(after).by_status[Status.BETA] == [germany]
    assert "2024-06-01" in after.content.decode()


def test_a_day_inside_a_month_precision_event_is_uncertain_not_guessed(
    client, germany, beta_from_february_2024
):
    response = client.get("/", {"as_of": "2024-02-10"})
    answer = semi_closed_loop_answer(response)
    assert answer.by_status[Status.BETA] == [] and answer.by_status[Status.LIVE] == []
    (cell,) = answer.uncertain
    assert cell.market == germany and cell.status == Status.BETA
    page = response.content.decode()
    assert "status-uncertain" in page
    # Why: the source gives the month only; certain from the first day after it.
    why = cell.words.why
    assert "2024年2月" in why and "2024-03-01" in why
    assert why in page


def test_each_cell_links_to_its_event_with_quote_and_source(
    client, beta_from_february_2024
):
    page = client.get("/", {"as_of": "2024-06-01"}).content.decode()
    assert beta_from_february_2024.get_absolute_url() in page
    assert "2024年2月就悄悄在八个国家重启内测" in page
    evidence = beta_from_february_2024.evidence.get()
    assert evidence.source.get_absolute_url() in page
    assert 'lang="zh-Hans"' in page


def test_markets_where_the_semi_closed_loop_runs_come_first(client):
    # Codes chosen so that alphabetical order would put the running market last.
    MarketFactory(code="AD")
    MarketFactory(code="BE")
    running = MarketFactory(code="ZA")
    ModeEventFactory(
        markets=[running],
        date=datetime.date(2024, 2, 5),
        date_precision=DatePrecision.DAY,
    )
    grid = client.get("/", {"as_of": "2024-06-01"}).context["grid"]
    assert [row.market.code for row in grid.rows] == ["ZA", "AD", "BE"]


def test_draft_event_never_changes_public_status(
    client, germany, beta_from_february_2024
):
    ModeEventFactory(
        markets=[germany],
        status_set=Status.CLOSED,
        date=datetime.date(2024, 5, 1),
        date_precision=DatePrecision.DAY,
        publication=Publication.DRAFT,
        summary_en="A draft closure nobody may see.",
    )
    response = client.get("/", {"as_of": "2024-06-01"})
    assert semi_closed_loop_answer(response).by_status[Status.BETA] == [germany]
    assert "A draft closure nobody may see." not in response.content.decode()


def test_draft_market_never_appears(client, beta_from_february_2024):
    MarketFactory(code="FR", publication=Publication.DRAFT)
    grid = client.get("/").context["grid"]
    assert [row.market.code for row in grid.rows] == ["DE"]


def test_quote_from_a_draft_source_is_never_shown(client, beta_from_february_2024):
    EventEvidenceFactory(
        fact=beta_from_february_2024,
        quote="未发布来源的引语",
        source=SourceFactory(publication=Publication.DRAFT),
    )
    page = client.get("/", {"as_of": "2024-06-01"}).content.decode()
    assert "未发布来源的引语" not in page


def test_without_a_date_the_answer_is_for_today(client, beta_from_february_2024):
    response = client.get("/")
    assert response.context["grid"].day == datetime.date.today()


def test_an_invalid_date_says_so_and_answers_for_today(client):
    response = client.get("/", {"as_of": "2024-02-31"})
    assert response.status_code == 200
    assert response.context["form"].errors["as_of"]
    assert response.context["grid"].day == datetime.date.today()


def test_the_canonical_address_pins_the_day(client):
    page = client.get(
        "/", {"as_of": "2024-06-01", "utm_source": "x"}, follow=True
    ).content.decode()
    assert '<link rel="canonical" href="http://testserver/?as_of=2024-06-01">' in page


def test_the_date_picker_is_a_native_date_input(client):
    page = client.get(reverse("status:home")).content.decode()
    assert 'type="date"' in page and 'name="as_of"' in page


def test_key_dates_link_to_the_answer_once_the_change_has_happened(
    client, beta_from_february_2024
):
    """A beta "in February 2024" has surely happened on 29 February, not on the 1st."""
    page = client.get("/").content.decode()
    assert 'href="?as_of=2024-02-29">2024年2月</a>' in page


@pytest.mark.parametrize(
    ("stored_on", "precision", "linked_to"),
    [
        ("2023-01-01", "year_end", "2023-12-31"),
        ("2023-08-01", "month_end", "2023-08-31"),
        ("2023-09-12", "day", "2023-09-12"),
    ],
)
def test_a_key_date_at_the_end_of_a_year_or_month_links_past_its_stored_first_day(
    client, stored_on, precision, linked_to
):
    event = ModeEventFactory(
        date=datetime.date.fromisoformat(stored_on),
        date_precision=precision,
        markets=[MarketFactory(code="US")],
    )
    EventEvidenceFactory(fact=event)
    page = client.get("/").content.decode()
    assert f'href="?as_of={linked_to}">{event.date_display}</a>' in page
