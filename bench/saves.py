"""`make bench`'s saves: an analyst's save of one event, as the admin and the API make it.

Each save moves the event's date by a day, which the status rule reads, so every one
rewrites the status index where the event reaches: its one market, its eight, or, for
a worldwide event, every market of its mode. The eight-market and the worldwide event
are added to the synthetic set the first time (the set has neither); their dates lie
before the synthetic events', so they decide no answer the read paths measure.
"""

import datetime
import statistics
import time
from collections.abc import Callable
from functools import partial

from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection
from django.db.models import Count
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from markets.dates import DatePrecision
from markets.models import (
    EventKind,
    EventScope,
    Market,
    Mode,
    ModeEvent,
    Publication,
    StatusSet,
)

#: The day the added events happen on, and the one a save moves them to and back.
ADDED_ON = datetime.date(2019, 6, 3)
ONE_DAY = datetime.timedelta(days=1)


def one_market_event() -> ModeEvent:
    """A synthetic event setting a status in one market, dated to the day."""
    return (
        ModeEvent.objects.setting_status()
        .filter(date_precision=DatePrecision.DAY, scope=EventScope.MARKETS)
        .annotate(market_count=Count("markets"))
        .filter(market_count=1)
        .order_by("pk")
        .first()
    )


def added_event(summary: str, scope: str, markets: int) -> ModeEvent:
    """The event of the benchmark that ``summary`` names, added on the first run."""
    event = ModeEvent.objects.filter(summary_en=summary).first()
    if event is not None:
        return event
    event = ModeEvent.objects.create(
        mode=Mode.CLOSED_LOOP,
        kind=EventKind.LAUNCH,
        status_set=StatusSet.LIVE,
        scope=scope,
        date=ADDED_ON,
        date_precision=DatePrecision.DAY,
        summary_en=summary,
        publication=Publication.PUBLISHED,
    )
    if markets:
        event.markets.set(Market.objects.order_by("pk")[:markets])
    return event


def saved_events() -> dict[str, ModeEvent]:
    """The event each scope's save edits."""
    return {
        "1 market": one_market_event(),
        "8 markets": added_event(
            "Benchmark: a launch in eight markets.", EventScope.MARKETS, 8
        ),
        "worldwide": added_event(
            "Benchmark: a launch worldwide.", EventScope.WORLDWIDE, 0
        ),
    }


def moved_date(event: ModeEvent) -> datetime.date:
    """The event's date a day on, or back: every other save undoes the last."""
    event.refresh_from_db()
    return event.date + (ONE_DAY if event.date.toordinal() % 2 == 0 else -ONE_DAY)


def field_value(bound) -> list[str] | str | None:
    """A bound field's value as a browser posts it (None: not posted)."""
    value = bound.value()
    if value is None or value is False:
        return None
    if value is True:
        return "on"
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def admin_form_data(user: User, event: ModeEvent) -> dict:
    """The admin's change form of ``event`` as it opens, with its inlines, as posted."""
    url = reverse("admin:markets_modeevent_change", args=[event.pk])
    request = RequestFactory().get(url)
    request.user = user
    model_admin = admin.site._registry[ModeEvent]
    form = model_admin.get_form(request, event, change=True)(instance=event)
    data = {}
    for name in form.fields:
        data[name] = field_value(form[name])
    for formset_class, _inline in model_admin.get_formsets_with_inlines(request, event):
        formset = formset_class(instance=event)
        for name in formset.management_form.fields:
            data[formset.management_form.add_prefix(name)] = field_value(
                formset.management_form[name]
            )
        for inline_form in formset.forms:
            for name in inline_form.fields:
                data[inline_form.add_prefix(name)] = field_value(inline_form[name])
    return {name: value for name, value in data.items() if value is not None}


def admin_save(client: Client, user: User, event: ModeEvent) -> Callable[[], None]:
    """The POST of the admin's change form, the event a day on: prepared, then sent."""
    url = reverse("admin:markets_modeevent_change", args=[event.pk])
    data = admin_form_data(user, event)
    data.update(
        date=moved_date(event).isoformat(), change_reason="Benchmark: date moved."
    )

    def send() -> None:
        response = client.post(url, data)
        assert response.status_code == 302, (url, response.status_code)

    return send


def api_save(client: Client, user: User, event: ModeEvent) -> Callable[[], None]:
    """The API's PATCH of the event's date, a day on, at the version it was read at:
    prepared, then sent."""
    url = f"/api/mode-events/{event.slug}/"
    body = {"date": moved_date(event).isoformat(), "version": event.version}

    def send() -> None:
        response = client.patch(url, body, content_type="application/json")
        assert response.status_code == 200, (url, response.status_code)

    return send


def measure_save(
    name: str,
    prepare: Callable[[], Callable[[], None]],
    seconds: float,
) -> dict:
    """Latencies and queries of a save; each is prepared (the form read) untimed."""
    for _ in range(3):
        prepare()()
    latencies = []
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        send = prepare()
        start = time.perf_counter()
        send()
        latencies.append(time.perf_counter() - start)
    send = prepare()
    with CaptureQueriesContext(connection) as queries:
        send()
    latencies.sort()
    return {
        "name": name,
        "url": "",
        "requests": len(latencies),
        "rps": round(len(latencies) / sum(latencies), 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 2),
        "p95_ms": round(latencies[max(int(len(latencies) * 0.95) - 1, 0)] * 1000, 2),
        "queries": len(queries.captured_queries),
    }


def measure_saves(only: str, seconds: float) -> list[dict]:
    """Each scope's save through the admin and through the API (those ``only`` names)."""
    user = User.objects.filter(username="bench-analyst").first()
    if user is None:
        user = User.objects.create_superuser("bench-analyst", password=None)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    results = []
    for scope, event in saved_events().items():
        for way, save in (("admin POST", admin_save), ("api PATCH", api_save)):
            name = f"save of an event, {way}, {scope}"
            if only in name:
                results.append(
                    measure_save(name, partial(save, client, user, event), seconds)
                )
    return results
