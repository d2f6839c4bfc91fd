"""Reading an analyst's upload: an HTML page, a PDF or a plain-text file becomes the
text to archive (markets.archive), or a field error saying why it cannot.

PDFs and HTML pages are read in a process of their own (intake.extraction), bounded in
time and memory, so that a hostile file costs seconds and never a server worker.
"""

import json
import logging
import signal
import subprocess
import sys
from pathlib import Path, PurePath

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from intake import extraction
from markets import bidi
from markets.archive import MAX_ARCHIVED_CHARS, validate_archived_length
from markets.models import ArchiveKind

logger = logging.getLogger(__name__)

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


#: A text to archive as markets.archive.source_archive takes it: the text, how it
#: came (ArchiveKind) and the uploaded file's name ("" when pasted).
TextToArchive = tuple[str, str, str]


def pasted_text(text: str) -> TextToArchive:
    """A pasted text, checked as every door checks it before it is archived.

    Raises ValidationError for a text longer than MAX_ARCHIVED_CHARS or one that
    opens a direction override it does not close. The admin's source form and the
    API's archives endpoint both call this, so a text refused at one is refused at
    the other; control characters are not refused but taken out on archiving
    (markets.quotes.normalised).
    """
    validate_archived_length(text)
    bidi.validate_long_text(text)
    return text, ArchiveKind.PASTED, ""


def uploaded_text(upload: UploadedFile) -> TextToArchive:
    """An uploaded file's text (``extract_upload``), checked as a pasted one is.

    Raises ValidationError for every file ``extract_upload`` refuses, a file that
    holds no text, and a text ``pasted_text`` would refuse.
    """
    text, kind = extract_upload(upload)
    if not text.strip():
        raise ValidationError(_("The file holds no text."), code="empty_file")
    bidi.validate_long_text(text)
    return text, kind, upload.name or ""


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
