"""A release holds what the public sees, validates as a Frictionless Data Package, and
says what changed since the one before."""

import ast
import csv
import io
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from frictionless import Package, validate
from rest_framework.test import APIClient

import datasets
from datasets.models import ImmutableReleaseError, Release
from datasets.tables import RESOURCES
from markets.models import (
    EventEvidence,
    Market,
    ModeEvent,
    Publication,
    Source,
)
from sellers.models import SellerCase
from tests.datasets.conftest import make_release, member, unzipped
from tests.factories import (
    EventEvidenceFactory,
    MarketFactory,
    ModeEventFactory,
    SellerCaseEvidenceFactory,
    SellerCaseFactory,
    SourceFactory,
)

pytestmark = pytest.mark.django_db

#: The API's lists that the release's record.json repeats, with each one's key.
API_LISTS = {
    "markets": "code",
    "sources": "slug",
    "disputes": "slug",
    "mode-events": "slug",
    "market-figures": "uuid",
    "seller-cases": "slug",
    "seller-figures": "uuid",
}


def table(release: Release, name: str) -> list[dict[str, str]]:
    text = member(release, f"{name}.csv").decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_a_release_of_the_article_data_validates_as_a_data_package(release, tmp_path):
    descriptor = unzipped(release, tmp_path) / "datapackage.json"

    report = validate(descriptor)

    assert report.valid, report.flatten(["resourceName", "type", "note"])
    package = Package(descriptor)
    assert package.version == release.version
    assert package.licenses[0]["name"] == "CC-BY-4.0"
    for resource in RESOURCES:
        assert (
            len(package.get_resource(resource.name).read_rows())
            == (release.counts[resource.name])
        ), resource.name


def test_every_table_is_a_utf8_csv_with_a_byte_order_mark_and_chinese_intact(release):
    markets = member(release, "markets.csv")

    assert markets.startswith(b"\xef\xbb\xbfcode,name_zh,name_en,region,")
    germany = next(row for row in table(release, "markets") if row["code"] == "DE")
    assert germany["name_zh"] == Market.objects.get(code="DE").name_zh


def test_the_record_json_is_what_the_public_api_lists(release):
    record = json.loads(member(release, "record.json"))
    # The record is written in English, as the archive is.
    api = APIClient(headers={"Accept-Language": "en"})

    for name, key in API_LISTS.items():
        listed = api.get(f"/api/{name}/", {"page_size": 500}).json()
        assert listed["next"] is None
        assert sorted(record[name], key=lambda row, key=key: row[key]) == sorted(
            listed["results"], key=lambda row, key=key: row[key]
        ), name
        assert release.counts[name] == len(listed["results"])


def test_drafts_and_their_quotes_never_appear_in_a_release(article_data, tmp_path):
    germany = Market.objects.get(code="DE")
    draft_market = MarketFactory(
        code="NO", name_en="Draft market", publication=Publication.DRAFT
    )
    draft_event = ModeEventFactory(
        slug="draft-event", markets=[germany], publication=Publication.DRAFT
    )
    EventEvidenceFactory(fact=draft_event, quote="引自草稿事件")
    draft_source = SourceFactory(slug="draft-source", publication=Publication.DRAFT)
    public_event = ModeEventFactory(
        slug="public-event", markets=[germany, draft_market]
    )
    EventEvidenceFactory(fact=public_event, source=draft_source, quote="草稿来源的原话")
    draft_case = SellerCaseFactory(
        slug="draft-case", reacts_to=public_event, publication=Publication.DRAFT
    )
    SellerCaseEvidenceFactory(fact=draft_case, quote="草稿卖家的原话")
    SellerCaseFactory(slug="case-of-draft", reacts_to=draft_event)

    release = make_release()

    files = unzipped(release, tmp_path)
    everything = "".join(
        path.read_text(encoding="utf-8-sig") for path in sorted(files.iterdir())
    )
    for draft in (
        "draft-event",
        "引自草稿事件",
        "draft-source",
        "草稿来源的原话",
        "Draft market",
        "draft-case",
        "草稿卖家的原话",
    ):
        assert draft not in everything, draft
    # The published event is there, with only its published market and quotes.
    assert {"mode_event": "public-event", "market": "DE"} in table(
        release, "mode-event-markets"
    )
    assert not [
        row for row in table(release, "mode-event-markets") if row["market"] == "NO"
    ]
    cases = {row["slug"]: row for row in table(release, "seller-cases")}
    assert cases["case-of-draft"]["reacts_to"] == ""
    assert validate(files / "datapackage.json").valid


