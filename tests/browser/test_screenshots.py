"""The documentation's screenshots, made from the article data: `make screenshots`.

Deselected from ordinary runs (see pyproject.toml): they rewrite files in docs/.
Chinese text needs a CJK font on the machine, e.g. Debian's fonts-noto-cjk.
"""

from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import sign_in_as_superuser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.screenshots,
    pytest.mark.django_db(transaction=True),
]

SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("/?as_of=2024-06-01", "home.png"),
        ("/markets/DE/", "market-de.png"),
        # A disputed answer: the closure between the end of August and September.
        ("/markets/US/?as_of=2023-09-15", "answer-disputed.png"),
        # A stale one: today, on evidence from 2024.
        ("/markets/DE/?as_of=2026-12-01", "answer-stale.png"),
        # What changed in the semi-closed loop between two days: the first screen.
        (
            "/changes/?from=2023-06-01&to=2024-06-01&mode=semi_closed_loop",
            "changes.png",
        ),
        # The semi-closed loop on a day its beta had begun somewhere in the month.
        ("/map/?as_of=2024-02-10", "map.png"),
        ("/follow/?market=DE&mode=semi_closed_loop", "follow.png"),
        # A seller's figures before and after, as charts above the table.
        ("/sellers/wang-lei-hangzhou/", "seller-case.png"),
    ],
)
def test_screenshot(page, article_data, address, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1200, "height": 800})
    page.goto(address)
    if name.startswith("answer-"):
        # Open the semi-closed loop's answer: its claims, quotes and sources.
        page.locator(
            '.status-card[data-mode="semi_closed_loop"] details summary'
        ).click()
    # A long list shows its first screen only.
    page.screenshot(path=SCREENSHOTS / name, full_page=name != "changes.png")


@pytest.fixture
def staff_page(page) -> object:
    """Signed in to the admin."""
    return sign_in_as_superuser(page, "screenshots")


def test_screenshot_of_the_intake(staff_page, article_data):
    """The suggestions of the first article, and an event's form with the article's
    text beside it, its quote marked where it stands."""
    from markets.models import EventEvidence, Source

    page = staff_page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 900})
    source = Source.objects.get(slug="xiaochuan-semi-closed-loop-eight-markets")
    page.goto(f"/admin/markets/source/{source.pk}/suggestions/")
    page.locator("fieldset.intake-candidate").first.scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "intake-suggestions.png")
    evidence = EventEvidence.objects.filter(source=source).order_by("pk").first()
    page.goto(f"/admin/markets/modeevent/{evidence.fact_id}/change/")
    page.locator(".source-text-panel mark").wait_for(state="visible")
    page.screenshot(path=SCREENSHOTS / "intake-cite.png")
