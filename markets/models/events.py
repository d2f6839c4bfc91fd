"""The dated events of TikTok Shop's modes and the evidence behind them."""

import datetime
from collections.abc import Callable, Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from markets.dates import (
    DatePrecision,
    date_slug,
    date_span,
    format_day_range,
    format_fuzzy_date,
    latest_day,
    latest_done_by,
    published_by,
    validate_sane_date,
)
from markets.models.bases import (
    Bilingual,
    Content,
    DerivedSlug,
    Fact,
    FactQuerySet,
    fuzzy_date_errors,
    in_language,
)
from markets.models.choices import (
    EventKind,
    EventScope,
    Mode,
    Publication,
    StatusSet,
)
from markets.models.evidence import Evidence
from markets.models.markets import Market
from markets.search import SearchableQuerySet

#: Past this many markets an event's headline counts them rather than naming them.
HEADLINE_MARKETS = 3

# --- Events --------------------------------------------------------------------------


class ModeEventQuerySet(SearchableQuerySet, FactQuerySet):
    search_substring_fields = ("summary_zh",)
    search_english_fields = ("summary_en",)

    def with_related(self) -> "ModeEventQuerySet":
        return self.select_related("dispute").prefetch_related(
            "markets", "evidence__source"
        )

    def public(self) -> "ModeEventQuerySet":
        """Published events with their dispute, published markets and public evidence."""
        return (
            self.published()
            .prefetch_related(
                models.Prefetch(
                    "markets", queryset=Market.objects.published().with_related()
                )
            )
            .with_public_evidence()
        )

    def concerning(self, market: "Market") -> "ModeEventQuerySet":
        return self.filter(markets=market)

    def with_evidence(
        self, known_on: datetime.date | None = None
    ) -> "ModeEventQuerySet":
        """Prefetch public evidence with its source; with ``known_on``, only what was public then."""
        evidence = EventEvidence.objects.public()
        if known_on is not None:
            evidence = evidence.filter(published_by(known_on, "source__"))
        return self.prefetch_related(models.Prefetch("evidence", queryset=evidence))

    def setting_status(self) -> "ModeEventQuerySet":
        """Events that decide a status: published, and setting one."""
        return self.published().exclude(status_set=StatusSet.NONE)


