"""The status answer is drawn once per what it shows: a write that changes none of it
costs a query or two, and a write that changes any of it shows at once, whichever way
it was made."""

import datetime

import pytest
from django.db import connection
from django.test import Client

from caching.kept import forget_everything_kept
from markets.models import EventEvidence, Market, ModeEvent, Publication, Source
from markets.services import content_set_publication
from status.grid import ModeStatus
from status.models import StatusSpan
from status.selectors import status_on
from tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 1)
ANSWERS = [
    "/?as_of=2024-06-01",
    "/markets/?as_of=2024-06-01",
    "/api/status/?as_of=2024-06-01",
]


def read(url: str) -> str:
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(url)
    assert response.status_code == 200
    return response.content.decode()


def deciding_cell() -> ModeStatus:
    """A cell whose answer on the day rests on a quoted event."""
    for cell in status_on(Market.objects.public(), DAY):
        if cell.event is not None and cell.event.evidence.all():
            return cell
    raise AssertionError("the article data decide no cell on the day")


@pytest.mark.parametrize("url", ["/?as_of=2024-06-01", "/api/status/?as_of=2024-06-01"])
def test_a_write_that_changes_nothing_shown_costs_at_most_three_queries(
    article_data, url, django_assert_max_num_queries
):
    drawn = read(url)
    SourceFactory(title="A source no fact cites yet")
    with django_assert_max_num_queries(3):
        assert read(url) == drawn


@pytest.mark.parametrize("url", ANSWERS)
def test_an_answer_from_kept_drawings_is_the_answer_drawn_afresh(article_data, url):
    read(url)
    cell = deciding_cell()
    event = ModeEvent.objects.get(pk=cell.event.pk)
    event.summary_en = "Summary written again."
    event.save()
    kept = read(url)
    forget_everything_kept()
    assert read(url) == kept
    assert "Summary written again." in kept


@pytest.mark.parametrize("url", ANSWERS)
def test_a_quote_or_a_source_changed_by_a_save_shows_at_once(article_data, url):
    read(url)
    evidence = EventEvidence.objects.filter(fact=deciding_cell().event).first()
    evidence.quote = f"{evidence.quote} (checked again)"
    evidence.save()
    assert "(checked again)" in read(url)
    source = Source.objects.get(pk=evidence.source_id)
    source.title = "A title corrected"
    source.save()
    assert "A title corrected" in read(url)


@pytest.mark.parametrize("url", ANSWERS)
def test_a_fix_typed_in_sql_shows_at_once_and_a_draft_never(article_data, url):
    read(url)
    event = deciding_cell().event
    table = ModeEvent._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET summary_en = %s WHERE id = %s",  # noqa: S608
            ["Fixed in SQL.", event.pk],
        )
    assert StatusSpan.objects.filter(event=event, unsure=True).exists()
    assert "Fixed in SQL." in read(url)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET publication = 'draft' WHERE id = %s",  # noqa: S608
            [event.pk],
        )
    assert "Fixed in SQL." not in read(url)


def test_a_quote_deleted_in_sql_marks_the_spans_showing_it(article_data):
    event = deciding_cell().event
    evidence = EventEvidence.objects.filter(fact=event).first()
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {EventEvidence._meta.db_table} WHERE id = %s",  # noqa: S608
            [evidence.pk],
        )
    assert StatusSpan.objects.filter(event=event, unsure=True).exists()


def test_a_save_writes_the_spans_again_and_clears_the_mark(article_data):
    event = ModeEvent.objects.get(pk=deciding_cell().event.pk)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {ModeEvent._meta.db_table} SET date_note = 'x' WHERE id = %s",  # noqa: S608
            [event.pk],
        )
    event.refresh_from_db()
    event.save()
    assert not StatusSpan.objects.filter(event=event, unsure=True).exists()


def summary_through_the_api(event: ModeEvent, editor_api) -> None:
    response = editor_api.patch(
        f"/api/mode-events/{event.slug}/",
        {"summary_en": "Written again.", "version": event.version},
        format="json",
    )
    assert response.status_code == 200, response.content


def summary_through_a_save(event: ModeEvent, editor_api) -> None:
    event.summary_en = "Written again."
    event.save()


def summary_in_bulk(event: ModeEvent, editor_api) -> None:
    ModeEvent.objects.filter(pk=event.pk).update(summary_en="Written again.")


@pytest.mark.parametrize(
    "write", [summary_through_the_api, summary_through_a_save, summary_in_bulk]
)
@pytest.mark.parametrize("url", ANSWERS)
def test_every_writer_of_an_event_shows_at_once(article_data, editor_api, write, url):
    read(url)
    write(ModeEvent.objects.get(pk=deciding_cell().event.pk), editor_api)
    assert "Written again." in read(url)


@pytest.mark.parametrize("url", ANSWERS)
def test_an_event_returned_to_draft_in_bulk_leaves_the_answer(
    article_data, editor, url
):
    read(url)
    event = ModeEvent.objects.get(pk=deciding_cell().event.pk)
    shown = event.summary_en
    assert shown in read(url)
    content_set_publication(
        records=[event], state=Publication.DRAFT, user=editor, reason="Checking"
    )
    assert shown not in read(url)
