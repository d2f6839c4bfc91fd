"""Writes of the record that several writers share: admin actions, the API, commands.

Each goes through the models' own save(), record by record, so every such write
claims the next version (refusing a stale one), leaves a line of history with its author
and reason, rewrites the status spans (status.receivers) and retires the cache
(markets.signals), all in one transaction: a bulk change is as safe as an edit in a
form. A bulk write is one batch (markets.batches): the spans are rewritten once.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from markets.batches import record_writes_batched
from markets.models import (
    Content,
    Fact,
    Market,
    ModeEvent,
    NaturallyKeyed,
    Publication,
    Region,
    Source,
    Tombstone,
)


def content_set_publication(
    *,
    records: Iterable[Content],
    state: str,
    user: AbstractBaseUser | None,
    reason: str,
) -> list[Content]:
    """Publish the records, or return them to draft; those already so are left alone.

    Returns the records that changed. A record someone changed since it was read is
    refused with StaleEditError, and nothing is written.
    """
    state = Publication(state)
    changed = []
    with transaction.atomic(), record_writes_batched():
        for record in records:
            if record.publication == state:
                continue
            record.publication = state
            record._change_reason = reason
            record._history_user = user
            record.save()
            changed.append(record)
    return changed


def market_create(
    *,
    code: str,
    name_zh: str,
    name_en: str,
    region: Region,
    user: AbstractBaseUser | None,
    reason: str,
) -> Market:
    """Add a market to the record, as a DRAFT checked as every writer checks it
    (``full_clean()``: an ISO 3166-1 code, not already kept); ValidationError names
    the refused fields, and nothing is written."""
    market = Market(
        code=code,
        name_zh=name_zh,
        name_en=name_en,
        region=region,
        publication=Publication.DRAFT,
    )
    market.full_clean()
    market._change_reason = reason
    market._history_user = user
    market.save()
    return market


def record_delete(*, record: NaturallyKeyed, user: AbstractBaseUser | None) -> None:
    """Delete a record for good: a tombstone keeps the article data from reloading it.

    A record others still refer to raises ProtectedError, and nothing is written.
    """
    with transaction.atomic():
        record.delete()
        Tombstone.objects.get_or_create(
            model=record._meta.label_lower,
            natural_key=str(record.natural_key()[0]),
            defaults={"deleted_by": user if user and user.is_authenticated else None},
        )


@dataclass
class FactDraft:
    """A fact to add as a draft, resting on one quote of a source: its model (an
    event or a market figure), its own fields, its markets and the quote."""

    model: type[Fact]
    fields: dict
    quote: str
    markets: Sequence[Market] = ()
    region: Region | None = None


class DraftErrors(Exception):
    """Rows refused, each with its field errors, keyed by the row's position."""

    def __init__(self, errors: dict[int, dict[str, list[str]]]) -> None:
        super().__init__(errors)
        self.errors = errors


def facts_create_from_source(
    *,
    source: Source,
    drafts: Sequence[FactDraft],
    user: AbstractBaseUser | None,
    reason: str,
) -> list[Fact]:
    """Add each draft as a DRAFT fact with its evidence (``source``, the quote), all in
    one transaction, each checked as every writer checks it: ``full_clean()`` on the
    fact and on its evidence (which verifies the quote in the archived text), the
    markets against the scope (``ModeEvent.validate_market_scope``).

    Any row refused raises DraftErrors naming every refused row's field errors, and
    nothing is written. The status spans are rewritten once, at the end.
    """
    errors: dict[int, dict[str, list[str]]] = {}
    created: list[Fact] = []
    with transaction.atomic(), record_writes_batched():
        for index, draft in enumerate(drafts):
            try:
                # A savepoint per row: a refused row leaves the others checkable.
                with transaction.atomic():
                    created.append(
                        _fact_create(
                            source=source, draft=draft, user=user, reason=reason
                        )
                    )
            except ValidationError as error:
                errors[index] = error.update_error_dict({})
        if errors:
            # Leaves the transaction, so that nothing of the accepted rows stays.
            raise DraftErrors(errors)
    return created


def _fact_create(
    *, source: Source, draft: FactDraft, user: AbstractBaseUser | None, reason: str
) -> Fact:
    errors: dict[str, list[str]] = {}
    fact = draft.model(**{**draft.fields, "publication": Publication.DRAFT})
    if draft.region is not None:
        fact.region = draft.region
    try:
        fact.full_clean()
    except ValidationError as error:
        error.update_error_dict(errors)
    if issubclass(draft.model, ModeEvent) and "markets" not in errors:
        try:
            ModeEvent.validate_market_scope(draft.markets, fact.scope)
        except ValidationError as error:
            error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    fact._change_reason = reason
    fact._history_user = user
    try:
        fact.save()
    except IntegrityError as error:
        raise ValidationError({NON_FIELD_ERRORS: [str(error)]}) from error
    if draft.markets:
        fact.markets.set(draft.markets)
    evidence = fact.evidence.model(fact=fact, source=source, quote=draft.quote)
    try:
        evidence.full_clean()
    except ValidationError as error:
        # The quote is the row's sentence: its error is the row's.
        raise ValidationError(
            {"quote": [message for message in error.messages]}
        ) from error
    evidence._change_reason = reason
    evidence._history_user = user
    evidence.save()
    return fact
