"""The candidates offered on a source's suggestions page, or read by the API, given
their forms and accepted as drafts: the one way both write what an analyst accepts."""

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction

from intake.candidates import (
    ACCEPTED_REASON,
    Candidate,
    EventCandidateForm,
    FigureCandidateForm,
    SuggestionGroup,
    candidate_extra,
    candidate_initial,
)
from markets.models import Market, Region, Source
from markets.services import DraftErrors, Fact, facts_create_from_source

#: A candidate offered, with the group of the sentence it was read from.
Offered = tuple[SuggestionGroup, Candidate]


def candidate_forms(
    groups: list[SuggestionGroup],
    data: dict | None,
    regions: list[Region],
    markets_by_code: dict[str, Market] | None = None,
) -> list[Offered]:
    """Give each candidate its form, bound to ``data`` (prefixed by the candidate's
    key, ticked with ``<key>-accept``) where there is any. The forms share
    ``markets_by_code`` (every market by default): a market added with them joins
    it."""
    if markets_by_code is None:
        markets_by_code = {market.code: market for market in Market.objects.all()}
    candidates = []
    for group in groups:
        for candidate in group.candidates:
            options = {
                "prefix": candidate.key,
                "markets_by_code": markets_by_code,
                "initial": candidate_initial(candidate),
            }
            if candidate.kind == "event":
                candidate.form = EventCandidateForm(data, **options)
            else:
                candidate.form = FigureCandidateForm(data, regions=regions, **options)
            candidates.append((group, candidate))
    return candidates


def candidates_accept(
    *,
    source: Source,
    accepted: list[Offered],
    regions: list[Region],
    user: AbstractBaseUser | None,
) -> list[Fact] | None:
    """Add the accepted candidates as drafts with their sentences as quotes, verified
    against the source's archived text (``facts_create_from_source``), in one
    transaction; None where any row is refused, each refused row's errors on its form,
    and nothing written."""
    # The rows valid as typed are checked by the model too, so that every row's
    # errors show at once; nothing stays while any row is refused.
    valid = [(g, c) for g, c in accepted if c.form.is_valid()]
    by_code = {region.code: region for region in regions}
    drafts = [
        candidate.form.draft(
            quote=group.sentence.text,
            extra=candidate_extra(source, group, candidate),
            regions=by_code,
        )
        for group, candidate in valid
    ]
    # A market added with them but refused stands in unsaved: the rows naming it
    # wait for it, and are not checked against the record.
    checkable = [
        n for n, draft in enumerate(drafts) if all(m.pk for m in draft.markets)
    ]
    with transaction.atomic():
        try:
            created = facts_create_from_source(
                source=source,
                drafts=[drafts[n] for n in checkable],
                user=user,
                reason=ACCEPTED_REASON,
            )
        except DraftErrors as refused:
            for index, errors in refused.errors.items():
                valid[checkable[index]][1].form.add_model_errors(errors)
            return None
        if len(checkable) < len(accepted):
            transaction.set_rollback(True)
            return None
    return created
