"""What changed between two days, or between two days of knowledge: every cell whose
answer differs, with the events and the quotes that changed it, on the page and in the
API."""

import datetime

import pytest
from django.test import Client

from markets.dates import latest_day
from markets.models import Market, ModeEvent, Publication, Source
from status.changes import Comparison, Question, answer_of, changes_between
from status.models import span_events
from status.selectors import status_on

pytestmark = pytest.mark.django_db

FIRST, LAST = datetime.date(2023, 1, 1), datetime.date(2024, 6, 1)


def visitor(language: str = "en") -> Client:
    return Client(HTTP_ACCEPT_LANGUAGE=language)


def answers(question: Question) -> dict[tuple[str, str], tuple]:
    cells = status_on(Market.objects.public(), question.day, None, question.known_on)
    return {(cell.market.code, cell.mode): answer_of(cell) for cell in cells}


def test_every_cell_whose_answer_differs_is_listed_and_no_other(article_data):
    comparison = Comparison(Question(FIRST), Question(LAST))
    before, after = answers(comparison.before), answers(comparison.after)
    differing = {cell for cell in after if after[cell] != before[cell]}
    changes = changes_between(Market.objects.public(), comparison)
    assert differing
    assert {(change.market.code, change.mode) for change in changes} == differing
    for change in changes:
        assert answer_of(change.before) == before[change.market.code, change.mode]
        assert answer_of(change.after) == after[change.market.code, change.mode]


def test_the_events_listed_are_the_deciding_ones_and_those_dated_between(
    article_data,
):
    changes = changes_between(
        Market.objects.public(), Comparison(Question(FIRST), Question(LAST))
    )
    for change in changes:
        assert change.after.event in change.events
        deciding = {*span_events(change.before.span), *span_events(change.after.span)}
        for event in change.events:
            # A worldwide event only where it decides an answer: it concerns only the
            # markets where the mode then runs.
            assert event.pk in deciding or (
                event.mode == change.mode
                and FIRST < event.date <= LAST
                and event.scope != "worldwide"
                and change.market in event.markets.all()
            )
        dates = [event.date for event in change.events]
        assert dates == sorted(dates)
        # Asked as known now, nothing "became known".
        assert change.became_known == []


def test_the_worldwide_closure_is_listed_only_where_it_decides_an_answer(
    article_data,
):
    closure = ModeEvent.objects.get(slug="semi-closed-loop-closed-end-of-august-2023")
    comparison = Comparison(Question(datetime.date(2023, 6, 1)), Question(LAST))
    listing = {
        change.market.code
        for change in changes_between(Market.objects.public(), comparison)
        if closure in change.events
    }
    assert listing == {"GB", "US"}


def knowledge_days() -> tuple[datetime.date, datetime.date]:
    """The day before the first source was surely published, and the day the last
    one was."""
    days = [
        latest_day(source.published_on, source.published_precision)
        for source in Source.objects.published().exclude(published_on=None)
    ]
    return min(days) - datetime.timedelta(days=1), max(days)


def test_the_same_day_as_known_on_two_days_tells_what_became_known(article_data):
    known_first, known_last = knowledge_days()
    comparison = Comparison.asked(None, known_last, known_first, known_last)
    assert comparison.before.day == comparison.after.day == known_last
    changes = changes_between(Market.objects.public(), comparison)
    assert changes
    learnt = [evidence for change in changes for evidence in change.became_known]
    assert learnt
    for evidence in learnt:
        source = evidence.source
        published = latest_day(source.published_on, source.published_precision)
        assert known_first < published <= known_last


def test_a_draft_event_changes_no_answer(article_data):
    comparison = Comparison(Question(FIRST), Question(LAST))
    changes = changes_between(Market.objects.public(), comparison)
    event = changes[0].after.event
    ModeEvent.objects.filter(pk=event.pk).update(publication=Publication.DRAFT)
    ModeEvent.objects.get(pk=event.pk).save()
    again = changes_between(Market.objects.public(), comparison)
    assert all(event not in change.events for change in again)
    assert all(change.after.event != event for change in again)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({}, "from"),
        ({"from": "2024-06-01", "to": "2023-01-01"}, "to"),
        ({"from": "2024-13-01"}, "from"),
        ({"known_from": "2024-06-01", "known_to": "2023-01-01"}, "known_to"),
        ({"from": "0001-01-01"}, "from"),
        ({"from": "2023-01-01", "mode": "no-such-mode"}, "mode"),
    ],
)
def test_a_malformed_question_is_refused_by_field(article_data, query, field):
    response = visitor().get("/api/changes/", query)
    assert response.status_code == 400
    assert field in response.json()
    if not query:
        return  # The page asked nothing offers the form (below).
    page = visitor().get("/changes/", query)
    assert page.status_code == 200
    assert 'class="errorlist' in page.content.decode()
    assert 'class="change"' not in page.content.decode()


