"""The suggestions page's rows as a whole: the market codes they name (for the
markets the record lacks, intake.new_markets) and the refused rows listed at the top
of a posted page."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext

from intake.candidates import CODE_SEPARATORS, Candidate


def named_codes(candidates: Iterable[Candidate]) -> list[str]:
    """The market codes the candidates name: those their sentences give, and, on a
    posted page, those typed in the rows ticked."""
    codes: set[str] = set()
    for candidate in candidates:
        codes.update(candidate.draft.markets)
        form = candidate.form
        if form is not None and form.accepted:
            typed = form.data.get(form.add_prefix("markets"), "")
            codes.update(code.upper() for code in CODE_SEPARATORS.split(typed) if code)
    return sorted(codes)


@dataclass
class RowErrors:
    """A refused row, for the list at the top of the page: where it stands (the
    anchor), what it is, and its errors in words."""

    anchor: str
    title: str
    messages: list[str]


def row_title(candidate: Candidate) -> str:
    if candidate.kind == "event":
        return gettext("Event dated “%(words)s”") % {"words": candidate.wording}
    return gettext("Figure “%(words)s”") % {"words": candidate.wording}


def error_summary(
    candidates: Iterable[tuple], new_markets: Iterable
) -> list[RowErrors]:
    """Every refused row of a posted page, markets first (they are added first),
    each error with its field's label. Rows left unticked have none."""
    rows = [
        (f"market-{form.code}", str(form.fields["accept"].label), form)
        for form in new_markets
    ]
    rows += [
        (f"candidate-{candidate.key}", row_title(candidate), candidate.form)
        for _group, candidate in candidates
    ]
    summary = []
    for anchor, title, form in rows:
        if not form.accepted or not form.errors:
            continue
        messages = []
        for name, errors in form.errors.items():
            field = form.fields.get(name)
            label = f"{str(field.label).capitalize()}: " if field else ""
            messages.extend(f"{label}{message}" for message in errors)
        summary.append(RowErrors(anchor=anchor, title=title, messages=messages))
    return summary
