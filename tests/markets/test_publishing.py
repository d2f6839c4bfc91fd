"""Publishing is the editors' permission, and every writer publishes as a save does.

Admin forms and bulk actions, the API and spreadsheet import each change publication
through the models' save (markets.services for the bulk actions): the version rises,
history names the author and the reason, the status answer follows at once and the
cache is retired; a form opened before a bulk change cannot silently undo it.
"""

import datetime

import pytest
from django.contrib.admin import helpers
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from markets.models import Market, ModeEvent, Publication, Source
from markets.vocabulary import Status
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:markets_modeevent_changelist")


@pytest.fixture
def germany() -> Market:
    return MarketFactory(code="DE")


@pytest.fixture
def beta(germany) -> ModeEvent:
    event = ModeEventFactory(markets=[germany], date=datetime.date(2024, 2, 1))
    EventEvidenceFactory(fact=event)
    return event


def public_status(market: Market, day: str = "2024-06-01") -> str:
    response = Client().get("/api/status/", {"as_of": day, "mode": "semi_closed_loop"})
    (cell,) = [cell for cell in response.json() if cell["market"] == market.code]
    return cell["status"]


def bulk(client, action: str, events, reason: str | None):
    data = {
        "action": action,
        helpers.ACTION_CHECKBOX_NAME: [event.pk for event in events],
    }
    if reason is not None:
        data |= {"apply": "1", "change_reason": reason}
    return client.post(CHANGELIST, data)


def test_a_bulk_return_to_draft_asks_why_and_changes_each_record_as_a_save(
    editor_client, editor, beta, germany
):
    assert public_status(germany) == Status.BETA
    asked = bulk(editor_client, "unpublish", [beta], reason=None)
    assert asked.status_code == 200
    assert b"Reason for this change" in asked.content
    beta.refresh_from_db()
    assert beta.publication == Publication.PUBLISHED

    done = bulk(editor_client, "unpublish", [beta], reason="source withdrawn")
    assert done.status_code == 302
    beta.refresh_from_db()
    assert (beta.publication, beta.version) == (Publication.DRAFT, 2)
    latest = beta.history.first()
    assert (latest.history_change_reason, latest.history_user) == (
        "source withdrawn",
        editor,
    )
    # The draft no longer decides anything, for a reader who had the answer cached.
    assert public_status(germany) == Status.NO_EVIDENCE
    assert Client().get(beta.get_absolute_url()).status_code == 404


def test_a_bulk_publish_changes_the_public_answer(editor_client, germany):
    draft = ModeEventFactory(markets=[germany], publication=Publication.DRAFT)
    assert public_status(germany) == Status.NO_EVIDENCE
    bulk(editor_client, "publish", [draft], reason="checked")
    assert public_status(germany) == Status.BETA


