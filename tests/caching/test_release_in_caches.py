"""The running release (settings.RELEASE) enters every cache key and validator: after a
deploy nothing drawn by the old code or templates is served, nor confirmed with a 304."""

import datetime

import pytest
from django.test import Client

from caching.kept import drawn_once, kept_drawing
from config.release import derived_release
from tests.caching.test_kept_reads import in_a_request
from tests.factories import MarketFactory, ModeEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def record() -> None:
    germany = MarketFactory(code="DE")
    ModeEventFactory(slug="beta", markets=[germany], date=datetime.date(2024, 2, 1))


@pytest.mark.parametrize(
    "url", ["/", "/events/", "/events/feed/", "/api/mode-events/", "/data/"]
)
def test_after_a_new_release_the_old_etag_gets_the_whole_answer_not_a_304(
    record, settings, url
):
    settings.RELEASE = "old"
    old = Client().get(url)
    assert Client().get(url, headers={"if-none-match": old["ETag"]}).status_code == 304
    settings.RELEASE = "new"
    new = Client().get(url, headers={"if-none-match": old["ETag"]})
    assert new.status_code == 200
    assert new["ETag"] != old["ETag"]


def test_a_row_drawn_under_the_old_release_is_not_served(settings):
    drawings: list[list[str]] = []

    def draw(items):
        drawings.append(list(items))
        return [f"<tr>{item} ({settings.RELEASE})</tr>" for item in items]

    settings.RELEASE = "old"
    in_a_request(lambda: drawn_once("row", ["a", "b"], str, draw))
    assert in_a_request(lambda: drawn_once("row", ["a", "b"], str, draw)) == [
        "<tr>a (old)</tr>",
        "<tr>b (old)</tr>",
    ]
    settings.RELEASE = "new"
    assert in_a_request(lambda: drawn_once("row", ["a", "b"], str, draw)) == [
        "<tr>a (new)</tr>",
        "<tr>b (new)</tr>",
    ]
    assert drawings == [["a", "b"], ["a", "b"]]


def test_a_page_drawn_under_the_old_release_is_not_served(record, settings):
    settings.RELEASE = "old"
    assert (
        in_a_request(lambda: kept_drawing("page", "/", lambda: "old page"))
        == "old page"
    )
    assert (
        in_a_request(lambda: kept_drawing("page", "/", lambda: "never drawn"))
        == "old page"
    )
    settings.RELEASE = "new"
    assert (
        in_a_request(lambda: kept_drawing("page", "/", lambda: "new page"))
        == "new page"
    )


def test_a_change_in_an_app_added_after_the_release_rule_changes_the_release(tmp_path):
    """Every app's folder counts, listed or not: status/, intake/ and caching/ were once
    left out, so a change to the rule kept serving answers drawn by the old one."""
    for folder in ("config", "locale", "requirements", "newapp"):
        (tmp_path / folder).mkdir()
    (tmp_path / "newapp" / "apps.py").write_text("# an app\n")
    (tmp_path / "newapp" / "rule.py").write_text("ANSWER = 1\n")
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "draft.txt").write_text("not the site\n")
    before = derived_release(tmp_path)

    (tmp_path / "notes" / "draft.txt").write_text("still not the site\n")
    assert derived_release(tmp_path) == before
    (tmp_path / "newapp" / "rule.py").write_text("ANSWER = 2\n")
    assert derived_release(tmp_path) != before
