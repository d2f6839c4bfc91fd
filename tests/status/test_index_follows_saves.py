"""An event's save rewrites only as much of the status index as its change reaches,
through every writer: a save changing nothing a cell shows writes no span; one changing
only what cells show writes the spans showing the event again, as they were, under new
ids, so every drawing of them is made afresh; one changing what the rule reads works
the spans out again (status.receivers.SHOWN_ONLY_FIELDS)."""

import datetime
import io

import pytest
from django.contrib.admin import helpers
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from markets.models import Market, ModeEvent, Publication
from status.models import StatusSpan
from status.receivers import SHOWN_ONLY_FIELDS
from status.selectors import status_on

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 6, 1)
STATUS_API = "/api/status/?as_of=2024-06-01"
#: The columns status.claims reads of an event (with its id).
READ_BY_THE_RULE = {
    "id",
    "publication",
    "mode",
    "scope",
    "date",
    "date_precision",
    "is_scheduled",
    "status_set",
    "dispute",
}


def read(url: str) -> str:
    """The answer as a visitor who has read nothing yet gets it."""
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(url)
    assert response.status_code == 200
    return response.content.decode()


def deciding_event() -> ModeEvent:
    """An event that decides a public cell on the day."""
    for cell in status_on(Market.objects.public(), DAY):
        if cell.event is not None:
            return ModeEvent.objects.get(pk=cell.event.pk)
    raise AssertionError("the article data decide no cell on the day")


def spans_by_id() -> dict[int, tuple]:
    return {
        row[0]: row[1:]
        for row in StatusSpan.objects.values_list(
            "pk", "market", "mode", "start", "end", "status", "event", "claim_ids"
        )
    }


