"""The record announces its writes with a signal of its own (markets.signals
.record_written), sent by the one hook every writer goes through, after the written
part's version is raised: the admin, the API, loading the article data and a command
alike. The layers outside the record, which it never imports, hear that one signal:
the cache and the followers' notices."""

import collections
import contextlib
import dataclasses
import io
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.urls import reverse

from markets.models import ModeEvent, Publication, RecordPart, RecordVersion
from markets.signals import record_written
from tests.factories import (
    MarketFactory,
    ModeEventFactory,
    SellerCaseFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db


@dataclasses.dataclass
class Announcements:
    """What the record announced inside ``announced()``."""

    #: How many times a write to each part was announced.
    parts: collections.Counter = dataclasses.field(default_factory=collections.Counter)
    #: Whether each announcement came after the part's version was raised.
    raised_first: list[bool] = dataclasses.field(default_factory=list)


@contextlib.contextmanager
def announced() -> Iterator[Announcements]:
    heard = Announcements()
    before = versions()

    def hear(part: RecordPart, **kwargs: object) -> None:
        heard.parts[part] += 1
        heard.raised_first.append(versions()[part] > before.get(part, 1))

    record_written.connect(hear, weak=False, dispatch_uid="heard-by-the-test")
    try:
        yield heard
    finally:
        record_written.disconnect(dispatch_uid="heard-by-the-test")
    assert heard.raised_first and all(heard.raised_first)


def versions() -> dict[str, int]:
    return dict(RecordVersion.objects.values_list("part", "number"))


@pytest.fixture
def event() -> ModeEvent:
    market = MarketFactory(code="DE", publication=Publication.PUBLISHED)
    SourceFactory(slug="world", publication=Publication.PUBLISHED)
    event = ModeEventFactory(slug="written-event", publication=Publication.PUBLISHED)
    event.markets.set([market])
    return event


def test_caching_and_alerts_hear_the_signal_the_record_defines():
    listening = {lookup_key[0] for lookup_key, *_ in record_written.receivers}
    assert {"caching_write_heard", "alerts_announce_after_commit"} <= listening


def test_an_admin_save_is_announced_for_its_part_alone(event, editor_client):
    change = reverse("admin:markets_modeevent_change", args=[event.pk])
    form = editor_client.get(change).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and not isinstance(value, list)
    }
    data |= {
        "opened_version": form.fields["opened_version"].initial,
        "markets": list(event.markets.values_list("pk", flat=True)),
        "publication": "draft",
        "change_reason": "checked against the source",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    with announced() as heard:
        response = editor_client.post(change, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    # One row written, the event: its markets are the same, it has no quotes.
    assert heard.parts == {RecordPart.STATUS: 1}


def test_an_api_write_is_announced_for_its_part_alone(event, editor_api):
    with announced() as heard:
        response = editor_api.post(
            "/api/mode-events/",
            {
                "slug": "written-through-the-api",
                "mode": "semi_closed_loop",
                "kind": "launch",
                "status_set": "live",
                "markets": ["DE"],
                "date": "2024-02-01",
                "date_precision": "month",
                "summary_en": "Written through the API.",
                "publication": "published",
                "evidence": [{"source": "world", "quote": "原文"}],
            },
            format="json",
        )
    assert response.status_code == 201, response.content
    # The event, its link to a market, its quote.
    assert heard.parts == {RecordPart.STATUS: 3}


def test_loading_the_article_data_is_announced_for_every_part_it_writes(db):
    with announced() as heard:
        call_command("load_articles", stdout=io.StringIO())
    assert set(heard.parts) == set(RecordPart)


def test_rebuilding_the_status_index_is_announced_once(article_data):
    with announced() as heard:
        call_command("rebuild_status", stdout=io.StringIO())
    assert heard.parts == {RecordPart.STATUS: 1}


def test_a_save_in_code_is_announced_for_its_own_part(db):
    case = SellerCaseFactory()
    with announced() as heard:
        case.narrative_en = "Narrated again."
        case.save()
    assert heard.parts == {RecordPart.SELLERS: 1}
