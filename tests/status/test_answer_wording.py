"""The answer's words on every surface: the start as the sources date it, what is only
scheduled, and how old the evidence is (status.wording), in both languages."""

import datetime
import re

import pytest
from django.test import Client

from markets.dates import DatePrecision
from markets.models import EventKind, Mode
from markets.vocabulary import Status
from tests.factories import (
    DisputeFactory,
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

MODE = Mode.SEMI_CLOSED_LOOP


def claim(market, status, kind, date, precision, published_on, **fields):
    event = ModeEventFactory(
        mode=MODE,
        status_set=status,
        kind=kind,
        date=datetime.date.fromisoformat(date),
        date_precision=precision,
        markets=[market],
        **fields,
    )
    EventEvidenceFactory(
        fact=event,
        source=SourceFactory(
            published_on=datetime.date.fromisoformat(published_on),
            published_precision=DatePrecision.DAY,
        ),
    )
    return event


def api_cell(code: str, day: str, language: str = "en") -> dict:
    reader = Client(headers={"accept-language": language})
    cells = reader.get("/api/status/", {"as_of": day, "mode": MODE}).json()
    (cell,) = [cell for cell in cells if cell["market"] == code]
    return cell


def badge(code: str, day: str, language: str = "en") -> str:
    reader = Client(headers={"accept-language": language})
    svg = reader.get(f"/badges/{code}/{MODE}.svg", {"as_of": day}).content.decode()
    return re.search(r"<title>(.*?)</title>", svg).group(1)


@pytest.fixture
def germany():
    return MarketFactory(code="DE", name_en="Germany", name_zh="德国")


@pytest.fixture
def beta_from_february(germany):
    """A beta dated to February 2024, reported on 10 March."""
    return claim(
        germany,
        Status.BETA,
        EventKind.BETA_LAUNCH,
        "2024-02-01",
        DatePrecision.MONTH,
        "2024-03-10",
    )


def test_a_beta_dated_to_a_month_reads_since_that_month_not_its_first_certain_day(
    beta_from_february,
):
    cell = api_cell("DE", "2024-06-01")
    assert cell["since"] is None
    assert cell["start"]["text"] == "Feb 2024"
    assert (cell["start"]["earliest"], cell["start"]["latest"]) == (
        "2024-02-01",
        "2024-02-29",
    )
    assert cell["in_words"] == "Beta, since Feb 2024"
    assert badge("DE", "2024-06-01") == (
        "Semi-closed loop in Germany: beta since Feb 2024, as of 2024-06-01"
    )
    assert "自2024年2月起内测" in badge("DE", "2024-06-01", "zh-hans")
    for language in ("en", "zh-hans"):
        assert "2024-03-01" not in badge("DE", "2024-06-01", language)


def test_a_disputed_closure_reads_both_claims_dates_not_the_day_after_them():
    usa = MarketFactory(code="US", name_en="United States", name_zh="美国")
    claim(
        usa,
        Status.LIVE,
        EventKind.LAUNCH,
        "2021-01-01",
        DatePrecision.YEAR,
        "2021-06-01",
    )
    dispute = DisputeFactory()
    for date, precision in (
        ("2023-08-01", DatePrecision.MONTH_END),
        ("2023-09-01", DatePrecision.MONTH),
    ):
        claim(
            usa,
            Status.CLOSED,
            EventKind.CLOSURE_EFFECTIVE,
            date,
            precision,
            "2023-10-20",
            dispute=dispute,
        )
    cell = api_cell("US", "2024-03-01")
    assert cell["status"] == "closed" and cell["since"] is None
    assert cell["start"]["disputed"] is True
    assert cell["start"]["text"] == "end of Aug 2023 or Sep 2023"
    assert "closed since end of Aug 2023 or Sep 2023" in badge("US", "2024-03-01")
    assert "2023-10-01" not in badge("US", "2024-03-01")
    assert "自2023年8月底或2023年9月起已关闭" in badge("US", "2024-03-01", "zh-hans")


def test_a_launch_announced_for_october_is_never_shown_as_done(germany):
    claim(
        germany,
        Status.LIVE,
        EventKind.LAUNCH_PLANNED,
        "2024-10-01",
        DatePrecision.MONTH,
        "2024-09-07",
        is_scheduled=True,
    )
    inside = api_cell("DE", "2024-10-15")
    # Inside the announced month: uncertain, and nothing reported can make it certain.
    assert (inside["uncertain"], inside["scheduled"]) == (True, True)
    assert inside["certain_from"] is None and inside["shown_as"] == "uncertain"
    after = api_cell("DE", "2024-11-15")
    assert (after["status"], after["scheduled"], after["shown_as"]) == (
        "live",
        True,
        "scheduled",
    )
    assert after["since"] is None
    english = badge("DE", "2024-11-15")
    assert "scheduled to go live in Oct 2024, not reported done" in english
    assert "since" not in english
    chinese = badge("DE", "2024-11-15", "zh-hans")
    assert "计划上线（2024年10月）" in chinese and "已上线" not in chinese

    home = Client(headers={"accept-language": "en"}).get("/", {"as_of": "2024-11-15"})
    answer = next(a for a in home.context["grid"].answers if a.mode == MODE)
    assert answer.by_status[Status.LIVE] == [] and answer.scheduled[0].market == germany
    page = home.content.decode()
    assert 'class="answer-scheduled"' in page
    world = Client().get("/map/", {"as_of": "2024-11-15", "mode": MODE})
    assert 'map-scheduled" data-market="DE"' in world.content.decode()
    market = Client().get("/markets/DE/", {"as_of": "2024-11-15"}).content.decode()
    assert "band status-scheduled band--scheduled" in market


def test_a_beta_this_spring_reads_spring_not_the_day_after_its_report(germany):
    claim(
        germany,
        Status.BETA,
        EventKind.BETA_LAUNCH,
        "2024-03-01",
        DatePrecision.SEASON,
        "2024-09-07",
    )
    cell = api_cell("DE", "2024-10-01")
    assert cell["start"]["text"] == "spring 2024 (Mar–May)"
    assert "beta since spring 2024 (Mar–May)" in badge("DE", "2024-10-01")
    assert "2024-09-08" not in badge("DE", "2024-10-01")


def test_a_stale_answer_says_stale_on_its_badge_as_in_the_api(beta_from_february):
    assert api_cell("DE", "2026-12-07")["stale"] is True
    assert badge("DE", "2026-12-07").endswith("stale: newest evidence of 2024-03-10")
    assert "已过时" in badge("DE", "2026-12-07", "zh-hans")
    assert api_cell("DE", "2024-06-01")["stale"] is False
    assert "stale" not in badge("DE", "2024-06-01")


def test_links_from_the_answer_keep_the_day_asked(beta_from_february):
    reader = Client(headers={"accept-language": "en"})
    home = reader.get("/", {"as_of": "2024-06-01"}).content.decode()
    # The summary card's sentence, the grid's row header and the colour matrix.
    assert home.count('href="/markets/DE/?as_of=2024-06-01"') >= 3
    assert 'href="/markets/DE/"' not in home
    world = reader.get("/map/", {"as_of": "2024-06-01", "mode": MODE}).content.decode()
    assert 'href="/markets/DE/?as_of=2024-06-01"' in world
