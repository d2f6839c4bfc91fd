"""Real headless Chromium (Debian's package) driven by Playwright against live_server.

Playwright never downloads a browser here: it launches /usr/bin/chromium. Where that
is missing the browser tests skip, except under CI=true, where tests/conftest.py turns
the skip into a failure.
"""

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder drives Chromium, so each is marked ``browser`` whether
    its module says so or not: the PostgreSQL half of `make test` leaves it to SQLite's,
    and under CI=true its skip fails (tests/conftest.py)."""
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """One Chromium per module, so that the setting below ends with the module."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: apt-get install chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in the test thread; Django would take
    # every query made there for one made from async code and refuse it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def failing_on_console_errors(page: object, errors: list[str]) -> object:
    """Note every console error and uncaught exception of ``page`` in ``errors``: a
    refused script or style (the content security policy) or a missing file."""
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


@pytest.fixture
def open_page(browser, live_server) -> Iterator[Callable[..., object]]:
    """``open_page(width, locale, **options)``: a page in a fresh browser context (no
    cookies carried over) as wide as a phone or a laptop, in a reader's language; any
    console error of any of them fails the test."""
    contexts, errors = [], []

    def open_(width: int = DESKTOP["width"], locale: str = "zh-CN", **options):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": options.pop("height", 900)},
            locale=locale,
            **options,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return failing_on_console_errors(context.new_page(), errors)

    yield open_
    for context in contexts:
        context.close()
    assert errors == []


@pytest.fixture
def page(open_page) -> object:
    """A page at a laptop's width, in Chinese (see ``open_page``)."""
    return open_page()


def sideways_overflow(page: object) -> float:
    """How far the page scrolls sideways: 0 where it fits the screen."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


#: Every kind of public page, with the article data: one address of each.
PUBLIC_PAGES = (
    "/?as_of=2024-06-01",
    "/markets/",
    "/markets/DE/",
    "/map/?as_of=2024-06-01",
    "/map/?region=europe",
    "/changes/?from=2023-01-01&to=2024-06-01",
    "/events/",
    "/events/semi-closed-loop-closed-end-of-august-2023/",
    "/disputes/semi-closed-loop-us-gb-closure-date/",
    "/sellers/",
    "/sources/",
    "/sources/xiaochuan-semi-closed-loop-closes-end-of-august/",
    "/sources/xiaochuan-semi-closed-loop-eight-markets/text/",
    "/sources/yuguo-kuajing-zhang-ting-interview-2023-08/",
    "/follow/?market=DE",
    "/data/",
    "/search/?q=Shopify",
)


#: How far the page scrolls sideways, and every box in the form that does (a list
#: box, ``<select multiple>``, scrolls its long options as a list should).
SIDEWAYS = """() => ({
  page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
  boxes: [...document.querySelectorAll("#content *")]
    .filter(box => box.tagName !== "SELECT")
    .filter(box => ["auto", "scroll"].includes(getComputedStyle(box).overflowX))
    .filter(box => box.scrollWidth > box.clientWidth)
    .map(box => `${box.tagName.toLowerCase()}.${box.className}: ${box.scrollWidth} px`
      + ` in ${box.clientWidth}`),
})"""
FITS = {"page": 0, "boxes": []}


def sign_in_as_superuser(page: object, username: str = "analyst") -> object:
    """``page`` signed in to the admin as a superuser named ``username``, made here
    unless it exists: tables are flushed between the browser tests."""
    if not User.objects.filter(username=username).exists():
        User.objects.create_superuser(username, password="not-a-real-one")
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "not-a-real-one")
    page.locator("input[type=submit]").click()
    page.wait_for_url("**/admin/")
    return page
