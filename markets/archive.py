"""Archiving a source's text, and re-checking the quotes that must stand in it.

Every writer of an archived copy (the source's admin page, the article data, a test)
calls ``source_archive``: it keeps each distinct text once, makes the newest current,
and checks again every quote resting on the source, in one transaction.
"""

import dataclasses
import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from markets.batches import record_writes_batched
from markets.models import (
    ArchiveKind,
    Evidence,
    Source,
    SourceText,
    Verification,
)
from markets.quotes import normalised, text_hash

#: The longest text archived, in characters: about 60 pages of a report. The
#: suggestions read a text of this length in well under a second and their page
#: offers its candidates a part at a time; a longer text is refused at every door.
MAX_ARCHIVED_CHARS = 200_000


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
