"""An event's days end, for what a source reports as done, by that source's
publication: on its page, in the API's lists and details, and in the status rule
alike (markets.dates.latest_done_by)."""

import datetime

import pytest
from django.test import Client

from markets.models import Market, Mode, Publication, Status
from status.selectors import status_on
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

REPORTED = datetime.date(2024, 9, 7)


def beta_in_2024(*, scheduled: bool = False, source_publication=Publication.PUBLISHED):
    market = MarketFactory(code="DE")
    event = ModeEventFactory(
        mode=Mode.SEMI_CLOSED_LOOP,
        status_set=Status.BETA,
        date=datetime.date(2024, 1, 1),
        date_precision="year",
        is_scheduled=scheduled,
        markets=[market],
    )
    source = SourceFactory(
        published_on=REPORTED,
        published_precision="day",
        publication=source_publication,
    )
    EventEvidenceFactory(fact=event, source=source)
    return event


def days_everywhere(event) -> set[tuple[str, str]]:
    client = Client()
    listed = client.get("/api/mode-events/").json()
    (row,) = [item for item in listed["results"] if item["slug"] == event.slug]
    detail = client.get(f"/api/mode-events/{event.slug}/").json()
    return {
        (row["date_earliest"], row["date_latest"]),
        (detail["date_earliest"], detail["date_latest"]),
        (event.date_earliest.isoformat(), event.date_latest.isoformat()),
    }


def test_a_beta_of_2024_reported_on_7_september_happened_by_then_on_every_surface():
    event = beta_in_2024()
    assert days_everywhere(event) == {("2024-01-01", "2024-09-07")}
    page = Client().get(event.get_absolute_url()).content.decode()
    assert "2024-01-01 – 2024-09-07" in page
    assert "2024-12-31" not in page
    # The answer is beta for certain the day after the source, as the dates say.
    (cell,) = status_on(Market.objects.all(), datetime.date(2024, 9, 8), [event.mode])
    assert (cell.status, cell.uncertain) == (Status.BETA, False)


def test_what_is_announced_ahead_may_still_come_any_day_its_wording_allows():
    event = beta_in_2024(scheduled=True)
    assert days_everywhere(event) == {("2024-01-01", "2024-12-31")}


def test_an_unpublished_source_bounds_nothing():
    event = beta_in_2024(source_publication=Publication.DRAFT)
    assert (event.date_earliest, event.date_latest) == (
        datetime.date(2024, 1, 1),
        datetime.date(2024, 12, 31),
    )