def admin_change(client: Client, event: ModeEvent, **changes: str) -> None:
    """Submit the event's admin change form as it stands, with ``changes``."""
    change = reverse("admin:markets_modeevent_change", args=[event.pk])
    form = client.get(change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {
        "opened_version": form.fields["opened_version"].initial,
        "markets": list(event.markets.values_list("pk", flat=True)),
        "change_reason": "checked against the source",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
        **changes,
    }
    response = client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def api_patch(client, event: ModeEvent, **changes: str) -> None:
    response = client.patch(
        f"/api/mode-events/{event.slug}/",
        {"version": ModeEvent.objects.get(pk=event.pk).version, **changes},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_every_event_column_is_bookkeeping_shown_only_or_read_by_the_rule():
    columns = {field.name for field in ModeEvent._meta.concrete_fields}
    bookkeeping = set(ModeEvent.bookkeeping_fields)
    assert columns == READ_BY_THE_RULE | SHOWN_ONLY_FIELDS | bookkeeping
    assert not (READ_BY_THE_RULE & SHOWN_ONLY_FIELDS)
    assert not (bookkeeping & (READ_BY_THE_RULE | SHOWN_ONLY_FIELDS))


def test_the_api_cell_shows_none_of_the_bookkeeping(article_data):
    """A save may change the bookkeeping without writing a span: no cell shows it."""
    answer = read(STATUS_API)
    for column in ModeEvent.bookkeeping_fields:
        assert f'"{column}"' not in answer


def test_a_save_changing_nothing_writes_no_span(article_data):
    event = deciding_event()
    before = spans_by_id()
    with CaptureQueriesContext(connection) as saving:
        event.save()
    assert spans_by_id() == before
    assert not [
        query
        for query in saving.captured_queries
        if query["sql"].startswith(("INSERT", "UPDATE", "DELETE"))
        and "markets_statusspan" in query["sql"].split("WHERE")[0]
    ]


def test_a_summary_saved_renews_the_ids_of_its_spans_only(article_data):
    event = deciding_event()
    before = spans_by_id()
    showing = set(
        StatusSpan.objects.showing(event.pk, event.dispute_id).values_list(
            "pk", flat=True
        )
    )
    event.summary_en = "Summary written again."
    event.save()
    after = spans_by_id()
    assert not showing & after.keys()
    assert sorted(after.values(), key=repr) == sorted(before.values(), key=repr)
    assert {pk: span for pk, span in before.items() if pk not in showing}.items() <= (
        after.items()
    )


def test_a_date_note_saved_shows_at_once_in_the_kept_answer(article_data):
    read(STATUS_API)
    event = deciding_event()
    event.date_note = "Inferred from the month the source names."
    event.save()
    assert "Inferred from the month the source names." in read(STATUS_API)


def test_an_admin_form_saved_unchanged_writes_no_span(article_data, admin_client):
    event = deciding_event()
    before = spans_by_id()
    admin_change(admin_client, event)
    assert spans_by_id() == before


def test_a_summary_changed_in_the_admin_shows_at_once(article_data, admin_client):
    read(STATUS_API)
    admin_change(admin_client, deciding_event(), summary_en="Edited in the admin.")
    assert "Edited in the admin." in read(STATUS_API)


def test_an_api_patch_changing_nothing_writes_no_span(article_data, editor_api):
    event = deciding_event()
    before = spans_by_id()
    api_patch(editor_api, event, summary_en=event.summary_en)
    assert spans_by_id() == before


def test_a_summary_patched_through_the_api_shows_at_once(article_data, editor_api):
    read(STATUS_API)
    api_patch(editor_api, deciding_event(), summary_en="Patched through the API.")
    assert "Patched through the API." in read(STATUS_API)


def bulk_action(client: Client, event: ModeEvent, action: str) -> None:
    response = client.post(
        reverse("admin:markets_modeevent_changelist"),
        {
            "action": action,
            helpers.ACTION_CHECKBOX_NAME: [event.pk],
            "apply": "1",
            "change_reason": "reviewed in bulk",
        },
    )
    assert response.status_code == 302


def test_publishing_in_bulk_what_is_published_writes_no_span(
    article_data, admin_client
):
    event = deciding_event()
    before = spans_by_id()
    bulk_action(admin_client, event, "publish")
    assert spans_by_id() == before


def test_returning_to_draft_in_bulk_shows_at_once(article_data, admin_client):
    event = deciding_event()
    assert event.slug in read(STATUS_API)
    bulk_action(admin_client, event, "unpublish")
    assert ModeEvent.objects.get(pk=event.pk).publication == Publication.DRAFT
    assert f'"{event.slug}"' not in read(STATUS_API)


def test_loading_the_articles_again_writes_no_span(article_data):
    """load_articles adds what the database lacks and edits no event it holds."""
    before = spans_by_id()
    call_command("load_articles", stdout=io.StringIO())
    assert spans_by_id() == before


def test_an_event_loaded_from_the_articles_shows_at_once(db):
    assert read(STATUS_API).count('"slug"') == 0
    call_command("load_articles", stdout=io.StringIO())
    assert deciding_event().slug in read(STATUS_API)


def test_a_save_after_a_fix_typed_in_sql_works_the_spans_out_again(article_data):
    """A fix typed in SQL marks the spans unsure; a save changing nothing more still
    writes them again, as the rule says, so none stays unsure."""
    event = deciding_event()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE markets_modeevent SET publication = %s WHERE id = %s",
            [Publication.DRAFT, event.pk],
        )
    event.refresh_from_db()
    event.save()
    assert not StatusSpan.objects.filter(unsure=True).exists()
    assert not StatusSpan.objects.filter(event=event).exists()
    assert f'"{event.slug}"' not in read(STATUS_API)


@pytest.mark.parametrize(
    ("column", "value", "marks"),
    [
        ("version", 99, False),
        ("updated_at", "2030-01-01 00:00:00", False),
        ("summary_en", "Typed in SQL.", True),
        ("status_set", "closed", True),
    ],
)
def test_only_a_column_a_cell_shows_marks_spans_when_typed_in_sql(
    article_data, column, value, marks
):
    """The first statement of every save raises the version; it marks nothing, so the
    save still knows whether its spans were right before it."""
    event = deciding_event()
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE markets_modeevent SET {column} = %s WHERE id = %s",  # noqa: S608
            [value, event.pk],
        )
    assert StatusSpan.objects.filter(event=event, unsure=True).exists() is marks
