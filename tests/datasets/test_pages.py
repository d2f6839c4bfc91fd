"""/data/ lists the releases for every reader alike, and serves their files."""

import hashlib

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from datasets.models import Release
from markets.models import Market
from tests.datasets.conftest import make_release, member

pytestmark = pytest.mark.django_db

PAGE = "/data/"


@pytest.fixture
def two_releases(release) -> tuple[Release, Release]:
    """The article data's release, and one after Germany was renamed."""
    germany = Market.objects.get(code="DE")
    germany.name_en = "Federal Republic of Germany"
    germany.save()
    return release, make_release(notes="Germany renamed")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_page_lists_the_releases_newest_first_in_either_language(
    two_releases, language
):
    first, second = two_releases

    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(PAGE)

    assert response.status_code == 200
    assert response["Content-Language"] == language
    page = response.content.decode()
    assert f'<html lang="{language}">' in page
    assert page.index(f'id="release-{second.version}"') < page.index(
        f'id="release-{first.version}"'
    )
    for release in two_releases:
        assert release.sha256 in page
        assert release.get_absolute_url() in page
        assert (
            reverse("datasets:release-file", args=[release.version, "markets.csv"])
            in page
        )
    assert "Germany renamed" in page
    # The second release's changes, down to the column.
    assert "<code>DE</code> (name_en)" in page


def test_the_page_says_the_first_release_is_the_first(release):
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(PAGE).content.decode()

    assert "The first release: every record is new." in page
    assert f"{release.counts['mode-events']}</td>" in page


def test_the_page_without_a_release_says_so(db):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get(PAGE)

    assert response.status_code == 200
    assert "No dataset has been released yet." in response.content.decode()


def test_the_page_holds_nothing_per_visitor(two_releases):
    Client().get(PAGE)
    second_visitor = Client()

    response = second_visitor.get(PAGE)

    assert response.cookies == {}
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert response["Cache-Control"].startswith("public")
    assert "Accept-Language" in response["Vary"]


def test_the_page_answers_304_to_a_reader_who_holds_it(two_releases):
    client = Client()
    etag = client.get(PAGE)["ETag"]

    assert client.get(PAGE, HTTP_IF_NONE_MATCH=etag).status_code == 304
    make_release()
    assert client.get(PAGE, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_a_signed_in_reader_gets_a_private_page(two_releases, analyst_client):
    response = analyst_client.get(PAGE)

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"


def test_the_page_reads_the_same_few_queries_however_many_releases(
    article_data, django_assert_max_num_queries
):
    """Guards an N+1: files, counts and changes come from each release's own row."""
    for _release in range(12):
        make_release()
    client = Client()

    for page in ("", "?page=2"):
        with django_assert_max_num_queries(3):
            assert client.get(PAGE + page).status_code == 200


def test_the_footer_links_to_the_data(db):
    page = Client().get("/sources/").content.decode()

    assert f'href="{PAGE}"' in page


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("markets.csv", "text/csv; charset=utf-8"),
        ("evidence.csv", "text/csv; charset=utf-8"),
        ("datapackage.json", "application/json"),
        ("record.json", "application/json"),
        ("CHANGELOG.md", "text/markdown; charset=utf-8"),
        ("README.md", "text/markdown; charset=utf-8"),
        ("LICENSE.txt", "text/plain; charset=utf-8"),
    ],
)
def test_each_file_of_a_release_downloads_as_it_is_in_the_zip(
    release, name, content_type
):
    response = Client().get(f"/data/{release.version}/{name}")

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response.content == member(release, name)
    assert response["ETag"] == f'"{hashlib.sha256(response.content).hexdigest()}"'
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_the_zip_downloads_with_its_checksum_as_etag(release):
    response = Client().get(release.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="loopwatch-{release.version}.zip"'
    )
    assert response["ETag"] == f'"{release.sha256}"'
    assert hashlib.sha256(response.content).hexdigest() == release.sha256


def test_a_download_answers_304_to_a_reader_who_holds_it(
    release, django_assert_max_num_queries
):
    url = f"/data/{release.version}/markets.csv"
    etag = Client().get(url)["ETag"]

    # The validators are read without the archive.
    with django_assert_max_num_queries(1):
        response = Client().get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""


def test_latest_leads_to_the_newest_release(two_releases):
    _first, second = two_releases
    client = Client()

    archive = client.get("/data/latest/loopwatch.zip")
    markets = client.get("/data/latest/markets.csv")

    assert archive.status_code == markets.status_code == 302
    assert archive["Location"] == second.get_absolute_url()
    assert markets["Location"] == f"/data/{second.version}/markets.csv"
    assert archive["Cache-Control"].startswith("public, max-age=0")


@pytest.mark.parametrize(
    "address",
    [
        "/data/1999.01.01/markets.csv",
        "/data/{version}/unknown.csv",
        "/data/{version}/loopwatch-1999.01.01.zip",
        "/data/{version}/",
        "/data/latest/unknown.csv",
        "/data/%E2%80%AE/markets.csv",
        "/data/" + "9" * 5000 + "/markets.csv",
        "/data/{version}/markets.csv%00",
        "/data/{version}/..%2Fconfig%2Fsettings%2Fbase.py",
    ],
)
def test_an_unknown_version_or_file_is_not_found(release, address):
    response = Client().get(address.format(version=release.version))

    assert response.status_code in (400, 404)


def test_latest_without_any_release_is_not_found(db):
    assert Client().get("/data/latest/loopwatch.zip").status_code == 404


def test_downloads_refuse_writes(release):
    response = Client().post(release.get_absolute_url())

    assert response.status_code in (403, 405)


def test_releases_are_read_only_in_the_admin(release, analyst_client):
    changelist = analyst_client.get(reverse("admin:datasets_release_changelist"))
    change = analyst_client.get(
        reverse("admin:datasets_release_change", args=[release.pk])
    )

    assert changelist.status_code == change.status_code == 200
    assert release.version in changelist.content.decode()
    assert release.sha256 in change.content.decode()
    assert analyst_client.get(reverse("admin:datasets_release_add")).status_code == 403
    superuser = Client()
    superuser.force_login(User.objects.create_superuser("chief", password="x-x-x-x"))
    assert (
        superuser.post(
            reverse("admin:datasets_release_delete", args=[release.pk]),
            {"post": "yes"},
        ).status_code
        == 403
    )
    assert Release.objects.filter(pk=release.pk).exists()