def test_a_form_opened_before_a_bulk_change_cannot_undo_it(
    editor_client, beta, germany
):
    change = reverse("admin:markets_modeevent_change", args=[beta.pk])
    form = editor_client.get(change).context["adminform"].form
    bulk(editor_client, "unpublish", [beta], reason="withdrawn")
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {
        "markets": [germany.pk],
        "publication": "published",
        "change_reason": "late edit",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    response = editor_client.post(change, data)
    assert response.status_code == 200
    assert b"after you opened it" in response.content
    beta.refresh_from_db()
    assert beta.publication == Publication.DRAFT


def test_analysts_cannot_publish_by_form_action_api_or_import(
    analyst_client, analyst_api, analyst, germany
):
    draft = ModeEventFactory(
        slug="draft-beta", markets=[germany], publication=Publication.DRAFT
    )
    change = reverse("admin:markets_modeevent_change", args=[draft.pk])
    form = analyst_client.get(change).context["adminform"].form
    assert "publication" not in form.fields
    action_form = analyst_client.get(CHANGELIST).context["action_form"]
    assert action_form is None or "publish" not in dict(
        action_form.fields["action"].choices
    )

    refused = analyst_api.patch(
        "/api/mode-events/draft-beta/",
        {"publication": "published", "version": 1},
        format="json",
    )
    assert refused.status_code == 403

    csv = (
        "slug,mode,kind,markets,scope,date,date_precision,status_set,summary_en,"
        "publication\n"
        "draft-beta,semi_closed_loop,beta_launch,DE,markets,2024-02-01,month,beta,"
        "Beta.,published\n"
    )
    response = analyst_client.post(
        reverse("admin:markets_modeevent_import"),
        {
            "import_file": SimpleUploadedFile("events.csv", csv.encode()),
            "format": "0",
            "resource": "0",
        },
    )
    assert response.status_code == 200
    assert b"permission to publish" in response.content
    draft.refresh_from_db()
    assert draft.publication == Publication.DRAFT
    assert public_status(germany) == Status.NO_EVIDENCE


def test_an_editor_publishes_through_the_api_with_history(editor_api, editor, germany):
    ModeEventFactory(slug="draft-beta", markets=[germany], publication="draft")
    response = editor_api.patch(
        "/api/mode-events/draft-beta/",
        {"publication": "published", "version": 1, "change_reason": "checked"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    event = ModeEvent.objects.get(slug="draft-beta")
    assert event.history.first().history_user == editor
    assert public_status(germany) == Status.BETA


def test_sql_typed_by_hand_never_serves_a_draft(beta, germany, django_db_blocker):
    """Past every save(): the triggers retire the cache, the read path checks drafts."""
    reader = Client()
    assert public_status(germany) == Status.BETA
    assert beta.summary_zh.encode() in reader.get("/", {"as_of": "2024-06-01"}).content
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE markets_modeevent SET publication = %s WHERE id = %s",
            [Publication.DRAFT, beta.pk],
        )
    assert public_status(germany) == Status.NO_EVIDENCE
    page = reader.get("/", {"as_of": "2024-06-01"}).content
    assert beta.summary_zh.encode() not in page
    filtered = reader.get(
        "/markets/", {"semi_closed_loop": "beta", "as_of": "2024-06-01"}
    )
    assert [row.market for row in filtered.context["grid"].rows] == []


@pytest.fixture
def event_through_drafts() -> ModeEvent:
    """A published event naming a draft market and resting on a draft source."""
    germany = MarketFactory(code="DE", publication=Publication.PUBLISHED)
    kosovo = MarketFactory(code="XK", publication=Publication.DRAFT)
    event = ModeEventFactory(markets=[germany, kosovo])
    EventEvidenceFactory(
        fact=event,
        source__slug="draft-source",
        source__publication=Publication.DRAFT,
    )
    EventEvidenceFactory(fact=event, source__publication=Publication.PUBLISHED)
    return event


@pytest.mark.parametrize("query", ["market=XK", "source=draft-source"])
def test_filters_never_find_records_through_a_draft(
    client, api_client, event_through_drafts, query
):
    assert api_client.get(f"/api/mode-events/?{query}").json()["results"] == []
    page = client.get(f"/events/?{query}").content.decode()
    assert event_through_drafts.get_absolute_url() not in page


def test_filters_find_through_drafts_for_analysts_who_see_them(
    analyst_api, event_through_drafts
):
    for query in ("market=XK", "source=draft-source"):
        (row,) = analyst_api.get(f"/api/mode-events/?{query}").json()["results"]
        assert row["slug"] == event_through_drafts.slug


def test_a_source_list_does_not_find_relays_of_a_draft_source(api_client):
    SourceFactory(slug="draft-outlet", publication=Publication.DRAFT)
    SourceFactory(
        reported_via=Source.objects.get(slug="draft-outlet"),
        publication=Publication.PUBLISHED,
    )
    response = api_client.get("/api/sources/?reported_via=draft-outlet")
    assert response.json()["results"] == []
