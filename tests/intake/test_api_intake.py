"""Intake through the API: a program does what an analyst does on a source's admin
page (archive its text, read its suggestions, accept them as drafts, preview and
publish them), through the same functions, with the same checks and refusals."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from intake import uploads
from intake.candidates import ACCEPTED_REASON
from markets.archive import MAX_ARCHIVED_CHARS, source_archive
from markets.models import (
    ArchiveKind,
    EventEvidence,
    MarketFigure,
    MarketFigureEvidence,
    ModeEvent,
    Publication,
    Source,
    SourceText,
    Verification,
)
from tests.factories import EventEvidenceFactory, MarketFactory, SourceFactory
from tests.intake.archiving import TEXT_OPERATORS, pdf_of
from tests.intake.test_intake import ARTICLE, BETA, CLOSURE, FIGURE

pytestmark = pytest.mark.django_db


def archives(source: Source | str) -> str:
    slug = source if isinstance(source, str) else source.slug
    return f"/api/sources/{slug}/archives/"


def suggestions(source: Source) -> str:
    return f"/api/sources/{source.slug}/suggestions/"


def accept(source: Source) -> str:
    return f"/api/sources/{source.slug}/suggestions/accept/"


@pytest.fixture
def markets() -> None:
    for code in ("JP", "KR", "BR"):
        MarketFactory(code=code)


@pytest.fixture
def article(markets) -> Source:
    source = SourceFactory(
        title="全托管模式在日韩开启内测",
        published_on=datetime.date(2025, 9, 10),
        published_precision="day",
    )
    source_archive(source=source, text=ARTICLE, kind=ArchiveKind.PASTED)
    return source


def read_suggestions(client, source: Source) -> tuple[str, dict[str, dict]]:
    """The sha256 read, and each suggestion by its sentence."""
    body = client.get(suggestions(source)).json()
    return body["sha256"], {item["quote"]: item for item in body["suggestions"]}


# --- From a new source to the public answer ----------------------------------------------


def test_a_program_takes_a_new_source_to_published_facts_with_verified_quotes(
    markets, analyst_api, editor_api, analyst
):
    """Create, archive, read, accept, preview, publish: the public answer then
    carries the facts, each resting on a quote verified in the archived text."""
    created = editor_api.post(
        "/api/sources/",
        {
            "slug": "full-managed-japan-korea",
            "title": "全托管模式在日韩开启内测",
            "publisher": "小川电商",
            "language": "zh-Hans",
            "published_on": "2025-09-10",
            "published_precision": "day",
            "publication": "published",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    source = Source.objects.get(slug="full-managed-japan-korea")

    archived = analyst_api.post(
        archives(source), {"text": ARTICLE, "kind": "pasted"}, format="json"
    )
    assert archived.status_code == 201, archived.content
    assert archived.json()["archive"]["current"] is True

    sha256, offered = read_suggestions(analyst_api, source)
    assert [item["kind"] for item in offered.values()] == ["event", "event", "figure"]
    assert offered[BETA]["fields"]["markets"] == ["JP", "KR"]
    assert offered[BETA]["fields"]["date_precision"] == "month"
    figure_key = offered[FIGURE]["key"]

    accepted = analyst_api.post(
        accept(source),
        {
            "sha256": sha256,
            "keys": [offered[BETA]["key"], offered[CLOSURE]["key"], figure_key],
            "overrides": {figure_key: {"metric_zh": "月活跃用户"}},
        },
        format="json",
    )
    assert accepted.status_code == 201, accepted.content
    body = accepted.json()
    quotes = [
        row for fact in body["events"] + body["figures"] for row in fact["evidence"]
    ]
    assert sorted(row["quote"] for row in quotes) == sorted([BETA, CLOSURE, FIGURE])
    assert {row["verification"] for row in quotes} == {"verified"}
    assert all(row["selector"]["exact"] for row in quotes)
    beta = ModeEvent.objects.get(kind="beta_launch")
    history = beta.history.first()
    assert (history.history_user, history.history_change_reason) == (
        analyst,
        ACCEPTED_REASON,
    )

    preview = editor_api.post(
        "/api/mode-events/preview/", body["publication"], format="json"
    )
    assert preview.status_code == 200, preview.content
    assert preview.json()["figures"] == body["publication"]["figures"]
    cells = {(cell["market"], cell["mode"]) for cell in preview.json()["changes"]}
    assert ("JP", "fully_managed") in cells

    published = editor_api.post(
        "/api/mode-events/publish/",
        {**body["publication"], "change_reason": "checked against the source"},
        format="json",
    )
    assert published.status_code == 200, published.content
    assert published.json()["changes"] == preview.json()["changes"]
    assert {fact.publication for fact in ModeEvent.objects.all()} == {
        Publication.PUBLISHED
    }
    assert MarketFigure.objects.get().publication == Publication.PUBLISHED
    assert beta.history.first().history_change_reason == "checked against the source"

    answer = editor_api.__class__().get(
        "/api/status/", {"as_of": "2025-03-15", "mode": "fully_managed"}
    )
    japan = next(cell for cell in answer.json() if cell["market"] == "JP")
    assert japan["status"] == "beta"
    (evidence,) = japan["event"]["evidence"]
    assert evidence["quote"] == BETA
    assert evidence["verification"] == "verified"
    assert evidence["source"]["slug"] == source.slug


def test_an_analyst_may_accept_but_not_publish(article, analyst_api):
    sha256, offered = read_suggestions(analyst_api, article)
    body = analyst_api.post(
        accept(article),
        {"sha256": sha256, "keys": [offered[CLOSURE]["key"]]},
        format="json",
    ).json()
    response = analyst_api.post(
        "/api/mode-events/publish/",
        {**body["publication"], "change_reason": "checked"},
        format="json",
    )
    assert response.status_code == 403
    assert ModeEvent.objects.get().publication == Publication.DRAFT


def test_publishing_needs_a_reason(article, analyst_api, editor_api):
    sha256, offered = read_suggestions(analyst_api, article)
    body = analyst_api.post(
        accept(article),
        {"sha256": sha256, "keys": [offered[CLOSURE]["key"]]},
        format="json",
    ).json()
    response = editor_api.post(
        "/api/mode-events/publish/", body["publication"], format="json"
    )
    assert response.status_code == 400
    assert list(response.json()) == ["change_reason"]
    assert ModeEvent.objects.get().publication == Publication.DRAFT


# --- Archiving -----------------------------------------------------------------------------


def test_an_uploaded_html_page_is_archived_as_the_admin_archives_it(
    markets, analyst_api
):
    source = SourceFactory()
    page = "<html><body><h1>标题</h1><p>" + BETA + "</p></body></html>"
    response = analyst_api.post(
        archives(source),
        {"file": SimpleUploadedFile("article.html", page.encode())},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    copy = source.current_text()
    assert (copy.kind, copy.file_name) == (ArchiveKind.HTML, "article.html")
    assert BETA in copy.text and "<p>" not in copy.text


def test_the_same_text_twice_adds_nothing(article, analyst_api):
    response = analyst_api.post(archives(article), {"text": ARTICLE}, format="json")
    assert response.status_code == 200
    assert response.json()["created"] is False
    assert SourceText.objects.count() == 1


def test_archiving_again_rechecks_the_quotes_resting_on_the_source(
    article, analyst_api
):
    EventEvidenceFactory(source=article, quote=CLOSURE)
    response = analyst_api.post(
        archives(article), {"text": BETA + "\n" + FIGURE}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["needs_review"] == 1
    assert EventEvidence.objects.get().verification == Verification.NEEDS_REVIEW


def test_the_archives_list_gives_each_copy_s_length_and_first_words_not_its_text(
    article, analyst_api, django_assert_max_num_queries
):
    source_archive(source=article, text=ARTICLE + "\n后记。", kind=ArchiveKind.PASTED)
    with django_assert_max_num_queries(6):
        response = analyst_api.get(archives(article))
    assert response.status_code == 200
    newest, oldest = response.json()
    assert (newest["current"], oldest["current"]) == (True, False)
    assert oldest["characters"] == len(ARTICLE)
    assert "text" not in newest and oldest["excerpt"] == ARTICLE[:200]


def test_hostile_control_characters_are_taken_out_of_a_pasted_text(
    markets, analyst_api
):
    source = SourceFactory()
    hostile = "\x1b[31m" + BETA + "\x07\x85\x9b" + "\r\n" + CLOSURE + "\ufffe"
    response = analyst_api.post(archives(source), {"text": hostile}, format="json")
    assert response.status_code == 201, response.content
    # NEL is a line end, as CR LF is; the escape and bell are taken out.
    assert source.current_text().text == "[31m" + BETA + "\n\n" + CLOSURE
    # Its suggestions are read from the text as archived.
    _sha256, offered = read_suggestions(analyst_api, source)
    assert CLOSURE in offered


def test_a_nul_character_is_refused_as_the_admin_refuses_it(analyst_api):
    source = SourceFactory()
    response = analyst_api.post(archives(source), {"text": "a\x00b"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["text"]
    assert not SourceText.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * (MAX_ARCHIVED_CHARS + 1)}, "text"),
        ({"text": "abc\u202eabc"}, "text"),
        ({"text": "abc", "kind": "pdf"}, "kind"),
        ({"text": "abc", "retrieved_at": "yesterday"}, "retrieved_at"),
        ({"text": ["not", "text"]}, "text"),
    ],
)
def test_a_refused_text_is_a_field_error_and_archives_nothing(
    analyst_api, payload, field
):
    source = SourceFactory()
    response = analyst_api.post(archives(source), payload, format="json")
    assert response.status_code == 400, response.content
    assert list(response.json()) == [field]
    assert not SourceText.objects.exists()


def test_a_file_of_another_kind_is_a_field_error(analyst_api):
    source = SourceFactory()
    response = analyst_api.post(
        archives(source),
        {"file": SimpleUploadedFile("sheet.xlsx", b"PK\x03\x04")},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {"file": ["Upload an HTML, PDF or plain-text file."]}


def test_an_upload_past_the_size_read_is_413_and_archives_nothing(
    analyst_api, monkeypatch
):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 1024)
    source = SourceFactory()
    response = analyst_api.post(
        archives(source),
        {"file": SimpleUploadedFile("long.txt", b"x" * 2048)},
        format="multipart",
    )
    assert response.status_code == 413
    assert "file" in response.json()
    assert not SourceText.objects.exists()


def test_a_request_body_past_the_size_read_is_413_before_it_is_read(analyst_api):
    source = SourceFactory()
    response = analyst_api.post(
        archives(source),
        {"text": "x"},
        format="json",
        CONTENT_LENGTH=str(10 * 1024 * 1024),
    )
    assert response.status_code == 413


def test_a_hostile_pdf_is_a_field_error_on_the_file(analyst_api):
    source = SourceFactory()
    response = analyst_api.post(
        archives(source),
        {
            "file": SimpleUploadedFile(
                "long.pdf", pdf_of([TEXT_OPERATORS], page_count=600)
            )
        },
        format="multipart",
    )
    assert response.status_code == 400
    assert "at most 500 are read" in response.json()["file"][0]


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("path", ["archives/", "suggestions/", "suggestions/accept/"])
def test_anonymous_requests_are_401_and_users_without_permission_403(
    article, api_client, reader_api, method, path
):
    url = f"/api/sources/{article.slug}/{path}"
    assert getattr(api_client, method)(url, {}, format="json").status_code == 401
    assert getattr(reader_api, method)(url, {}, format="json").status_code == 403


def test_an_unknown_source_is_404(analyst_api):
    assert analyst_api.get(archives("no-such-source")).status_code == 404
    response = analyst_api.post(
        archives("no-such-source"), {"text": "a"}, format="json"
    )
    assert response.status_code == 404


# --- Suggestions ----------------------------------------------------------------------------


def test_a_source_without_text_has_no_suggestions_yet(analyst_api):
    response = analyst_api.get(suggestions(SourceFactory()))
    assert response.status_code == 404
    assert "Archive the source's text first" in response.json()["detail"]


def test_the_suggestions_cost_a_fixed_number_of_queries(
    article_data, analyst_api, django_assert_max_num_queries
):
    """Guards an N+1: the recorded quotes are read once per kind of evidence,
    whatever the number of sentences and suggestions."""
    source = Source.objects.filter(archived_copies__isnull=False).first()
    with django_assert_max_num_queries(10):
        response = analyst_api.get(suggestions(source))
    assert response.status_code == 200
    assert response.json()["suggestions"]
    assert response.json()["recorded"]


def test_the_suggestions_are_read_a_part_at_a_time(markets, analyst_api):
    source = SourceFactory()
    source_archive(source=source, text=(CLOSURE + "\n") * 4000, kind=ArchiveKind.PASTED)
    first = analyst_api.get(suggestions(source)).json()
    assert first["next_start"]
    later = analyst_api.get(suggestions(source), {"from": first["next_start"]}).json()
    assert later["start"] == first["next_start"]
    assert later["suggestions"][0]["key"] not in {
        item["key"] for item in first["suggestions"]
    }


# --- Accepting ------------------------------------------------------------------------------


def test_a_refused_key_names_its_field_and_writes_nothing(article, analyst_api):
    sha256, offered = read_suggestions(analyst_api, article)
    beta, figure = offered[BETA]["key"], offered[FIGURE]["key"]
    response = analyst_api.post(
        accept(article),
        {
            "sha256": sha256,
            "keys": [beta, offered[CLOSURE]["key"], figure],
            "overrides": {
                beta: {"markets": ["JP", "XX"]},
                # The guessed metric cleared: the figure measures nothing named.
                figure: {"metric_zh": "", "metric_en": ""},
            },
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()["keys"]
    assert set(errors) == {beta, figure}
    assert errors[beta] == {"markets": ["No market has the code XX."]}
    assert "Name what the figure measures." in str(errors[figure])
    assert not ModeEvent.objects.exists()
    assert not MarketFigure.objects.exists()
    assert (
        not EventEvidence.objects.exists() and not MarketFigureEvidence.objects.exists()
    )


def test_an_unknown_key_is_refused_by_name(article, analyst_api):
    sha256, offered = read_suggestions(analyst_api, article)
    response = analyst_api.post(
        accept(article),
        {"sha256": sha256, "keys": [offered[CLOSURE]["key"], "event-99999"]},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["keys"]) == ["event-99999"]
    assert not ModeEvent.objects.exists()


def test_a_key_accepted_twice_is_refused_the_second_time(article, analyst_api):
    sha256, offered = read_suggestions(analyst_api, article)
    key = offered[CLOSURE]["key"]
    first = analyst_api.post(
        accept(article), {"sha256": sha256, "keys": [key]}, format="json"
    )
    assert first.status_code == 201
    again = analyst_api.post(
        accept(article), {"sha256": sha256, "keys": [key]}, format="json"
    )
    assert again.status_code == 400
    assert "accepted before" in again.json()["keys"][key]["key"][0]
    assert ModeEvent.objects.count() == 1


def test_a_key_given_twice_in_one_request_is_refused(article, analyst_api):
    sha256, offered = read_suggestions(analyst_api, article)
    key = offered[CLOSURE]["key"]
    response = analyst_api.post(
        accept(article), {"sha256": sha256, "keys": [key, key]}, format="json"
    )
    assert response.status_code == 400
    assert "keys" in response.json()
    assert not ModeEvent.objects.exists()


@pytest.mark.parametrize(
    "override",
    [{"no_such_field": 1}, {"date": {"nested": "object"}}, {"markets": [1, 2]}],
)
def test_an_override_the_suggestion_cannot_take_is_a_field_error(
    article, analyst_api, override
):
    sha256, offered = read_suggestions(analyst_api, article)
    key = offered[CLOSURE]["key"]
    response = analyst_api.post(
        accept(article),
        {"sha256": sha256, "keys": [key], "overrides": {key: override}},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()["keys"][key]) == list(override)


def test_overrides_change_the_draft_as_on_the_admin_page(article, analyst_api):
    sha256, offered = read_suggestions(analyst_api, article)
    key = offered[BETA]["key"]
    response = analyst_api.post(
        accept(article),
        {
            "sha256": sha256,
            "keys": [key],
            "overrides": {
                key: {"markets": "JP", "date": "2025-03-10", "date_precision": "day"}
            },
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    event = ModeEvent.objects.get()
    assert [m.code for m in event.markets.all()] == ["JP"]
    assert (event.date, event.date_precision) == (datetime.date(2025, 3, 10), "day")


def test_a_text_archived_again_since_reading_is_409(article, analyst_api):
    sha256, offered = read_suggestions(analyst_api, article)
    source_archive(source=article, text=ARTICLE + "\n后记。", kind=ArchiveKind.PASTED)
    response = analyst_api.post(
        accept(article),
        {"sha256": sha256, "keys": [offered[CLOSURE]["key"]]},
        format="json",
    )
    assert response.status_code == 409
    assert not ModeEvent.objects.exists()


# --- Evidence written through the API ----------------------------------------------------


def test_evidence_written_through_the_api_is_verified_against_the_archived_text(
    article, analyst_api
):
    """The API's evidence goes through Evidence.clean(), as the admin's does: a quote
    that stands in the text archived through the API is verified and placed, one
    that does not is refused."""
    event = {
        "slug": "br-closure",
        "mode": "fully_managed",
        "kind": "closure_effective",
        "status_set": "closed",
        "scope": "markets",
        "markets": ["BR"],
        "date": "2025-08-01",
        "date_precision": "month_end",
        "summary_zh": CLOSURE,
    }
    refused = analyst_api.post(
        "/api/mode-events/",
        {**event, "evidence": [{"source": article.slug, "quote": "巴西站已关停"}]},
        format="json",
    )
    assert refused.status_code == 400, refused.content
    assert "does not stand in the archived text" in str(refused.json()["evidence"])
    created = analyst_api.post(
        "/api/mode-events/",
        {
            **event,
            "evidence": [{"source": article.slug, "quote": "巴西站的全托管模式"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    (evidence,) = created.json()["evidence"]
    assert evidence["verification"] == "verified"
    assert evidence["selector"]["start"] == ARTICLE.index("巴西站的全托管模式")


# --- The schema ----------------------------------------------------------------------------


def test_intake_endpoints_are_described_in_the_schema(api_client):
    schema = api_client.get("/api/schema/", {"format": "json"}).json()
    for path, method in [
        ("/api/sources/{slug}/archives/", "post"),
        ("/api/sources/{slug}/archives/", "get"),
        ("/api/sources/{slug}/suggestions/", "get"),
        ("/api/sources/{slug}/suggestions/accept/", "post"),
        ("/api/mode-events/publish/", "post"),
    ]:
        operation = schema["paths"][path][method]
        assert operation["summary"] and operation["description"]
        assert "401" in operation["responses"]