def test_the_api_lists_each_change_with_both_answers_and_its_events(
    article_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(13):
        body = visitor().get("/api/changes/", {"from": FIRST, "to": LAST}).json()
    assert (body["from"], body["to"]) == (FIRST.isoformat(), LAST.isoformat())
    assert body["known_from"] is None and body["known_to"] is None
    assert body["changes"]
    for change in body["changes"]:
        assert change["before"]["as_of"] == FIRST.isoformat()
        assert change["after"]["as_of"] == LAST.isoformat()
        assert change["before"]["status"] != change["after"]["status"] or (
            change["before"]["uncertain"],
            change["before"]["implied"],
        ) != (change["after"]["uncertain"], change["after"]["implied"])
        assert change["events"]
        assert all(event["evidence"] for event in change["events"])


def test_the_api_answers_one_mode_when_asked(article_data):
    body = (
        visitor()
        .get("/api/changes/", {"from": FIRST, "to": LAST, "mode": "closed_loop"})
        .json()
    )
    assert body["changes"]
    assert {change["mode"] for change in body["changes"]} == {"closed_loop"}


def test_the_api_tells_what_became_known(article_data):
    known_first, known_last = knowledge_days()
    asked = {"to": known_last, "known_from": known_first, "known_to": known_last}
    body = visitor().get("/api/changes/", asked).json()
    learnt = [quote for change in body["changes"] for quote in change["became_known"]]
    assert learnt
    assert all(quote["quote"] and quote["source"]["slug"] for quote in learnt)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_page_shows_each_change_in_both_languages(article_data, language):
    comparison = Comparison(Question(FIRST), Question(LAST))
    changes = changes_between(Market.objects.public(), comparison)
    page = visitor(language).get("/changes/", {"from": FIRST, "to": LAST})
    text = page.content.decode()
    assert page.status_code == 200
    assert text.count('class="change"') == len(changes)
    for change in changes:
        assert f'data-market="{change.market.code}" data-mode="{change.mode}"' in text


def test_the_page_asked_nothing_offers_the_form_only(article_data):
    text = visitor().get("/changes/").content.decode()
    assert 'name="from"' in text and 'name="known_to"' in text
    assert "errorlist" not in text


def test_the_kept_page_holds_nothing_of_a_visitor(article_data, client):
    query = {"from": FIRST, "to": LAST}
    client.get("/changes/", query)
    stranger = visitor().get("/changes/", query)
    assert "csrftoken" not in stranger.cookies
    assert "sessionid" not in stranger.cookies
    assert stranger["Cache-Control"].startswith("public")


def test_the_page_costs_a_fixed_number_of_queries(
    article_data, django_assert_max_num_queries
):
    # The versions; each answer's markets, spans, events and quotes; the events that
    # changed the cells, their markets and quotes; the disputes.
    with django_assert_max_num_queries(14):
        page = visitor().get("/changes/", {"from": FIRST, "to": LAST})
    assert page.content.decode().count('class="change"') > 1


def test_the_page_leads_with_one_line_per_changed_cell(article_data):
    page = visitor().get("/changes/", {"from": "2023-06-01", "to": "2024-06-01"})
    text = page.content.decode()
    lines = text.split('<ol class="change-lines">', 1)[1].split("</ol>", 1)[0]
    germany = lines.split('data-market="DE" data-mode="semi_closed_loop"', 1)[1]
    germany = germany.split("</li>", 1)[0]
    # Before -> after in words and glyphs, and the event that decided the after.
    assert "No evidence" in germany and "Beta since Feb 2024" in germany
    assert '<span aria-hidden="true">β</span>' in germany
    assert "Beta launch: Semi-closed loop" in germany
    assert 'href="/markets/DE/?as_of=2024-06-01"' in germany
    # No quote on the summary lines: they are a tap away.
    assert "blockquote" not in lines


def test_an_event_that_changed_many_markets_shows_its_quotes_once(article_data):
    beta = ModeEvent.objects.get(date="2024-02-01", status_set="beta")
    page = visitor().get("/changes/", {"from": "2023-06-01", "to": "2024-06-01"})
    text = page.content.decode()
    changed = sum(
        f'data-market="{market.code}" data-mode="{beta.mode}"' in text
        for market in beta.markets.all()
    )
    assert changed > 1
    for evidence in beta.evidence.all():
        assert text.count(evidence.quote) == 1
