"""Accepting suggestions by key: the API's request made into the admin's form data,
then written by the admin's function (intake.accepting.candidates_accept).

The keys name the candidates of one part of the text; each is bound to its candidate
form with the suggested values and the overrides, ticked, exactly as the page posts
it. The forms and the models check the rows; the refused rows' errors come back by
key and field, and nothing is written while any row is refused.
"""

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.settings import api_settings

from intake.accepting import Offered, candidate_forms, candidates_accept
from intake.candidates import (
    EventCandidateForm,
    FigureCandidateForm,
    SuggestionPart,
    candidate_initial,
)
from markets.models import Fact, Region, Source


def accept_by_keys(
    *,
    source: Source,
    part: SuggestionPart,
    keys: list[str],
    overrides: dict[str, dict[str, Any]],
    user: AbstractBaseUser,
) -> list[Fact]:
    """Add the candidates ``keys`` name in ``part`` as drafts, with ``overrides``.

    Raises a DRF ValidationError ``{"keys": {key: {field: [messages]}}}`` naming only
    the keys refused: unknown, already recorded, overriding a field the suggestion has
    not, or refused by the form or the model.
    """
    offered = {
        candidate.key: (group, candidate)
        for group in part.groups
        for candidate in group.candidates
    }
    errors = refused_keys(part, offered, keys, overrides)
    if errors:
        raise serializers.ValidationError({"keys": errors})
    regions = list(Region.objects.all())
    data = form_data({key: offered[key] for key in keys}, overrides)
    accepted = [
        (group, candidate)
        for group, candidate in candidate_forms(part.groups, data, regions)
        if candidate.key in keys
    ]
    created = candidates_accept(
        source=source, accepted=accepted, regions=regions, user=user
    )
    if created is None:
        raise serializers.ValidationError(
            {
                "keys": {
                    candidate.key: form_errors(candidate.form)
                    for _group, candidate in accepted
                    if candidate.form.errors
                }
            }
        )
    return created


def refused_keys(
    part: SuggestionPart,
    offered: dict[str, Offered],
    keys: list[str],
    overrides: dict[str, dict[str, Any]],
) -> dict[str, dict[str, list[str]]]:
    """The keys refused before any form is read, each with why."""
    errors: dict[str, dict[str, list[str]]] = {}
    for key in keys:
        if key not in offered:
            errors[key] = {"key": [unknown_key(part, key)]}
    for key, fields in overrides.items():
        if key not in keys:
            errors.setdefault(key, {})["key"] = [
                _("Overrides are given for a key not accepted.")
            ]
            continue
        if key not in offered:
            continue
        known = decided_fields(offered[key][1].kind)
        for name, value in fields.items():
            if name not in known:
                errors.setdefault(key, {})[name] = [
                    _("A suggestion of this kind has no field %(name)s.")
                    % {"name": name}
                ]
            elif refusal := field_value_refused(name, value):
                errors.setdefault(key, {})[name] = [refusal]
    return errors


def unknown_key(part: SuggestionPart, key: str) -> str:
    """Why a key is not offered: its sentence is recorded already (it was accepted
    before, or cited otherwise), or no suggestion of this part has it."""
    _kind, _dash, offset = key.partition("-")
    if offset.isdecimal():
        at = int(offset)
        for group in part.groups:
            if group.recorded and group.sentence.start <= at < group.sentence.end:
                return _(
                    "A fact rests on this sentence already: it was accepted before, "
                    "or cited otherwise."
                )
    return _(
        "No suggestion of this part of the text has this key: read the suggestions "
        "again (GET suggestions/, with the part's ?from=)."
    )


def decided_fields(kind: str) -> tuple[str, ...]:
    """The fields an analyst decides of a suggestion of ``kind`` on the admin's page:
    the forms' own lists, so that a field added to a form is accepted here too."""
    if kind == "event":
        return (*EventCandidateForm.model_fields, "markets")
    return (*FigureCandidateForm.model_fields, "markets", "region")


def field_value_refused(name: str, value: Any) -> str | None:
    """Why an override's value is not one a form field reads, or None: a text, a
    number, true or false, null; for markets, a list of codes too."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return None
    if (
        name == "markets"
        and isinstance(value, list)
        and all(isinstance(code, str) for code in value)
    ):
        return None
    return _("Give a text, a number, true or false, or null.")


def form_data(
    chosen: dict[str, Offered], overrides: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """The admin page's POST for the chosen candidates: each ticked, each field its
    suggested value unless overridden (a list of market codes typed as the page
    types them)."""
    data: dict[str, Any] = {}
    for key, (_group, candidate) in chosen.items():
        values = {**candidate_initial(candidate), **overrides.get(key, {})}
        data[f"{key}-accept"] = True
        for name, value in values.items():
            if name == "markets" and isinstance(value, list):
                value = ", ".join(str(code) for code in value)
            data[f"{key}-{name}"] = "" if value is None else value
    return data


def form_errors(form: Any) -> dict[str, list[str]]:
    """A candidate form's errors as the API words them: by field, the row's own
    under the API's non-field key."""
    return {
        (api_settings.NON_FIELD_ERRORS_KEY if name == "__all__" else name): list(
            messages
        )
        for name, messages in form.errors.items()
    }
