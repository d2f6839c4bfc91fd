"""Serializers for /api/status/: the question asked and each cell of the answer."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from markets.api.serializers.events import EventBriefSerializer
from markets.api.serializers.evidence import SourceBriefSerializer
from markets.api.serializers.fields import FIELD_HELP
from markets.api.serializers.markets import DisputeBriefSerializer
from markets.dates import DatePrecision, validate_sane_date
from markets.models import Mode
from markets.vocabulary import LOOKS_OVER_STATUS, Status


class StartSerializer(serializers.Serializer):
    """When an answer began, as the claims deciding it date it (status.starts)."""

    text = serializers.CharField(
        help_text=_(
            "The date as the sources word it (Feb 2024; end of Aug 2023 or Sep 2023)."
        )
    )
    precision = serializers.ChoiceField(
        choices=DatePrecision.choices,
        help_text=_("How precisely the deciding claim dates it."),
    )
    earliest = serializers.DateField(help_text=_("The first day the claims allow."))
    latest = serializers.DateField(
        help_text=_(
            "The last day the claims allow; for what was reported done, no later "
            "than its source's publication."
        )
    )
    disputed = serializers.BooleanField(
        help_text=_("The deciding claims date it differently.")
    )


class ModeStatusSerializer(serializers.Serializer):
    """One cell of the answer: a market, a mode, a day, and what the record says then."""

    market = serializers.CharField(
        source="market.code", help_text=_("ISO code of the market.")
    )
    mode = serializers.ChoiceField(choices=Mode.choices, help_text=FIELD_HELP["mode"])
    as_of = serializers.DateField(source="day", help_text=_("The day asked about."))
    status = serializers.ChoiceField(
        choices=Status.choices,
        help_text=_(
            "live, beta, closed or considering, as the latest published claim on or "
            "before the day sets it; no_evidence where no source speaks, which is not "
            "the same as not running. While uncertain, the status the day may already "
            "have."
        ),
    )
    shown_as = serializers.ChoiceField(
        source="shown",
        choices=[
            *Status.choices,
            *((shown, look.short_label) for shown, look in LOOKS_OVER_STATUS.items()),
        ],
        help_text=_(
            "How every page draws the answer: uncertain, scheduled (announced ahead, "
            "not reported done: never shown as done), or the status."
        ),
    )
    in_words = serializers.CharField(
        source="words.title",
        help_text=_(
            "The answer in one line, in the language asked for (Accept-Language): the "
            "words every page, badge and map title uses."
        ),
    )
    since = serializers.DateField(
        allow_null=True,
        help_text=_(
            "The day this answer began, where its sources give that day; null where "
            "they date it less precisely (see start), or it is implied since a day no "
            "source gives."
        ),
    )
    start = StartSerializer(
        allow_null=True,
        help_text=_(
            "When this answer began, as the claims deciding it date it; null where no "
            "source speaks or the answer is implied."
        ),
    )
    uncertain = serializers.BooleanField(
        help_text=_(
            "The day falls between the earliest and the latest day the claims allow "
            "(a month-precision date, or claims that disagree): it may still be "
            "previous_status."
        )
    )
    previous_status = serializers.CharField(
        allow_blank=True,
        help_text=_("While uncertain, the status the day may still have; else empty."),
    )
    certain_from = serializers.DateField(
        allow_null=True,
        help_text=_(
            "While uncertain, the first day the answer is certain; else null, and null "
            "for a change announced ahead, which nothing reported makes certain."
        ),
    )
    implied = serializers.BooleanField(
        help_text=_(
            "No source states this status; a later transition implies it (a closure "
            "implies the mode ran before). event is that transition."
        )
    )
    scheduled = serializers.BooleanField(
        help_text=_(
            "The status comes from a change announced ahead of time, which no source "
            "has reported as done."
        )
    )
    evidence_on = serializers.DateField(
        allow_null=True,
        help_text=_(
            "The latest day the newest source behind the answer may have been "
            "published: how fresh the answer is."
        ),
    )
    evidence_source = SourceBriefSerializer(
        allow_null=True, help_text=_("The newest source behind the answer.")
    )
    stale = serializers.BooleanField(
        help_text=_(
            "The newest evidence is older than the day asked by more than the "
            "threshold (LOOPWATCH_STALE_AFTER_DAYS, 180 days by default)."
        )
    )
    event = EventBriefSerializer(
        allow_null=True,
        help_text=_(
            "The event that decides the answer (or implies it); null for none."
        ),
    )
    claims = EventBriefSerializer(
        source="disputed_claims",
        many=True,
        help_text=_(
            "Where claims of a dispute decide the answer: each of them, side by side, "
            "with its source; empty where one event decides it."
        ),
    )
    dispute = DisputeBriefSerializer(
        allow_null=True, help_text=_("What the claims disagree on, or null.")
    )


class StatusQuerySerializer(serializers.Serializer):
    """The question /api/status/ answers."""

    as_of = serializers.DateField(
        validators=[validate_sane_date],
        help_text=_("The day to answer for, YYYY-MM-DD."),
    )
    mode = serializers.ChoiceField(
        choices=Mode.choices,
        required=False,
        help_text=_("Only this mode; every mode when left out."),
    )
    known_on = serializers.DateField(
        required=False,
        validators=[validate_sane_date],
        help_text=_(
            "Answer from the evidence of sources surely published on or before this day "
            "only (the last day their publication date allows): what an analyst could "
            "have known then."
        ),
    )
