"""Serializers for /api/mode-events/preview/ and /api/mode-events/publish/: the events
asked about (with the market figures accepted beside them), each cell whose answer
publishing them (or returning them to draft) would change, and the reason a
publication keeps in each record's history."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.text import TextValidator
from markets.api.serializers.fields import FIELD_HELP, OneLineTextField
from markets.models import MarketFigure, Mode, ModeEvent, Publication
from markets.vocabulary import Status

#: The most events one preview reads: a bulk action's selection, not the record.
MOST_EVENTS = 500


class PreviewQuerySerializer(serializers.Serializer):
    """The events to preview, the figures beside them, and the publication they would
    be given."""

    slugs = serializers.ListField(
        child=serializers.SlugField(max_length=120),
        required=False,
        default=list,
        max_length=MOST_EVENTS,
        help_text=_(
            "Slugs of the mode events, drafts or published; at least one, unless "
            "figures are named."
        ),
    )
    figures = serializers.ListField(
        child=serializers.UUIDField(),
        required=False,
        default=list,
        max_length=MOST_EVENTS,
        help_text=_(
            "UUIDs of market figures to set with the events, e.g. those accepted from "
            "one text with them. Figures change no status: the preview only lists "
            "those whose publication would change."
        ),
    )
    state = serializers.ChoiceField(
        choices=Publication.choices,
        default=Publication.PUBLISHED,
        help_text=_(
            "published (by default) to preview publishing them; draft to preview "
            "returning them to draft."
        ),
    )

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if not data["slugs"] and not data["figures"]:
            raise serializers.ValidationError(
                {"slugs": _("Name at least one mode event (or market figure).")}
            )
        events = list(ModeEvent.objects.filter(slug__in=data["slugs"]))
        unknown = sorted(set(data["slugs"]) - {event.slug for event in events})
        if unknown:
            raise serializers.ValidationError(
                {
                    "slugs": _("No mode event has the slug: %(slugs)s.")
                    % {"slugs": ", ".join(unknown)}
                }
            )
        figures = list(
            MarketFigure.objects.filter(uuid__in=data["figures"]).order_by("pk")
        )
        unknown = sorted(
            {str(key) for key in data["figures"]}
            - {str(figure.uuid) for figure in figures}
        )
        if unknown:
            raise serializers.ValidationError(
                {
                    "figures": _("No market figure has the UUID: %(uuids)s.")
                    % {"uuids": ", ".join(unknown)}
                }
            )
        data["events"] = sorted(events, key=lambda event: (event.date, event.slug))
        data["market_figures"] = figures
        return data


class PublishSerializer(PreviewQuerySerializer):
    """The events and figures to publish (or return to draft) in one write, and why."""

    change_reason = OneLineTextField(
        max_length=100,
        validators=[TextValidator(multiline=False)],
        help_text=_(
            "Kept in each record's history, e.g. “checked against the source”."
        ),
    )


class PreviewAnswerSerializer(serializers.Serializer):
    """What a reader is told of a cell: the fields of /api/status/ saying what the
    answer is."""

    status = serializers.ChoiceField(
        choices=Status.choices, help_text=_("As /api/status/ gives it.")
    )
    uncertain = serializers.BooleanField(help_text=_("As /api/status/ gives it."))
    previous_status = serializers.CharField(
        allow_blank=True,
        help_text=_("While uncertain, the status the day may still have; else empty."),
    )
    implied = serializers.BooleanField(help_text=_("As /api/status/ gives it."))
    scheduled = serializers.BooleanField(help_text=_("As /api/status/ gives it."))


class ChangedDaysSerializer(serializers.Serializer):
    """Days over which the cell's answer would change, from before to after."""

    first = serializers.DateField(
        allow_null=True,
        help_text=_("The first day; null where it is a day no source gives."),
    )
    last = serializers.DateField(
        allow_null=True,
        help_text=_("The last day; null where the change lasts from then on."),
    )
    as_of = serializers.DateField(
        source="a_day",
        help_text=_("A day inside the period, to ask /api/status/?as_of= about."),
    )
    before = PreviewAnswerSerializer(help_text=_("The answer on those days now."))
    after = PreviewAnswerSerializer(help_text=_("The answer on those days then."))


class CellPreviewSerializer(serializers.Serializer):
    """One market × mode whose answer would change."""

    market = serializers.CharField(
        source="market.code", help_text=_("ISO code of the market.")
    )
    mode = serializers.ChoiceField(choices=Mode.choices, help_text=FIELD_HELP["mode"])
    periods = ChangedDaysSerializer(
        many=True, help_text=_("The days on which it would change, in order.")
    )


class PreviewSerializer(serializers.Serializer):
    """Every cell whose public answer would differ, were the events given ``state``."""

    state = serializers.ChoiceField(
        choices=Publication.choices, help_text=_("The publication previewed.")
    )
    events = serializers.ListField(
        child=serializers.SlugField(),
        help_text=_(
            "Slugs of the events whose publication would change; those already so are "
            "left out."
        ),
    )
    figures = serializers.ListField(
        child=serializers.UUIDField(),
        help_text=_(
            "UUIDs of the market figures whose publication would change; those "
            "already so are left out."
        ),
    )
    changes = CellPreviewSerializer(
        many=True,
        help_text=_(
            "Every cell whose answer would differ on some day, by market code, then "
            "mode; empty where publishing changes no answer."
        ),
    )
