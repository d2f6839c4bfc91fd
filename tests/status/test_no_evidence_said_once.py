"""On the grid of every market (the home page, the market list), what no source speaks
of is said once: markets without any evidence are named in one line instead of a row
(a card on a phone) each, and a card names its modes without evidence in one line.
Where every answer of a card is stale, the card says so once."""

import datetime
import re

import pytest
from django.utils import translation

from markets.models import EventKind, Market, Mode, Status
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

DAY = "2024-06-01"
GRID_PAGES = ("/", "/markets/")


@pytest.fixture
def germany() -> Market:
    """In beta in the semi-closed loop since February 2024; no source speaks of its
    other modes."""
    market = MarketFactory(code="DE", name_zh="德国", name_en="Germany")
    event = ModeEventFactory(markets=[market], date=datetime.date(2024, 2, 1))
    EventEvidenceFactory(fact=event, source=SourceFactory())
    return market


@pytest.fixture
def canada() -> Market:
    """No source speaks of it in any mode."""
    return MarketFactory(code="CA", name_zh="加拿大", name_en="Canada")


def rows(page: str) -> dict[str, str]:
    """The grid's rows, by the code of their market."""
    return {
        re.search(r'class="code">(\w+)<', row).group(1): row
        for row in re.findall(r"<tr[^>]*>\s*<th scope=\"row\">.*?</tr>", page, re.S)
    }


def no_evidence_line(page: str) -> str:
    found = re.search(r'<p class="no-evidence-yet">(.*?)</p>', page, re.S)
    return found.group(1) if found else ""


@pytest.mark.parametrize("address", GRID_PAGES)
def test_a_market_without_evidence_is_named_in_one_line_not_given_a_card(
    client, germany, canada, address
):
    page = client.get(address, {"as_of": DAY}, headers={"accept-language": "en"})
    page = page.content.decode()
    assert "CA" not in rows(page)
    line = no_evidence_line(page)
    assert line.startswith("No evidence yet: ")
    # The link keeps the day the grid answers for.
    assert f'href="{canada.get_absolute_url()}?as_of={DAY}"' in line
    assert "Germany" not in line


@pytest.mark.parametrize("address", GRID_PAGES)
def test_a_market_with_evidence_keeps_its_card_and_names_its_other_modes_once(
    client, germany, canada, address
):
    page = client.get(address, {"as_of": DAY}, headers={"accept-language": "en"})
    row = rows(page.content.decode())["DE"]
    assert f'href="{germany.get_absolute_url()}?as_of={DAY}"' in row
    assert 'data-status="beta"' in row
    with translation.override("en"):
        others = ", ".join(
            str(Mode(mode).label) for mode in (Mode.CLOSED_LOOP, Mode.FULLY_MANAGED)
        )
    assert (
        f'<small class="status-grid__no-evidence">No evidence yet: {others}</small>'
        in row
    )


def test_the_line_is_in_the_readers_language(client, germany, canada):
    page = client.get(
        "/markets/", {"as_of": DAY}, headers={"accept-language": "zh-hans"}
    )
    line = no_evidence_line(page.content.decode())
    assert line.startswith("暂无证据：") and "加拿大" in line


def test_with_no_market_to_draw_as_a_card_only_the_line_is_shown(client, canada):
    page = client.get("/markets/", {"as_of": DAY}).content.decode()
    assert '<table class="status-grid">' not in page
    assert canada.get_absolute_url() in no_evidence_line(page)


def test_a_card_whose_answers_are_all_stale_says_so_once(client, germany):
    closed_loop = ModeEventFactory(
        markets=[germany],
        mode=Mode.CLOSED_LOOP,
        kind=EventKind.LAUNCH,
        status_set=Status.LIVE,
        date=datetime.date(2024, 1, 1),
    )
    EventEvidenceFactory(fact=closed_loop, source=SourceFactory())
    # Both answers rest on sources of 2024: stale by 2026.
    page = client.get("/markets/", {"as_of": "2026-06-01"}).content.decode()
    row = rows(page)["DE"]
    assert row.startswith('<tr class="status-grid__row--stale-once">')
    header = row.split("</th>")[0]
    assert header.count("badge--stale") == 1


def test_a_card_with_one_stale_answer_says_it_beside_that_answer_alone(client, germany):
    page = client.get("/markets/", {"as_of": "2026-06-01"}).content.decode()
    row = rows(page)["DE"]
    assert "status-grid__row--stale-once" not in row
    assert "badge--stale" not in row.split("</th>")[0]
