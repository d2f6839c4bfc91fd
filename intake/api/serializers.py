"""What intake's endpoints read and write: a text to archive, the archived copies, the
suggestions read from the current one, and the keys an analyst accepts.

The checks are the admin's: a pasted or uploaded text goes through intake.uploads
(the same limits, readers and refusals), a suggestion's fields through the admin's
candidate forms (intake.candidates), so a value refused on the page is refused here
with the same message, on the field it concerns.
"""

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from intake.candidates import (
    SUGGESTIONS_PER_PAGE,
    Candidate,
    EventCandidateForm,
    FigureCandidateForm,
    candidate_initial,
)
from intake.uploads import MAX_UPLOAD_BYTES, pasted_text, uploaded_text
from markets.api.schema_words import filled_in
from markets.archive import MAX_ARCHIVED_CHARS
from markets.models import ArchiveKind, MarketFigure, ModeEvent, SourceText

#: Characters of each archived copy a list shows: enough to tell copies apart.
EXCERPT_CHARS = 200


class PayloadTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is larger than the API reads.")
    default_code = "too_large"


class ArchiveRequestSerializer(serializers.Serializer):
    """A text to archive as the source's current text: pasted (JSON) or uploaded
    (multipart), never both."""

    text = serializers.CharField(
        required=False,
        trim_whitespace=False,
        help_text=filled_in(
            _(
                "The source's full text, as published, at most %(max)s characters. "
                "Control characters are taken out, line ends made line feeds."
            ),
            {"max": f"{MAX_ARCHIVED_CHARS:,}"},
        ),
    )
    kind = serializers.ChoiceField(
        choices=[(ArchiveKind.PASTED, ArchiveKind.PASTED.label)],
        required=False,
        help_text=_("pasted, for a text; an upload's kind is read from its file."),
    )
    file = serializers.FileField(
        required=False,
        help_text=filled_in(
            _(
                "Or an HTML page, a PDF with text, or a plain-text file (multipart), "
                "at most %(size)d MB, read within seconds as in the admin."
            ),
            {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
        ),
    )
    retrieved_at = serializers.DateTimeField(
        required=False,
        allow_null=True,
        help_text=_("When the text was read from the source; null if unknown."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        text, upload = attrs.get("text", ""), attrs.get("file")
        if text.strip() and upload:
            raise serializers.ValidationError(
                {"file": _("Paste the text or upload a file, not both.")}
            )
        if not text.strip() and not upload:
            raise serializers.ValidationError(
                {"text": _("Paste the text, or upload a file.")}
            )
        field = "file" if upload else "text"
        try:
            attrs["archive"] = uploaded_text(upload) if upload else pasted_text(text)
        except DjangoValidationError as error:
            if error.code == "file_too_large":
                raise PayloadTooLarge({field: error.messages}) from error
            raise serializers.ValidationError({field: error.messages}) from error
        attrs["field"] = field
        return attrs


class SourceTextBriefSerializer(serializers.ModelSerializer):
    """An archived copy without its text: when and how it came, its hash, its length
    and its first words."""

    characters = serializers.IntegerField(
        read_only=True, help_text=_("The text's length, in characters.")
    )
    excerpt = serializers.CharField(
        read_only=True,
        help_text=filled_in(
            _("The first %(count)d characters of the text."), {"count": EXCERPT_CHARS}
        ),
    )
    current = serializers.SerializerMethodField(
        help_text=_("Whether this is the current copy, which quotes are checked in.")
    )

    class Meta:
        model = SourceText
        fields = (
            "uuid",
            "sha256",
            "kind",
            "file_name",
            "retrieved_at",
            "created_at",
            "characters",
            "excerpt",
            "current",
        )
        read_only_fields = fields
        extra_kwargs = {
            "uuid": {"help_text": _("Stable identifier of the archived copy.")},
            "file_name": {"help_text": _("The uploaded file's name; empty if pasted.")},
            "created_at": {"help_text": _("When it was archived.")},
        }

    def get_current(self, copy: SourceText) -> bool:
        return copy.pk == self.context.get("current_pk")


class ArchivingSerializer(serializers.Serializer):
    """What archiving did, as the admin says it: the current copy, whether it is new,
    and the quotes already resting on the source that were checked again."""

    created = serializers.BooleanField(
        help_text=_("False where the text is the current copy's: nothing was added.")
    )
    verified = serializers.IntegerField(
        help_text=_("Quotes of the source's facts found in the new text.")
    )
    needs_review = serializers.IntegerField(
        help_text=_("Quotes no longer found in it: flagged for review.")
    )
    archive = SourceTextBriefSerializer(
        source="copy",
        help_text=_("The source's current archived copy: the new one, or as it was."),
    )


class SuggestionSerializer(serializers.Serializer):
    """A candidate fact the admin's suggestions page offers: an event from a date, or
    a figure, with the sentence that becomes its quote."""

    key = serializers.CharField(
        help_text=_(
            "Stable while the text is unchanged: where the suggestion's words stand "
            "in the text. Send it to accept/."
        )
    )
    kind = serializers.ChoiceField(
        choices=[
            ("event", ModeEvent._meta.verbose_name),
            ("figure", MarketFigure._meta.verbose_name),
        ],
        help_text=_("event: a mode event; figure: a market figure."),
    )
    quote = serializers.CharField(
        source="quote_text",
        help_text=_("The sentence it was read from: the quote of the draft, verbatim."),
    )
    quote_start = serializers.IntegerField(
        help_text=_("Offset of the sentence in the archived text.")
    )
    wording = serializers.CharField(
        help_text=_("The words the suggestion was read from, e.g. 2025年3月.")
    )
    guesses = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("What was guessed rather than read: check it before accepting."),
    )
    fields = serializers.DictField(
        source="initial",
        help_text=filled_in(
            _(
                "The draft's fields as the admin pre-fills them; each may be "
                "overridden on accepting. An event: %(event)s. A figure: %(figure)s. "
                "markets is a list of ISO codes, region a region's code."
            ),
            {
                "event": ", ".join((*EventCandidateForm.model_fields, "markets")),
                "figure": ", ".join(
                    (*FigureCandidateForm.model_fields, "markets", "region")
                ),
            },
        ),
    )


def suggestion_data(candidate: Candidate, sentence: Any) -> dict[str, Any]:
    """A candidate as SuggestionSerializer reads it: markets a list of codes."""
    initial = candidate_initial(candidate)
    initial["markets"] = list(candidate.draft.markets)
    return {
        "key": candidate.key,
        "kind": candidate.kind,
        "quote_text": sentence.text,
        "quote_start": sentence.start,
        "wording": candidate.wording,
        "guesses": candidate.guesses,
        "initial": initial,
    }


class SuggestionsSerializer(serializers.Serializer):
    """One part of the suggestions of a source's current text, as the admin's page
    reads it: a bounded number of candidates, from ``start``."""

    source = serializers.SlugField(help_text=_("Slug of the source."))
    sha256 = serializers.CharField(
        help_text=_(
            "The hash of the archived text read: send it back on accepting, so that a "
            "text archived again meanwhile is not accepted from."
        )
    )
    start = serializers.IntegerField(
        help_text=_("Where this part starts in the text (?from=).")
    )
    next_start = serializers.IntegerField(
        allow_null=True,
        help_text=_(
            "The ?from= of the next part; null where this one reads to the end."
        ),
    )
    text_length = serializers.IntegerField(help_text=_("The text's length."))
    recorded = serializers.IntegerField(
        help_text=_(
            "Sentences of this part a fact rests on already: their candidates are not "
            "offered again."
        )
    )
    suggestions = SuggestionSerializer(
        many=True, help_text=_("The candidate facts of this part, in text order.")
    )


class AcceptSerializer(serializers.Serializer):
    """The suggestions to add as drafts, by key, each with the fields to change."""

    sha256 = serializers.CharField(
        max_length=64,
        help_text=_("The sha256 of the suggestions read (GET suggestions/)."),
    )
    start = serializers.IntegerField(
        min_value=0,
        default=0,
        help_text=_("The start of the part the keys were read from (its ?from=)."),
    )
    keys = serializers.ListField(
        child=serializers.CharField(max_length=40),
        min_length=1,
        max_length=SUGGESTIONS_PER_PAGE,
        help_text=_("Keys of the suggestions to add as drafts, each once."),
    )
    overrides = serializers.DictField(
        child=serializers.DictField(),
        required=False,
        default=dict,
        help_text=_(
            "By key, the fields to set other than as suggested, e.g. "
            '{"figure-93": {"metric_zh": "月活跃用户"}}: the names of a suggestion\'s '
            "fields."
        ),
    )

    def validate_keys(self, keys: list[str]) -> list[str]:
        twice = sorted({key for key in keys if keys.count(key) > 1})
        if twice:
            raise serializers.ValidationError(
                _("Each key once: %(keys)s given twice.") % {"keys": ", ".join(twice)}
            )
        return keys


class AcceptedSerializer(serializers.Serializer):
    """The drafts added, and the request that previews or publishes them all."""

    events = serializers.ListField(
        child=serializers.DictField(),
        help_text=_("The mode events added, as /api/mode-events/ shows them."),
    )
    figures = serializers.ListField(
        child=serializers.DictField(),
        help_text=_("The market figures added, as /api/market-figures/ shows them."),
    )
    publication = serializers.DictField(
        help_text=_(
            "The body to POST to /api/mode-events/preview/ and, with a change_reason, "
            "to /api/mode-events/publish/: every draft added, events and figures."
        )
    )
