"""Hostile files and oversized texts at the doors where a source's text is archived.

Every PDF or HTML page is read in a process of its own, bounded in time, memory and
pages (intake.extraction); whatever it does to the reader, the analyst gets a field
error on the upload and the source stays as it was. The hostile PDFs are built here,
in a fraction of a second, and weigh a few hundred kilobytes at most.
"""

import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from intake import uploads
from intake.uploads import extract_upload
from markets.archive import MAX_ARCHIVED_CHARS, source_archive
from markets.models import ArchiveKind, Publication, SourceText
from tests.factories import SourceFactory
from tests.intake.archiving import (
    TEXT_OPERATORS,
    compression_bomb,
    pdf_of,
    source_form,
    text_operator_flood,
)

pytestmark = pytest.mark.django_db


def upload_errors(client: Client, name: str, content: bytes) -> list[str]:
    """Upload a file as the source's text: the upload field's errors, after checking
    that the page answered with them and archived nothing."""
    source = SourceFactory(publication=Publication.DRAFT)
    url, data = source_form(client, source)
    data["archive_file"] = SimpleUploadedFile(name, content)
    response = client.post(url, data)
    assert response.status_code == 200
    assert not SourceText.objects.exists()
    return response.context["adminform"].form.errors.get("archive_file", [])


def test_a_compression_bomb_pdf_is_a_field_error_not_a_500(analyst_client):
    started = time.monotonic()
    errors = upload_errors(analyst_client, "bomb.pdf", compression_bomb())
    assert errors and "exhaust" in errors[0]
    assert time.monotonic() - started < uploads.EXTRACTION_SECONDS


def test_a_pdf_of_millions_of_text_operators_is_refused_within_the_time_allowed(
    analyst_client,
):
    started = time.monotonic()
    errors = upload_errors(analyst_client, "flood.pdf", text_operator_flood())
    assert errors and "exhaust" in errors[0]
    assert time.monotonic() - started < uploads.EXTRACTION_SECONDS


def test_a_pdf_of_20000_pages_is_refused_before_its_pages_are_read(analyst_client):
    many_pages = pdf_of([TEXT_OPERATORS], page_count=20_000)
    errors = upload_errors(analyst_client, "long.pdf", many_pages)
    assert errors == [
        "The PDF has 20,000 pages; at most 500 are read. Upload the part you cite, "
        "or paste its text."
    ]


def test_a_pdf_read_past_the_time_allowed_is_a_field_error_and_its_reader_ended(
    analyst_client, monkeypatch
):
    """Past its time the reading process is killed: the analyst waits no longer."""
    monkeypatch.setattr(uploads, "EXTRACTION_SECONDS", 1)
    monkeypatch.setattr(uploads, "MAX_PDF_PAGES", 100_000)
    many_pages = pdf_of([TEXT_OPERATORS], page_count=20_000)
    started = time.monotonic()
    errors = upload_errors(analyst_client, "slow.pdf", many_pages)
    assert errors and "could not be read within 1 seconds" in errors[0]
    assert time.monotonic() - started < 5


def test_a_pdf_needing_more_memory_than_allowed_is_a_field_error(monkeypatch):
    monkeypatch.setattr(uploads, "EXTRACTION_MEMORY_BYTES", 64 * 1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        extract_upload(SimpleUploadedFile("big.pdf", compression_bomb()))
    assert refused.value.code == "extraction_memory"


def test_a_malformed_pdf_is_a_field_error(analyst_client):
    errors = upload_errors(analyst_client, "broken.pdf", b"%PDF-1.4\n1 0 obj <<")
    assert errors == ["The PDF could not be read."]


def test_an_ordinary_pdf_and_html_page_are_still_read():
    text, kind = extract_upload(
        SimpleUploadedFile("report.pdf", pdf_of([TEXT_OPERATORS], page_count=3))
    )
    assert (kind, text.count("Sellers moved to Shopify.")) == (ArchiveKind.PDF, 3)
    text, kind = extract_upload(
        SimpleUploadedFile("page.html", "<p>卖家转向 Shopify。</p>".encode("gb18030"))
    )
    assert (kind, text) == (ArchiveKind.HTML, "卖家转向 Shopify。")


def test_an_upload_larger_than_the_limit_is_refused_unread(analyst_client):
    errors = upload_errors(
        analyst_client, "huge.txt", b"a" * (uploads.MAX_UPLOAD_BYTES + 1)
    )
    assert errors == ["The file is larger than 5 MB."]


# --- The longest text archived ---------------------------------------------------------


def test_a_pasted_text_longer_than_the_most_archived_is_a_field_error(analyst_client):
    source = SourceFactory(publication=Publication.DRAFT)
    url, data = source_form(analyst_client, source)
    data["archive_text"] = "卖家转向独立站。" * (MAX_ARCHIVED_CHARS // 8 + 1)
    response = analyst_client.post(url, data)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["archive_text"]
    assert errors == [
        "The text has 200,008 characters; at most 200,000 are archived. Archive the "
        "part the facts rest on."
    ]
    assert not SourceText.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("long.txt", b"a" * (MAX_ARCHIVED_CHARS + 1)),
        ("long.html", b"<p>" + b"a" * (MAX_ARCHIVED_CHARS + 1) + b"</p>"),
        (
            "long.pdf",
            pdf_of(
                [b"BT /F1 12 Tf 72 720 Td (" + b"a" * 5_000 + b") Tj ET"], page_count=41
            ),
        ),
    ],
)
def test_an_uploaded_text_longer_than_the_most_archived_is_a_field_error(
    analyst_client, name, content
):
    errors = upload_errors(analyst_client, name, content)
    assert len(errors) == 1 and "200,000" in errors[0]


def test_archiving_a_text_longer_than_the_most_archived_is_refused_on_its_text():
    """The service refuses it too, for every writer that is not a form."""
    source = SourceFactory()
    with pytest.raises(ValidationError) as refused:
        source_archive(
            source=source, text="a" * (MAX_ARCHIVED_CHARS + 1), kind=ArchiveKind.PASTED
        )
    assert list(refused.value.message_dict) == ["text"]
    assert not SourceText.objects.exists()
    text = "a" * MAX_ARCHIVED_CHARS
    assert source_archive(source=source, text=text, kind=ArchiveKind.PASTED).created