def test_the_first_release_says_it_is_the_first(release):
    assert release.is_first
    assert release.changes == []
    assert release.version == timezone.localdate().strftime("%Y.%m.%d")
    assert (
        "The first release: every record is new."
        in member(release, "CHANGELOG.md").decode()
    )


def test_the_changelog_lists_the_rows_added_changed_and_removed(release, tmp_path):
    germany = Market.objects.get(code="DE")
    ModeEventFactory(slug="a-new-event", markets=[germany])
    germany.name_en = "Federal Republic of Germany"
    germany.save()
    removed = SellerCase.objects.public().order_by("slug").last()
    removed.publication = Publication.DRAFT
    removed.save()

    second = make_release(notes="Germany renamed")

    assert second.version == f"{release.version}.2"
    assert second.previous_version == release.version
    changes = {entry["resource"]: entry for entry in second.changes}
    assert changes["mode-events"]["added"] == ["a-new-event"]
    assert changes["markets"]["changed"] == [{"key": "DE", "fields": ["name_en"]}]
    assert changes["seller-cases"]["removed"] == [removed.slug]
    assert changes["mode-event-markets"]["added"] == ["a-new-event / DE"]
    changelog = member(second, "CHANGELOG.md").decode()
    assert "- added: `a-new-event`" in changelog
    assert "- changed: `DE` (name_en)" in changelog
    assert f"- removed: `{removed.slug}`" in changelog
    # The older release's section is kept below the newer one's.
    assert changelog.index(second.version) < changelog.index("The first release")
    assert validate(unzipped(second, tmp_path) / "datapackage.json").valid


def test_a_release_with_nothing_changed_says_so(release):
    second = make_release()

    assert second.changes == []
    assert (
        f"No record changed since {release.version}."
        in member(second, "CHANGELOG.md").decode()
    )


def test_asked_only_if_changed_a_release_is_made_first_and_after_a_change(
    article_data,
):
    def release_if_changed() -> str:
        output = io.StringIO()
        call_command("release_dataset", "--if-changed", stdout=output)
        return output.getvalue()

    assert "the first release" in release_if_changed()
    assert "none made" in release_if_changed()
    assert Release.objects.count() == 1

    event = ModeEvent.objects.get(slug="semi-closed-loop-beta-eight-markets-2024-02")
    event.summary_en += " (checked)"
    event.save()
    assert "1 row added, removed or changed" in release_if_changed()
    assert Release.objects.count() == 2


def test_a_save_that_changes_nothing_shown_is_no_change(release):
    source = Source.objects.get(slug="xiaochuan-semi-closed-loop-eight-markets")
    source.save()  # raises its version and updated_at only

    assert make_release().changes == []


def test_a_removed_quote_is_listed_by_its_identifier(release):
    quote = EventEvidence.objects.filter(
        fact__publication=Publication.PUBLISHED
    ).first()
    quote.delete()

    changes = {entry["resource"]: entry for entry in make_release().changes}

    assert changes["evidence"]["removed"] == [str(quote.uuid)]


def test_a_release_is_never_changed(release):
    release.notes = "rewritten"

    with pytest.raises(ImmutableReleaseError):
        release.save()
    assert Release.objects.get().notes == "Article data"


def test_the_archive_checksums_and_sizes_are_those_of_its_files(release):
    assert release.size == len(bytes(release.archive))
    descriptor = json.loads(member(release, "datapackage.json"))
    listed = {file["name"]: file for file in release.files}
    for resource in descriptor["resources"]:
        assert resource["hash"] == f"sha256:{listed[resource['path']]['sha256']}"
        assert resource["bytes"] == listed[resource["path"]]["size"]


def test_the_release_command_needs_no_frictionless():
    """Frictionless is a test dependency: making a release writes JSON by hand."""
    for path in Path(datasets.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text())
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            (node.module or "").split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom)
        }
        assert "frictionless" not in imported, path
    base = Path(settings.BASE_DIR) / "requirements" / "base.txt"
    assert "frictionless" not in base.read_text().lower()


def test_a_release_of_an_empty_record_is_still_a_valid_package(db, tmp_path):
    release = make_release()

    assert sum(release.counts.values()) == 0
    assert validate(unzipped(release, tmp_path) / "datapackage.json").valid
    assert ModeEvent.objects.count() == 0
