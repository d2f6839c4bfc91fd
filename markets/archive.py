"""Archiving a source's text, and re-checking the quotes that must stand in it.

Every writer of an archived copy (the source's admin page, the article data, a test)
calls ``source_archive``: it keeps each distinct text once, makes the newest current,
and checks again every quote resting on the source, in one transaction.
"""

import dataclasses
import datetime
import io
import re
from pathlib import PurePath

from bs4 import BeautifulSoup
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from markets.models import (
    ArchiveKind,
    Evidence,
    Source,
    SourceText,
    StatusSpan,
    Verification,
)
from markets.quotes import normalised, text_hash

#: An upload past this size is refused before it is read.
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
#: What an HTML page holds that is never its text.
NOT_TEXT_TAGS = ("script", "style", "noscript", "template", "head")


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
    digest = text_hash(text)
    with transaction.atomic(), StatusSpan.objects.rewrites_deferred():
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


def extract_upload(upload: UploadedFile) -> tuple[str, str]:
    """The text of an uploaded HTML, PDF or plain-text file, and how it came.

    Raises ValidationError for a file too large, of another kind, or unreadable.
    """
    if upload.size is not None and upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    suffix = PurePath(upload.name or "").suffix.lower()
    data = upload.read()
    if suffix == ".pdf" or data.startswith(b"%PDF-"):
        return pdf_text(data), ArchiveKind.PDF
    if suffix in (".html", ".htm", ".xhtml"):
        return html_text(decoded(data)), ArchiveKind.HTML
    if suffix in (".txt", ".text", ".md", ""):
        return decoded(data), ArchiveKind.TEXT
    raise ValidationError(
        _("Upload an HTML, PDF or plain-text file."), code="file_kind"
    )


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
    soup = BeautifulSoup(markup, "html.parser")
    for tag in soup(NOT_TEXT_TAGS):
        tag.decompose()
    text = soup.get_text("\n")
    return re.sub(r"\n\s*\n+", "\n\n", text)


def pdf_text(data: bytes) -> str:
    """The text of each page of a PDF, pages separated by a blank line."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, ValueError, KeyError, TypeError) as error:
        raise ValidationError(
            _("The PDF could not be read."), code="pdf_unreadable"
        ) from error
    text = "\n\n".join(pages)
    if not text.strip():
        raise ValidationError(
            _("The PDF holds no text (a scan?): paste its text instead."),
            code="pdf_without_text",
        )
    return text
