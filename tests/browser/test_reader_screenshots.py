"""The pages a first-time reader sees, on a phone and on a laptop, in both languages:
`make screenshots` writes their first screen to docs/screenshots/readers/, and the
page heights at 390 px to docs/screenshots/readers/heights.json.

``LOOPWATCH_SCREENSHOTS_AS`` names the set ("after" unless set): the documentation
keeps the screens as they were before the readers' round beside today's.
Deselected from ordinary runs (see pyproject.toml). Chinese text needs a CJK font on
the machine, e.g. Debian's fonts-noto-cjk.
"""

import json
import os
from pathlib import Path

import pytest
from django.conf import settings

from tests.browser.conftest import sign_in_as_superuser

pytestmark = [
    pytest.mark.browser,
    pytest.mark.screenshots,
    pytest.mark.django_db(transaction=True),
]

READERS = Path(settings.BASE_DIR) / "docs" / "screenshots" / "readers"
SET = os.environ.get("LOOPWATCH_SCREENSHOTS_AS", "after")
PAGES = {
    "home": "/?as_of=2024-06-01",
    "markets": "/markets/?as_of=2024-06-01",
    "changes": "/changes/?from=2023-06-01&to=2024-06-01",
    "map": "/map/?as_of=2024-06-01",
    "market-de": "/markets/DE/?as_of=2024-06-01",
    "admin": "/admin/",
}
SCREENS = {"phone": (390, 844), "laptop": (1366, 900)}
LOCALES = {"en": "en-GB", "zh": "zh-CN"}


@pytest.fixture
def signed_in(open_page, live_server) -> object:
    """``signed_in(width, locale)``: a page whose context holds a superuser's session,
    for the admin's index; the public pages are read without one."""

    def open_(width: int, height: int, locale: str) -> object:
        page = open_page(width, locale, height=height)
        return sign_in_as_superuser(page, "screenshots")

    return open_


@pytest.mark.parametrize("screen", SCREENS)
@pytest.mark.parametrize("language", LOCALES)
def test_readers_screens(open_page, signed_in, article_data, screen, language):
    width, height = SCREENS[screen]
    folder = READERS / SET
    folder.mkdir(parents=True, exist_ok=True)
    heights = {}
    for name, address in PAGES.items():
        if name == "admin":
            page = signed_in(width, height, LOCALES[language])
        else:
            page = open_page(width, LOCALES[language], height=height)
        response = page.goto(address)
        assert response.ok, address
        heights[name] = page.evaluate("document.documentElement.scrollHeight")
        page.screenshot(
            path=folder / f"{name}-{language}-{width}.jpg", type="jpeg", quality=70
        )
    record = READERS / "heights.json"
    known = json.loads(record.read_text()) if record.exists() else {}
    known.setdefault(SET, {})[f"{language}-{width}"] = heights
    record.write_text(json.dumps(known, indent=2, sort_keys=True) + "\n")