class ModeEvent(DerivedSlug, Fact, Bilingual):
    """Something that happened to a mode: a launch, a beta, a closure, a shortlist."""

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_(
            "The event's public address. Leave it empty: it is made from the mode, "
            "what happened and the date when you save."
        ),
    )
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    kind = models.CharField(
        _("what happened"), max_length=24, choices=EventKind.choices
    )
    markets = models.ManyToManyField(
        Market, blank=True, related_name="events", verbose_name=_("markets")
    )
    scope = models.CharField(
        _("scope"),
        max_length=12,
        choices=EventScope.choices,
        default=EventScope.MARKETS,
        help_text=_(
            "Worldwide where the source names no market but means every market "
            "(“globally”, “external links end”); no market where it ties the event to "
            "none. Never guess a market."
        ),
    )
    date = models.DateField(
        _("date"),
        validators=[validate_sane_date],
        help_text=_(
            "The day, or the first day of the month or year the source names; the "
            "precision says which days it may stand for."
        ),
    )
    date_precision = models.CharField(
        _("date precision"), max_length=12, choices=DatePrecision.choices
    )
    date_wording = models.CharField(
        _("date as written"),
        max_length=100,
        blank=True,
        help_text=_("The source's own words for the date, e.g. 2024年2月 or 8月底."),
    )
    date_note = models.TextField(
        _("date note (English)"),
        blank=True,
        help_text=_(
            "How the date was inferred, where the source does not state it all."
        ),
    )
    date_note_zh = models.TextField(
        _("date note (Chinese)"),
        blank=True,
        help_text=_("The date note in Chinese, for readers of the Chinese pages."),
    )
    is_scheduled = models.BooleanField(
        _("announced ahead"),
        default=False,
        help_text=_(
            "The source announces this for the future (“will close at the end of "
            "August”): a scheduled change, not one the source saw happen."
        ),
    )
    status_set = models.CharField(
        _("status it sets"),
        max_length=12,
        choices=StatusSet.choices,
        default=StatusSet.NONE,
        help_text=_("The mode's status in these markets from this date on."),
    )
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    published_at = models.DateTimeField(
        _("first published"),
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "When the event was first published; empty while it is a draft that never "
            "was. A return to draft and back keeps the first time."
        ),
    )

    objects = ModeEventQuerySet.as_manager()
    _history_m2m_fields = ["markets"]
    #: The event's own columns, in the order every reader, writer and spreadsheet
    #: lists them (API readers and serializers, import and export).
    recorded_fields = (
        "mode",
        "kind",
        "scope",
        "date",
        "date_precision",
        "date_wording",
        "date_note",
        "date_note_zh",
        "is_scheduled",
        "status_set",
        "summary_zh",
        "summary_en",
    )
    #: What a save writes of itself: when, at which version, when first published.
    #: Every save changes some of them, yet no status cell shows them and the status
    #: rule reads none, so a save changing nothing else leaves the status index as it
    #: is (status.receivers), and a change of them typed in SQL marks no span unsure
    #: (caching.triggers).
    bookkeeping_fields = ("created_at", "updated_at", "version", "published_at")

    class Meta(Content.Meta):
        ordering = ["date", "slug"]
        verbose_name = _("mode event")
        verbose_name_plural = _("mode events")
        indexes = [
            models.Index(fields=["mode", "date"], name="modeevent_mode_date"),
            # The API's and the pages' lists walk events in this order, page by page.
            models.Index(fields=["date", "slug"], name="modeevent_date_slug"),
            # The home page's days when a status changed: the latest few, walked in
            # order from the newest (status.selectors.key_dates).
            models.Index(
                fields=["-date", "-date_precision"],
                condition=Q(publication=Publication.PUBLISHED)
                & ~Q(status_set=StatusSet.NONE),
                name="modeevent_status_days",
            ),
            # The worldwide events of a mode, which join the claims of every market:
            # a rewrite of some markets' spans finds them here, beside those the
            # market links name, without reading the whole mode (status.claims).
            models.Index(
                fields=["mode"],
                condition=Q(scope=EventScope.WORLDWIDE),
                name="modeevent_worldwide",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date_display} · {self.get_mode_display()} · {self.get_kind_display()}"

    def save(self, *args, **kwargs) -> None:
        if self.note_publication() and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "published_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("markets:event-detail", kwargs={"slug": self.slug})

    def slug_words(self) -> list[str]:
        """Mode, what happened and the date at its own precision:
        semi-closed-loop-beta-launch-2024-02 for February 2024, never a day the
        source does not give (markets.dates.date_slug)."""
        return [self.mode, self.kind, date_slug(self.date, self.date_precision)]

    def note_publication(self, at: datetime.datetime | None = None) -> bool:
        """Stamp the moment the event is first published, ``at`` or now; True when
        this stamped it.

        Feed readers are told an entry was published when the public could first
        read it (Atom's ``published``), not when its draft was begun nor when it was
        last changed: every save passes here, and the article data's raw saves
        call it with the record's own creation time.
        """
        if self.publication != Publication.PUBLISHED or self.published_at is not None:
            return False
        self.published_at = at or timezone.now()
        return True

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field, message in fuzzy_date_errors(
            self.date, self.date_precision, "date", "date_precision"
        ).items():
            errors.setdefault(field, []).append(message)
        if not (self.summary_zh or self.summary_en):
            errors.setdefault("summary_en", []).append(_("Summarise the event."))
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def validate_market_scope(markets: Iterable[Market], scope: str) -> None:
        """Named markets (or a region's) need markets; worldwide and none have none.

        Markets are a many-to-many relation, saved after the row itself, so forms and
        serializers call this with the markets they are about to save.
        """
        markets = list(markets)
        if scope in (EventScope.MARKETS, EventScope.REGION) and not markets:
            raise ValidationError(
                {
                    "markets": _(
                        "Choose the markets this event concerns, or set the scope to "
                        "worldwide or no market where the source names none."
                    )
                },
                code="no_markets",
            )
        if scope in (EventScope.WORLDWIDE, EventScope.NONE) and markets:
            raise ValidationError(
                {
                    "scope": _(
                        "A worldwide or no-market event names no markets: remove them "
                        "or set the scope to the markets named."
                    )
                },
                code="markets_and_no_market",
            )

    @property
    def date_display(self) -> str:
        return format_fuzzy_date(self.date, self.date_precision)

    @property
    def date_span(self) -> tuple[datetime.date, datetime.date]:
        """The days the event may have happened on: its wording's, ending, for what a
        source reports as done, by that source's publication (markets.dates
        .latest_done_by), as the status rule reads it. Reads the event's evidence
        (prefetch it for many events)."""
        first, last = date_span(self.date, self.date_precision)
        published_by = [
            latest_day(
                evidence.source.published_on, evidence.source.published_precision
            )
            for evidence in self.evidence.all()
            if evidence.source.publication == Publication.PUBLISHED
        ]
        return first, latest_done_by(first, last, published_by, self.is_scheduled)

    @property
    def date_earliest(self) -> datetime.date:
        return self.date_span[0]

    @property
    def date_latest(self) -> datetime.date:
        return self.date_span[1]

    @property
    def date_range_display(self) -> str:
        """The days the date may stand for, where that is more than one."""
        first, last = self.date_span
        return "" if first == last else format_day_range(first, last)

    @property
    def date_note_shown(self) -> str:
        """The date note in the reader's language, else in the other."""
        return in_language(self.date_note_zh, self.date_note)

    @property
    def headline(self) -> str:
        """A title short enough to lead a page on a phone, in the reader's language:
        what happened, to which mode, where and when. The summary follows it."""
        return self._headline(str)

    @property
    def headline_html(self) -> SafeString:
        """The headline with each name and the date kept whole on one line."""
        return self._headline(
            lambda text: format_html('<span class="nobreak">{}</span>', text)
        )

    def _headline(self, whole: Callable[[str], str]) -> str:
        facts = {
            "kind": whole(self.get_kind_display()),
            "mode": whole(self.get_mode_display()),
            "date": whole(self.date_display),
        }
        markets = list(self.markets.all())
        if self.scope == EventScope.WORLDWIDE:
            pattern = gettext("%(kind)s: %(mode)s worldwide, %(date)s")
        elif self.scope == EventScope.NONE or not markets:
            pattern = gettext("%(kind)s: %(mode)s, %(date)s")
        else:
            pattern = gettext("%(kind)s: %(mode)s in %(where)s, %(date)s")
            if self.scope == EventScope.REGION:
                names = self.region_names
            elif len(markets) > HEADLINE_MARKETS:
                names = [
                    ngettext("%(count)d market", "%(count)d markets", len(markets))
                    % {"count": len(markets)}
                ]
            else:
                names = [market.localized("name") for market in markets]
            facts["where"] = conditional_escape(gettext(", ")).join(
                whole(name) for name in names
            )
        if whole is str:
            return pattern % facts
        return mark_safe(conditional_escape(pattern) % facts)  # noqa: S308 (its parts escaped)

    @property
    def region_names(self) -> list[str]:
        """Where a region-scoped event happens, in the order its markets come: a
        region for two or more of its markets, a market alone in its region by its own
        name. A source that lists "拉美、中亚、新西兰" names two regions and a country;
        naming New Zealand's region (Oceania) would say what the source never did."""
        by_region: dict[str, list[Market]] = {}
        for market in self.markets.all():
            by_region.setdefault(str(market.region), []).append(market)
        return [
            region if len(markets) > 1 else markets[0].localized("name")
            for region, markets in by_region.items()
        ]


class EventEvidence(Evidence):
    fact = models.ForeignKey(
        ModeEvent,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("event"),
    )

    class Meta(Evidence.Meta):
        verbose_name = _("event evidence")
        verbose_name_plural = _("event evidence")
