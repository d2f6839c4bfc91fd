"""Archiving a source's text, and re-checking the quotes that must stand in it.

Every writer of an archived copy (the source's admin page, the article data, a test)
calls ``source_archive``: it keeps each distinct text once, makes the newest current,
and checks again every quote resting on the source, in one transaction.
"""

import dataclasses
import datetime
import json
import logging
import signal
import subprocess
import sys
from pathlib import Path, PurePath

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intake import extraction
from markets.batches import record_writes_batched
from markets.models import (
    ArchiveKind,
    Evidence,
    Source,
    SourceText,
    Verification,
)
from markets.quotes import normalised, text_hash

logger = logging.getLogger(__name__)

#: The longest text archived, in characters: about 60 pages of a report. The
#: suggestions read a text of this length in well under a second and their page
#: offers its candidates a part at a time; a longer text is refused at every door.
MAX_ARCHIVED_CHARS = 200_000
#: An upload past this size is refused before it is read. Measured: an ordinary
#: HTML page of 5 MB is parsed in about 2 s, a 10 MB one in 11 s; a text PDF stops
#: at MAX_ARCHIVED_CHARS long before.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: A PDF of more pages is refused before its text is read.
MAX_PDF_PAGES = 500
#: The wall-clock and CPU time, and the memory, of the process reading a PDF or an
#: HTML page (intake.extraction); well inside the server's 30 s request timeout.
EXTRACTION_SECONDS = 10
EXTRACTION_MEMORY_BYTES = 512 * 1024 * 1024


@dataclasses.dataclass
class Archived:
    """What archiving did: the current copy, whether it is new, and the quotes it
    re-checked (found again, or flagged for review)."""

    copy: SourceText
    created: bool
    verified: int = 0
    needs_review: int = 0


def source_archive(
    *,
    source: Source,
    text: str,
    kind: str,
    retrieved_at: datetime.datetime | None = None,
    file_name: str = "",
    user: AbstractBaseUser | None = None,
) -> Archived:
    """Archive ``text`` as the source's current text, and re-check its quotes.

    The same text as the current copy adds nothing. A changed text adds a copy (the old
    ones stay) and checks every quote resting on the source, or on the outlets it
    relays, against it: one found is placed anew, one no longer found is flagged
    ``needs_review``, never silently kept. An empty text raises ValidationError.
    """
    text = normalised(text)
    if not text.strip():
        raise ValidationError(
            {"text": _("The text is empty: nothing to archive.")}, code="empty_text"
        )
    try:
        validate_archived_length(text)
    except ValidationError as error:
        raise ValidationError({"text": error.error_list}) from error
    digest = text_hash(text)
    with transaction.atomic(), record_writes_batched():
        # Locked, so that two analysts archiving at once do not both add a copy.
        Source.objects.select_for_update().filter(pk=source.pk).first()
        current = source.current_text()
        if current is not None and current.sha256 == digest:
            return Archived(copy=current, created=False)
        copy = SourceText(
            source=source,
            text=text,
            sha256=digest,
            retrieved_at=retrieved_at,
            kind=ArchiveKind(kind),
            file_name=file_name[:255],
            created_by=user if user is not None and user.is_authenticated else None,
        )
        copy.full_clean()
        copy.save()
        archived = Archived(copy=copy, created=True)
        recheck_quotes(source=source, text=text, user=user, archived=archived)
    return archived


def quotes_standing_in(source: Source) -> models.Q:
    """The quotes whose text is ``source``'s: its own (unless it is a relayed outlet,
    whose quotes stand in its relaying article) and those of the outlets it relays."""
    return models.Q(source=source, source__reported_via__isnull=True) | models.Q(
        source__reported_via=source
    )


def quotes_in_text(source: Source) -> list[Evidence]:
    """Every quote standing in ``source``'s text, with its fact: one query per kind
    of evidence."""
    return [
        row
        for model in evidence_models()
        for row in model.objects.filter(quotes_standing_in(source)).select_related(
            "fact"
        )
    ]


def evidence_models() -> list[type[Evidence]]:
    """Every concrete evidence model, in both apps."""
    return [
        relation.related_model
        for relation in Source._meta.related_objects
        if issubclass(relation.related_model, Evidence)
    ]


def recheck_quotes(
    *,
    source: Source,
    text: str,
    user: AbstractBaseUser | None,
    archived: Archived,
) -> None:
    """Place every quote standing in ``source``'s text again; flag those not found."""
    for row in quotes_in_text(source):
        if row.recheck(text, user=user) == Verification.VERIFIED:
            archived.verified += 1
        else:
            archived.needs_review += 1


def validate_archived_length(text: str) -> None:
    """Refuse a text longer than the longest archived (MAX_ARCHIVED_CHARS)."""
    if len(text) > MAX_ARCHIVED_CHARS:
        raise ValidationError(
            _(
                "The text has %(length)s characters; at most %(max)s are archived. "
                "Archive the part the facts rest on."
            ),
            code="text_too_long",
            params={
                "length": f"{len(text):,}",
                "max": f"{MAX_ARCHIVED_CHARS:,}",
            },
        )


def extract_upload(upload: UploadedFile) -> tuple[str, str]:
    """The text of an uploaded HTML, PDF or plain-text file, and how it came.

    Raises ValidationError for a file too large, of another kind, unreadable, or
    holding a text longer than MAX_ARCHIVED_CHARS. PDFs and HTML pages are read in a
    process of their own, bounded in time and memory (intake.extraction).
    """
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    suffix = PurePath(upload.name or "").suffix.lower()
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        text = pdf_text(data)
        kind = ArchiveKind.PDF
    elif suffix in (".html", ".htm", ".xhtml"):
        text = html_text(decoded(data))
        kind = ArchiveKind.HTML
    elif suffix in (".txt", ".text", ".md", ""):
        text = decoded(data)
        kind = ArchiveKind.TEXT
    else:
        raise ValidationError(
            _("Upload an HTML, PDF or plain-text file."), code="file_kind"
        )
    validate_archived_length(text)
    return text, kind


def decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Chinese pages saved on Windows are often GB 18030 (a superset of GBK).
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise ValidationError(
            _("The file is not UTF-8 or GB 18030 text."), code="file_encoding"
        ) from error


def html_text(markup: str) -> str:
    """The readable text of an HTML page: its blocks on lines of their own."""
    return read_in_worker("html", markup.encode())


def pdf_text(data: bytes) -> str:
    """The text of each page of a PDF, pages separated by a blank line."""
    text = read_in_worker("pdf", data)
    if not text.strip():
        raise ValidationError(
            _("The PDF holds no text (a scan?): paste its text instead."),
            code="pdf_without_text",
        )
    return text


def read_in_worker(kind: str, data: bytes) -> str:
    """The text of a PDF or HTML file, read by a fresh process (intake.extraction)
    within EXTRACTION_SECONDS and EXTRACTION_MEMORY_BYTES; every way it fails is a
    ValidationError saying why."""
    command = [
        sys.executable,
        "-I",  # Neither the environment nor the current directory steers it.
        str(Path(extraction.__file__)),
        kind,
        str(MAX_ARCHIVED_CHARS),
        str(MAX_PDF_PAGES),
        str(EXTRACTION_SECONDS),
        str(EXTRACTION_MEMORY_BYTES),
    ]
    try:
        # On a timeout, run() kills the process it started (by its pid) and reaps it.
        finished = subprocess.run(  # noqa: S603 - our own script, the file on stdin
            command,
            input=data,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=EXTRACTION_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise extraction_refused(kind, extraction.TIMED_OUT) from error
    except OSError as error:
        # The process could not start (no interpreter, no process left): the server's
        # fault, logged for its operator; the analyst can still paste the text.
        logger.exception("The text of an uploaded file could not be read")
        raise extraction_refused(kind, extraction.UNREADABLE) from error
    if finished.returncode == -signal.SIGXCPU:
        raise extraction_refused(kind, extraction.TIMED_OUT)
    try:
        answer = json.loads(finished.stdout)
    except ValueError as error:
        # Killed, or out of memory before it could answer.
        raise extraction_refused(kind, extraction.OUT_OF_MEMORY) from error
    if "error" in answer:
        raise extraction_refused(kind, answer["error"], pages=answer.get("pages", 0))
    return answer["text"]


def extraction_refused(kind: str, reason: str, pages: int = 0) -> ValidationError:
    """Why the text of a file could not be read, for the analyst who uploaded it."""
    what = _("PDF") if kind == "pdf" else _("page")
    if reason == extraction.TIMED_OUT:
        message = _(
            "This %(what)s could not be read within %(seconds)d seconds: it is too "
            "large or built to exhaust the reader. Upload the part you cite, or paste "
            "its text."
        ) % {"what": what, "seconds": EXTRACTION_SECONDS}
    elif reason == extraction.OUT_OF_MEMORY:
        message = _(
            "This %(what)s needs more memory to read than %(megabytes)d MB: it is too "
            "large or built to exhaust the reader. Paste its text instead."
        ) % {"what": what, "megabytes": EXTRACTION_MEMORY_BYTES // (1024 * 1024)}
    elif reason == extraction.OVER_LIMITS:
        message = _(
            "This PDF asks more of the reader than the site allows (a stream that "
            "unpacks too large, too many drawing operators): it may be built to "
            "exhaust it. Paste its text instead."
        )
    elif reason == extraction.TOO_MANY_PAGES:
        message = ngettext(
            "The PDF has %(pages)s page; at most %(max)s are read. Upload the "
            "part you cite, or paste its text.",
            "The PDF has %(pages)s pages; at most %(max)s are read. Upload the "
            "part you cite, or paste its text.",
            pages,
        ) % {"pages": f"{pages:,}", "max": f"{MAX_PDF_PAGES:,}"}
    elif reason == extraction.TOO_LONG:
        message = _(
            "The file's text is longer than %(max)s characters, the most archived. "
            "Upload or paste the part the facts rest on."
        ) % {"max": f"{MAX_ARCHIVED_CHARS:,}"}
    elif kind == "pdf":
        message = _("The PDF could not be read.")
    else:
        message = _("The page could not be read.")
    return ValidationError(message, code=f"extraction_{reason}")
