"""Markets, the sources that speak of them, and the dated events of TikTok Shop's modes."""

import datetime
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from markets.dates import DatePrecision, date_span, format_fuzzy_date, precision_error
from markets.search import SearchableQuerySet

# --- Vocabularies --------------------------------------------------------------------


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Mode(models.TextChoices):
    SEMI_CLOSED_LOOP = "semi_closed_loop", _("Semi-closed loop")
    CLOSED_LOOP = "closed_loop", _("Closed loop (in-app shop)")
    FULLY_MANAGED = "fully_managed", _("Fully managed")


class EventKind(models.TextChoices):
    LAUNCH = "launch", _("Launch")
    BETA_LAUNCH = "beta_launch", _("Beta launch")
    RELAUNCH = "relaunch", _("Relaunch")
    LAUNCH_PLANNED = "launch_planned", _("Launch planned")
    CLOSURE_ANNOUNCED = "closure_announced", _("Closure announced")
    CLOSURE_EFFECTIVE = "closure_effective", _("Closure effective")
    UNDER_CONSIDERATION = "under_consideration", _("Under consideration")
    REGULATORY_ACTION = "regulatory_action", _("Regulatory action")
    POLICY_CHANGE = "policy_change", _("Policy change")
    FEATURE_LAUNCH = "feature_launch", _("Feature launch")


class Status(models.TextChoices):
    LIVE = "live", _("Live")
    BETA = "beta", _("Beta")
    CLOSED = "closed", _("Closed")
    CONSIDERING = "considering", _("Under consideration")
    NONE = "none", _("None")


class SourceKind(models.TextChoices):
    ARTICLE = "article", _("Article")
    INTERVIEW = "interview", _("Interview")
    DATA_REPORT = "data_report", _("Data report")
    NEWS_REPORT = "news_report", _("News report")
    OFFICIAL = "official", _("Official statement")


class Language(models.TextChoices):
    ZH_HANS = "zh-Hans", _("Chinese (Simplified)")
    ZH_HANT = "zh-Hant", _("Chinese (Traditional)")
    EN = "en", _("English")
    DE = "de", _("German")
    FR = "fr", _("French")
    ES = "es", _("Spanish")
    IT = "it", _("Italian")
    JA = "ja", _("Japanese")
    KO = "ko", _("Korean")
    ID = "id", _("Indonesian")


class FigureUnit(models.TextChoices):
    PERCENT = "percent", _("Percent (a share or rate)")
    PERCENT_CHANGE = "percent_change", _("Percent change")
    COUNT = "count", _("Count")
    CNY = "CNY", _("Chinese yuan")
    USD = "USD", _("US dollars")
    AMOUNT = "amount", _("Amount, currency not stated")
    MINUTES = "minutes", _("Minutes")
    HOURS = "hours", _("Hours")
    DAYS = "days", _("Days")
    YEARS = "years", _("Years")
    MULTIPLE = "multiple", _("Multiple (×)")
    RANK = "rank", _("Rank")


# What a value may be in each unit: (lowest, highest), None where unbounded.
UNIT_BOUNDS: dict[str, tuple[Decimal | None, Decimal | None]] = {
    FigureUnit.PERCENT: (Decimal(0), Decimal(100)),
    FigureUnit.PERCENT_CHANGE: (Decimal(-100), None),
    FigureUnit.COUNT: (Decimal(0), None),
    FigureUnit.CNY: (Decimal(0), None),
    FigureUnit.USD: (Decimal(0), None),
    FigureUnit.AMOUNT: (Decimal(0), None),
    FigureUnit.MINUTES: (Decimal(0), None),
    FigureUnit.HOURS: (Decimal(0), None),
    FigureUnit.DAYS: (Decimal(0), None),
    FigureUnit.YEARS: (Decimal(0), None),
    FigureUnit.MULTIPLE: (Decimal(0), None),
    FigureUnit.RANK: (Decimal(1), None),
}


class Qualifier(models.TextChoices):
    EXACT = "exact", _("Exactly")
    MORE_THAN = "more_than", _("More than")
    LESS_THAN = "less_than", _("Less than")
    ABOUT = "about", _("About")


# --- Validators ----------------------------------------------------------------------


def validate_country_code(value: str) -> None:
    """Accept only an upper-case ISO 3166-1 alpha-2 code of a real country."""
    if value != value.upper():
        raise ValidationError(
            _("Write the code in upper case, e.g. %(code)s."),
            code="lower_case",
            params={"code": value.upper()},
        )
    if pycountry.countries.get(alpha_2=value) is None:
        raise ValidationError(
            _("%(code)s is not an ISO 3166-1 alpha-2 country code."),
            code="unknown_country",
            params={"code": value},
        )


validate_web_url = URLValidator(
    schemes=["http", "https"], message=_("Enter an http:// or https:// address.")
)


# --- Shared behaviour ----------------------------------------------------------------


class NaturalKeyQuerySet(models.QuerySet):
    """Looks rows up by the one field that names them in fixtures and URLs."""

    def get_by_natural_key(self, key: str) -> models.Model:
        return self.get(**{self.model.natural_key_field: key})


class PublishableQuerySet(NaturalKeyQuerySet):
    def published(self) -> "PublishableQuerySet":
        """What the public may see: the one definition of "published"."""
        return self.filter(publication=Publication.PUBLISHED)


class FactQuerySet(PublishableQuerySet):
    """Reads shared by every fact: its public evidence, and the facts a source supports."""

    def _evidence_model(self) -> type["Evidence"]:
        return self.model._meta.get_field("evidence").related_model

    def with_public_evidence(self) -> "FactQuerySet":
        """Prefetch the evidence the public may see: quotes from published sources."""
        return self.prefetch_related(
            models.Prefetch(
                "evidence", queryset=self._evidence_model().objects.public()
            )
        )

    def resting_on(self, source: "Source") -> "FactQuerySet":
        """Facts this source supports, each with that source's quotes in ``quotes``."""
        quotes = self._evidence_model().objects.filter(source=source)
        return self.filter(pk__in=quotes.values("fact")).prefetch_related(
            models.Prefetch("evidence", queryset=quotes, to_attr="quotes")
        )


class NaturallyKeyed(models.Model):
    natural_key_field = "slug"

    class Meta:
        abstract = True

    def natural_key(self) -> tuple[str]:
        return (str(getattr(self, self.natural_key_field)),)


class Bilingual:
    """Content written in Simplified Chinese and English as ``<name>_zh`` / ``<name>_en``."""

    def localized(self, name: str) -> str:
        """The active language's text, falling back to the other language's."""
        first, second = (
            ("zh", "en") if (get_language() or "").startswith("zh") else ("en", "zh")
        )
        return getattr(self, f"{name}_{first}") or getattr(self, f"{name}_{second}")


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class StaleEditError(Exception):
    """A save based on a version of the record that someone else has since changed."""

    def __init__(self, record: "Content") -> None:
        self.record = record
        change = record.history.select_related("history_user").first()
        self.changed_by = change.history_user if change else None
        self.changed_at = change.history_date if change else None
        super().__init__(self.message)

    @property
    def message(self) -> str:
        who = (
            self.changed_by.get_username()
            if self.changed_by
            else str(_("someone else"))
        )
        when = self.changed_at.strftime("%Y-%m-%d %H:%M UTC") if self.changed_at else ""
        return _(
            "%(who)s changed this record (%(when)s) after you opened it. Reload it to see "
            "their change, then make yours again."
        ) % {"who": who, "when": when}


class Content(NaturallyKeyed, Timestamped):
    """A record the public sees once an analyst publishes it, with its full history."""

    publication = models.CharField(
        _("publication"),
        max_length=10,
        choices=Publication.choices,
        default=Publication.DRAFT,
        help_text=_("Drafts are visible to analysts only."),
    )
    version = models.PositiveIntegerField(
        _("version"),
        default=1,
        editable=False,
        help_text=_(
            "Raised by one at every save; an edit of an older version is refused."
        ),
    )

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, expected_version: int | None = None, **kwargs) -> None:
        """Save only if the row is still at the version this edit started from.

        That version is ``expected_version`` when a form or payload carries it, else the
        one this instance was loaded with. A conditional UPDATE claims the next version in
        the same transaction, so of two analysts saving at once only one wins; the other
        gets a StaleEditError naming who changed the record.
        """
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        expected = self.version if expected_version is None else expected_version
        with transaction.atomic(using=kwargs.get("using")):
            claimed = (
                type(self)
                ._base_manager.filter(pk=self.pk, version=expected)
                .update(version=expected + 1)
            )
            if not claimed:
                raise StaleEditError(self)
            self.version = expected + 1
            super().save(*args, **kwargs)

    def stored_version(self) -> int | None:
        """The version in the database now, which may be past this instance's."""
        if self.pk is None:
            return None
        return (
            type(self)._base_manager.values_list("version", flat=True).get(pk=self.pk)
        )


class Fact(Content):
    """A claim taken from sources, which may be disputed between them."""

    is_disputed = models.BooleanField(
        _("disputed"),
        default=False,
        help_text=_(
            "Sources disagree on this fact. Keep each claim as evidence with its source, "
            "and say what they disagree on."
        ),
    )
    dispute_note_zh = models.TextField(_("dispute note (Chinese)"), blank=True)
    dispute_note_en = models.TextField(_("dispute note (English)"), blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        if self.is_disputed and not (self.dispute_note_zh or self.dispute_note_en):
            raise ValidationError(
                {"dispute_note_en": _("Say what the sources disagree on.")},
                code="dispute_without_note",
            )


def fuzzy_date_errors(
    day: datetime.date | None, precision: str, date_field: str, precision_field: str
) -> dict[str, str]:
    """Field errors for a date and its precision, which must be given together."""
    if day is None and not precision:
        return {}
    if day is None:
        return {date_field: _("Give the date this precision applies to.")}
    if not precision:
        return {precision_field: _("Say how precise the date is.")}
    error = precision_error(day, precision)
    return {date_field: error} if error else {}


class FigureValue(Fact):
    """What every figure shares: what is measured, in which unit, how exactly, when."""

    natural_key_field = "uuid"

    uuid = models.UUIDField(
        _("identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    metric_zh = models.CharField(_("metric (Chinese)"), max_length=200, blank=True)
    metric_en = models.CharField(_("metric (English)"), max_length=200, blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=FigureUnit.choices)
    qualifier = models.CharField(
        _("qualifier"),
        max_length=10,
        choices=Qualifier.choices,
        default=Qualifier.EXACT,
        help_text=_("超/破 is “more than”, 不到 is “less than”, 约/左右 is “about”."),
    )
    is_projection = models.BooleanField(
        _("projection or target"),
        default=False,
        help_text=_("A goal, plan or expectation rather than a measured value."),
    )
    period_zh = models.CharField(_("period (Chinese)"), max_length=100, blank=True)
    period_en = models.CharField(_("period (English)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not (self.metric_zh or self.metric_en):
            errors.setdefault("metric_en", []).append(
                _("Name what the figure measures.")
            )
        for field in self.value_fields:
            message = self.value_error(getattr(self, field))
            if message:
                errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def value_error(self, value: Decimal | None) -> str | None:
        """Why a value cannot be in this figure's unit, or None when it can."""
        if value is None or self.unit not in UNIT_BOUNDS:
            return None
        low, high = UNIT_BOUNDS[self.unit]
        if low is not None and value < low:
            return _("A value in %(unit)s cannot be below %(low)s.") % {
                "unit": self.get_unit_display(),
                "low": low,
            }
        if high is not None and value > high:
            return _("A value in %(unit)s cannot be above %(high)s.") % {
                "unit": self.get_unit_display(),
                "high": high,
            }
        return None


def unit_bound_constraints(model_name: str, value_fields: Iterable[str]) -> list:
    """Database checks that mirror UNIT_BOUNDS, so no write path can skip them."""
    units_by_bounds: dict[tuple, list[str]] = {}
    for unit, bounds in UNIT_BOUNDS.items():
        units_by_bounds.setdefault(bounds, []).append(str(unit))
    constraints = []
    for field in value_fields:
        for (low, high), units in units_by_bounds.items():
            in_range = Q(**{f"{field}__isnull": True})
            if low is not None and high is not None:
                in_range |= Q(**{f"{field}__gte": low, f"{field}__lte": high})
            elif low is not None:
                in_range |= Q(**{f"{field}__gte": low})
            constraints.append(
                models.CheckConstraint(
                    condition=~Q(unit__in=units) | in_range,
                    name=f"{model_name}_{field}_{units[0].lower()}_bounds",
                    # Lazy, so that the migration holds the English text whatever
                    # language is active when the models are imported.
                    violation_error_message=format_lazy(
                        _("The {field} is out of range for its unit."),
                        field=field.replace("_", " "),
                    ),
                )
            )
    return constraints


# --- Reference data ------------------------------------------------------------------


class Region(NaturallyKeyed, Bilingual, Timestamped):
    """A group of markets that sources name as a whole (东南亚, 拉美, 中亚, …)."""

    natural_key_field = "code"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    objects = NaturalKeyQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.localized("name")


def refuse_deleting_markets_with_events(markets: models.QuerySet) -> None:
    """A market that events concern is history, not a typo: refuse to delete it.

    The many-to-many rows would otherwise vanish silently with the market.
    """
    events = ModeEvent.objects.filter(markets__in=markets).distinct()
    if events.exists():
        raise models.ProtectedError(
            _("Cannot delete a market that events concern: %(events)s.")
            % {"events": "; ".join(str(event) for event in events[:10])},
            set(events),
        )


class MarketQuerySet(PublishableQuerySet):
    def with_related(self) -> "MarketQuerySet":
        return self.select_related("region")

    def delete(self) -> tuple[int, dict[str, int]]:
        refuse_deleting_markets_with_events(self)
        return super().delete()

    def public(self) -> "MarketQuerySet":
        """Published markets with what every public page shows of them."""
        return self.published().with_related()

    def with_status_on(
        self, day: datetime.date, modes: Iterable[str] | None = None
    ) -> "MarketQuerySet":
        """Annotate ``status_<mode>``: the status on ``day``, "none" where none is set.

        The same deciding event as ``status_on`` picks, as a column one can filter on.
        """
        changes = StatusChange.objects.in_force_on(day)
        return self.annotate(
            **{
                f"status_{mode}": models.functions.Coalesce(
                    models.Subquery(
                        changes.latest_in_outer_market(mode).values("status")[:1]
                    ),
                    models.Value(Status.NONE),
                )
                for mode in (modes or Mode.values)
            }
        )

    def status_grid(
        self,
        day: datetime.date,
        modes: Iterable[str] | None = None,
        known_on: datetime.date | None = None,
    ) -> "StatusGrid":
        """``status_on`` as rows of markets, those where the semi-closed loop runs first.

        The first article asks where the semi-closed loop is live or in beta: those
        markets lead, the ones whose answer is uncertain follow, then the rest.
        """
        modes = list(modes or Mode.values)
        rows: dict[int, list[ModeStatus]] = {}
        markets: dict[int, Market] = {}
        for cell in self.status_on(day, modes, known_on):
            rows.setdefault(cell.market.pk, []).append(cell)
            markets[cell.market.pk] = cell.market
        grid = [MarketStatusRow(markets[pk], cells) for pk, cells in rows.items()]
        grid.sort(key=lambda row: (row.rank, row.market.code))
        return StatusGrid(day=day, modes=modes, rows=grid)

    def status_on(
        self,
        day: datetime.date,
        modes: Iterable[str] | None = None,
        known_on: datetime.date | None = None,
    ) -> list["ModeStatus"]:
        """Each market's status in each mode on ``day``, market by market, mode by mode.

        The database picks the deciding event of every (market, mode) in one query, one
        index seek each (see StatusChange); two more fetch those events and their
        evidence, however many markets there are. With
        ``known_on``, only evidence from sources published by then counts.
        """
        modes = list(modes or Mode.values)
        changes = StatusChange.objects.in_force_on(day, known_on)
        markets = list(
            self.with_related().annotate(
                **{
                    f"decided_by_{mode}": models.Subquery(
                        changes.latest_in_outer_market(mode).values("event")[:1]
                    )
                    for mode in modes
                }
            )
        )
        event_ids = {
            getattr(market, f"decided_by_{mode}")
            for market in markets
            for mode in modes
        }
        events = (
            ModeEvent.objects.filter(pk__in=event_ids - {None})
            .with_evidence(known_on)
            .in_bulk()
        )
        return [
            ModeStatus(
                market, mode, day, events.get(getattr(market, f"decided_by_{mode}"))
            )
            for market in markets
            for mode in modes
        ]


class Market(Content, Bilingual):
    """A country where TikTok Shop runs, or may run, one of its modes."""

    natural_key_field = "code"

    code = models.CharField(
        _("ISO code"),
        max_length=2,
        unique=True,
        validators=[validate_country_code],
        help_text=_("ISO 3166-1 alpha-2, upper case: DE, US, JP."),
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="markets",
        verbose_name=_("region"),
    )

    objects = MarketQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("market")
        verbose_name_plural = _("markets")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=r"^[A-Z]{2}$"),
                name="market_code_upper_alpha2",
                violation_error_message=_("The code is two upper-case letters."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.localized('name')}"

    def get_absolute_url(self) -> str:
        return reverse("markets:market-detail", kwargs={"code": self.code})

    def delete(self, *args, **kwargs) -> tuple[int, dict[str, int]]:
        refuse_deleting_markets_with_events(type(self).objects.filter(pk=self.pk))
        return super().delete(*args, **kwargs)


# --- Sources and evidence ------------------------------------------------------------


def published_by(day: datetime.date, prefix: str = "") -> Q:
    """Sources surely published by ``day``: the last day their date allows is not after it.

    A source dated only "2024" may have appeared on 31 December 2024, so on 15 January 2024
    nobody could yet rely on it. Computed from ``day`` alone, so indexes on the date serve.
    """
    next_day = day + datetime.timedelta(days=1)
    return (
        Q(
            **{
                f"{prefix}published_precision": DatePrecision.DAY,
                f"{prefix}published_on__lte": day,
            }
        )
        | Q(
            **{
                f"{prefix}published_precision": DatePrecision.MONTH,
                f"{prefix}published_on__lt": next_day.replace(day=1),
            }
        )
        | Q(
            **{
                f"{prefix}published_precision__in": [
                    DatePrecision.YEAR,
                    DatePrecision.APPROXIMATE,
                ],
                f"{prefix}published_on__lt": next_day.replace(month=1, day=1),
            }
        )
    )


class SourceQuerySet(SearchableQuerySet, PublishableQuerySet):
    search_substring_fields = ("title", "publisher")
    search_english_fields = ("title_en",)

    def with_related(self) -> "SourceQuerySet":
        return self.select_related("reported_via")

    def public(self) -> "SourceQuerySet":
        """Published sources, with the published sources they relay."""
        return (
            self.published()
            .with_related()
            .prefetch_related(
                models.Prefetch("relayed_sources", queryset=Source.objects.published())
            )
        )

    def with_fact_counts(self) -> "SourceQuerySet":
        """Annotate ``fact_count``: the published facts that rest on each source.

        One subquery per evidence table, so the count costs no query per row and
        joins do not multiply one another.
        """
        counts = []
        for relation in self.model._meta.related_objects:
            evidence_model = relation.related_model
            if not issubclass(evidence_model, Evidence):
                continue
            # What the fact's own pages would show: its public() rows.
            public_facts = evidence_model.fact.field.related_model.objects.public()
            counts.append(
                models.functions.Coalesce(
                    models.Subquery(
                        evidence_model.objects.filter(
                            source=models.OuterRef("pk"), fact__in=public_facts
                        )
                        .values("source")
                        .annotate(facts=models.Count("fact", distinct=True))
                        .values("facts")
                    ),
                    0,
                )
            )
        return self.annotate(fact_count=sum(counts[1:], counts[0]))


class Source(Content):
    """Where a fact comes from: an article, or an outlet that an article relays."""

    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    title = models.CharField(
        _("title"),
        max_length=300,
        help_text=_("As the source gives it, in its language."),
    )
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200)
    kind = models.CharField(
        _("kind"), max_length=20, choices=SourceKind.choices, default=SourceKind.ARTICLE
    )
    url = models.URLField(
        _("URL"), max_length=500, blank=True, validators=[validate_web_url]
    )
    published_on = models.DateField(
        _("published"),
        null=True,
        blank=True,
        help_text=_("The earliest day the precision allows; leave empty when unknown."),
    )
    published_precision = models.CharField(
        _("publication date precision"),
        max_length=12,
        choices=DatePrecision.choices,
        blank=True,
    )
    published_wording = models.CharField(
        _("publication date as written"), max_length=100, blank=True
    )
    published_note = models.TextField(
        _("publication date note"),
        blank=True,
        help_text=_("How the date was inferred, where the source does not print it."),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=Language.choices, default=Language.ZH_HANS
    )
    reported_via = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="relayed_sources",
        verbose_name=_("reported via"),
        help_text=_(
            "The source that relays this one, e.g. the article quoting an interview."
        ),
    )

    objects = SourceQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.CheckConstraint(
                condition=Q(url="")
                | Q(url__startswith="http://")
                | Q(url__startswith="https://"),
                name="source_url_http",
                violation_error_message=_("Enter an http:// or https:// address."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publisher}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("markets:source-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        errors = fuzzy_date_errors(
            self.published_on,
            self.published_precision,
            "published_on",
            "published_precision",
        )
        if self.reported_via_id and self.reported_via_id == self.pk:
            errors["reported_via"] = _("A source cannot relay itself.")
        if errors:
            raise ValidationError(errors)

    @property
    def published_display(self) -> str:
        if self.published_on is None:
            return ""
        return format_fuzzy_date(self.published_on, self.published_precision)

    @property
    def public_reported_via(self) -> "Source | None":
        """The relaying source, where the public may see it."""
        relay = self.reported_via
        return relay if relay and relay.publication == Publication.PUBLISHED else None


class EvidenceQuerySet(NaturalKeyQuerySet):
    def public(self) -> "EvidenceQuerySet":
        """Quotes the public may see: those whose source is published."""
        return self.filter(source__publication=Publication.PUBLISHED).select_related(
            "source"
        )


class Evidence(NaturallyKeyed, Timestamped):
    """The exact words of a source that support a fact, in the source's own language."""

    natural_key_field = "uuid"

    uuid = models.UUIDField(
        _("identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="%(class)s_set",
        verbose_name=_("source"),
    )
    quote = models.TextField(
        _("quote"),
        help_text=_(
            "Verbatim, in the source's language; for a relayed outlet, the words of the "
            "article that relays it."
        ),
    )
    claim = models.CharField(
        _("claim"),
        max_length=200,
        blank=True,
        help_text=_("On a disputed fact: what this source claims, e.g. 2020年左右."),
    )

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        # Named after the fact it supports: that is what a refused deletion must list.
        return f"{self.fact} ← {self.source.publisher}: “{self.quote[:40]}”"


# --- Events --------------------------------------------------------------------------


class ModeEventQuerySet(SearchableQuerySet, FactQuerySet):
    search_substring_fields = ("summary_zh",)
    search_english_fields = ("summary_en",)

    def with_related(self) -> "ModeEventQuerySet":
        return self.prefetch_related("markets", "evidence__source")

    def public(self) -> "ModeEventQuerySet":
        """Published events with their published markets and public evidence."""
        return (
            self.published()
            .prefetch_related(
                models.Prefetch("markets", queryset=Market.objects.published())
            )
            .with_public_evidence()
        )

    def concerning(self, market: "Market") -> "ModeEventQuerySet":
        return self.filter(markets=market)

    def key_dates(self, latest: int) -> list[tuple[datetime.date, str]]:
        """The ``latest`` days on which a status changed, each as precise as given.

        Oldest first, as (date, date as the source gives it).
        """
        dates = (
            self.setting_status()
            .order_by("-date", "-date_precision")
            .values_list("date", "date_precision")
            .distinct()[:latest]
        )
        return [
            (day, format_fuzzy_date(day, precision))
            for day, precision in reversed(dates)
        ]

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
        return self.published().exclude(status_set=Status.NONE)


class ModeEvent(Fact, Bilingual):
    """Something that happened to a mode: a launch, a beta, a closure, a shortlist."""

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    mode = models.CharField(_("mode"), max_length=20, choices=Mode.choices)
    kind = models.CharField(
        _("what happened"), max_length=24, choices=EventKind.choices
    )
    markets = models.ManyToManyField(
        Market, blank=True, related_name="events", verbose_name=_("markets")
    )
    has_no_market = models.BooleanField(
        _("no market"),
        default=False,
        help_text=_(
            "The source ties this event to no market. Tick this rather than guess one."
        ),
    )
    date = models.DateField(
        _("date"), help_text=_("The earliest day the precision allows.")
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
        _("date note"),
        blank=True,
        help_text=_(
            "How the date was inferred, where the source does not state it all."
        ),
    )
    status_set = models.CharField(
        _("status it sets"),
        max_length=12,
        choices=Status.choices,
        default=Status.NONE,
        help_text=_("The mode's status in these markets from this date on."),
    )
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

    objects = ModeEventQuerySet.as_manager()
    _history_m2m_fields = ["markets"]

    class Meta:
        ordering = ["date", "slug"]
        verbose_name = _("mode event")
        verbose_name_plural = _("mode events")
        indexes = [
            models.Index(fields=["mode", "date"], name="modeevent_mode_date"),
            # The API's and the pages' lists walk events in this order, page by page.
            models.Index(fields=["date", "slug"], name="modeevent_date_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.date_display} · {self.get_mode_display()} · {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("markets:event-detail", kwargs={"slug": self.slug})

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
    def validate_market_scope(markets: Iterable[Market], has_no_market: bool) -> None:
        """An event names its markets, or says it has none: never both, never neither.

        Markets are a many-to-many relation, saved after the row itself, so forms and
        serializers call this with the markets they are about to save.
        """
        markets = list(markets)
        if markets and has_no_market:
            raise ValidationError(
                {"has_no_market": _("Untick “no market” or remove the markets.")},
                code="markets_and_no_market",
            )
        if not markets and not has_no_market:
            raise ValidationError(
                {
                    "markets": _(
                        "Choose the markets this event concerns, or tick “no market” "
                        "where the source names none."
                    )
                },
                code="no_markets",
            )

    @property
    def date_display(self) -> str:
        return format_fuzzy_date(self.date, self.date_precision)

    @property
    def date_span(self) -> tuple[datetime.date, datetime.date]:
        return date_span(self.date, self.date_precision)


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


class StatusChangeQuerySet(models.QuerySet):
    def in_force_on(
        self, day: datetime.date, known_on: datetime.date | None = None
    ) -> "StatusChangeQuerySet":
        """Changes made by ``day``: the candidates to decide a status then.

        With ``known_on``, a change counts only if a source published by then supports
        its event.
        """
        changes = self.filter(date__lte=day)
        if known_on is not None:
            changes = changes.filter(
                models.Exists(
                    EventEvidence.objects.filter(
                        published_by(known_on, "source__"),
                        fact=models.OuterRef("event"),
                    )
                )
            )
        return changes

    def latest_in_outer_market(self, mode: str) -> "StatusChangeQuerySet":
        """For a subquery over markets: this mode's changes there, the decider first."""
        return self.filter(market=models.OuterRef("pk"), mode=mode).order_by(
            "-date", "-event"
        )

    def rewrite_for(self, event_ids: Iterable[int]) -> None:
        """Make these events' rows match the events and their markets again."""
        event_ids = list(event_ids)
        with transaction.atomic():
            self.filter(event__in=event_ids).delete()
            self.write(ModeEvent.objects.filter(pk__in=event_ids))

    def rebuild(self) -> None:
        """Every row again, from every event: after bulk writes that send no signals."""
        with transaction.atomic():
            self.all().delete()
            self.write(ModeEvent.objects.all())

    def write(self, events: "ModeEventQuerySet") -> None:
        links = ModeEvent.markets.through.objects.filter(
            modeevent__in=events.setting_status()
        ).values_list(
            "modeevent_id",
            "market_id",
            "modeevent__mode",
            "modeevent__date",
            "modeevent__status_set",
        )
        self.bulk_create(
            (
                StatusChange(
                    event_id=event,
                    market_id=market,
                    mode=mode,
                    date=date,
                    status=status,
                )
                for event, market, mode, date, status in links.iterator()
            ),
            batch_size=5_000,
        )


class StatusChange(models.Model):
    """A published event's status in one of its markets, in force from its date.

    Derived from the events and their markets, which stay the record (and have the
    history): the status of a mode in a market on a day is that of the latest change
    on or before it, and with market, mode and date side by side, one index seek finds
    it for each market. The event's save and its markets' changes rewrite its rows
    (markets.signals); a test holds the table to the events after every kind of edit.
    """

    event = models.ForeignKey(
        ModeEvent, on_delete=models.CASCADE, related_name="status_changes"
    )
    # The index below, which starts with the market, serves lookups by market too.
    market = models.ForeignKey(
        Market, on_delete=models.CASCADE, related_name="status_changes", db_index=False
    )
    mode = models.CharField(max_length=20, choices=Mode.choices)
    date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices)

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "market"], name="statuschange_once_per_market"
            )
        ]
        indexes = [
            models.Index(
                fields=["market", "mode", "-date", "-event"],
                name="statuschange_latest",
            )
        ]

    def __str__(self) -> str:
        return f"{self.market_id} · {self.mode} · {self.date}: {self.status}"


@dataclass(frozen=True)
class ModeStatus:
    """A mode's status in one market on one day, and the event that decided it."""

    market: Market
    mode: str
    day: datetime.date
    event: ModeEvent | None

    @property
    def status(self) -> str:
        return self.event.status_set if self.event else Status.NONE

    def get_status_display(self) -> str:
        return Status(self.status).label

    def get_mode_display(self) -> str:
        return Mode(self.mode).label

    @property
    def uncertain(self) -> bool:
        """The day falls inside the imprecision of the deciding event's date.

        In February 2024, a beta "from 2024年2月" may not have started yet.
        """
        if self.event is None or self.event.date_precision == DatePrecision.DAY:
            return False
        return self.day <= self.event.date_span[1]

    @property
    def is_running(self) -> bool:
        """The mode is open to sellers here: live or in beta."""
        return self.status in (Status.LIVE, Status.BETA)

    @property
    def certain_from(self) -> datetime.date | None:
        """The first day on which the deciding event has surely happened."""
        if self.event is None:
            return None
        return self.event.date_span[1] + datetime.timedelta(days=1)

    @property
    def uncertainty_note(self) -> str:
        """Why the status on this day cannot be told, in the reader's language."""
        if not self.uncertain:
            return ""
        return _(
            "The source dates “%(kind)s” only to %(date)s, not to the day, so on "
            "%(day)s it may not have happened yet. It is certain from %(after)s."
        ) % {
            "kind": self.event.get_kind_display(),
            "date": self.event.date_display,
            "day": self.day.isoformat(),
            "after": self.certain_from.isoformat(),
        }


@dataclass(frozen=True)
class MarketStatusRow:
    """One market's cells in the status grid, one per mode, in the grid's mode order."""

    market: Market
    cells: list[ModeStatus]

    @property
    def rank(self) -> int:
        """0 where the semi-closed loop surely runs, 1 where it may, 2 elsewhere."""
        for cell in self.cells:
            if cell.mode == Mode.SEMI_CLOSED_LOOP and cell.is_running:
                return 1 if cell.uncertain else 0
        return 2


@dataclass(frozen=True)
class ModeAnswer:
    """Where one mode stands on the grid's day: the markets by status."""

    mode: str
    live: list[Market]
    beta: list[Market]
    closed: list[Market]
    considering: list[Market]
    uncertain: list[ModeStatus]

    def get_mode_display(self) -> str:
        return Mode(self.mode).label

    @property
    def uncertain_by_event(self) -> list[tuple[ModeStatus, list[Market]]]:
        """Uncertain cells grouped by the event that makes them so: one reason each."""
        groups: dict[int, tuple[ModeStatus, list[Market]]] = {}
        for cell in self.uncertain:
            groups.setdefault(cell.event.pk, (cell, []))[1].append(cell.market)
        return list(groups.values())


@dataclass(frozen=True)
class StatusGrid:
    """Every market's status in every mode on one day: the first article's answer."""

    day: datetime.date
    modes: list[str]
    rows: list[MarketStatusRow]

    @property
    def mode_labels(self) -> list[tuple[str, str]]:
        return [(mode, Mode(mode).label) for mode in self.modes]

    @property
    def answers(self) -> list[ModeAnswer]:
        by_mode: dict[str, dict[str, list]] = {
            mode: {status: [] for status in Status.values} | {"uncertain": []}
            for mode in self.modes
        }
        for row in self.rows:
            for cell in row.cells:
                if cell.uncertain:
                    by_mode[cell.mode]["uncertain"].append(cell)
                else:
                    by_mode[cell.mode][cell.status].append(row.market)
        return [
            ModeAnswer(
                mode=mode,
                live=found[Status.LIVE],
                beta=found[Status.BETA],
                closed=found[Status.CLOSED],
                considering=found[Status.CONSIDERING],
                uncertain=found["uncertain"],
            )
            for mode, found in by_mode.items()
        ]


# --- Figures about markets, regions and the platform ---------------------------------


class FigureQuerySet(SearchableQuerySet, FactQuerySet):
    search_substring_fields = ("metric_zh",)
    search_english_fields = ("metric_en", "period_en")


class MarketFigureQuerySet(FigureQuerySet):
    def with_related(self) -> "MarketFigureQuerySet":
        return self.select_related("region").prefetch_related(
            "markets", "evidence__source"
        )

    def public(self) -> "MarketFigureQuerySet":
        """Published figures with their region, published markets and public evidence."""
        return (
            self.published()
            .select_related("region")
            .prefetch_related(
                models.Prefetch("markets", queryset=Market.objects.published())
            )
            .with_public_evidence()
        )

    def concerning(self, market: "Market") -> "MarketFigureQuerySet":
        """Figures about this market, or about its region as a whole."""
        return self.filter(
            Q(
                pk__in=MarketFigure.markets.through.objects.filter(
                    market=market
                ).values("marketfigure")
            )
            | Q(region=market.region_id)
        )


class MarketFigure(FigureValue, Bilingual):
    """A number about markets, a region, or TikTok Shop as a whole (neither given)."""

    value_fields = ("value",)

    value = models.DecimalField(_("value"), max_digits=18, decimal_places=2)
    markets = models.ManyToManyField(
        Market, blank=True, related_name="figures", verbose_name=_("markets")
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="figures",
        verbose_name=_("region"),
        help_text=_("For a figure the source gives for a region as a whole."),
    )

    objects = MarketFigureQuerySet.as_manager()
    _history_m2m_fields = ["markets"]

    class Meta:
        ordering = ["metric_en"]
        verbose_name = _("market figure")
        verbose_name_plural = _("market figures")
        constraints = unit_bound_constraints("marketfigure", ["value"])

    def __str__(self) -> str:
        return f"{self.localized('metric')}: {self.value_display}"

    @property
    def value_display(self) -> str:
        return format_figure(self.value, self.unit, self.qualifier)


class MarketFigureEvidence(Evidence):
    fact = models.ForeignKey(
        MarketFigure,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("market figure"),
    )

    class Meta(Evidence.Meta):
        verbose_name = _("market figure evidence")
        verbose_name_plural = _("market figure evidence")


UNIT_SYMBOLS = {
    FigureUnit.PERCENT: "%",
    FigureUnit.PERCENT_CHANGE: "%",
    FigureUnit.MULTIPLE: "×",
}
QUALIFIER_SYMBOLS = {
    Qualifier.MORE_THAN: ">",
    Qualifier.LESS_THAN: "<",
    Qualifier.ABOUT: "≈",
}


def format_figure(value: Decimal | None, unit: str, qualifier: str) -> str:
    """A value as a reader expects it: "> 50,000,000", "+120%", "2.8×", "¥5,000"."""
    if value is None:
        return "–"
    number = f"{value.normalize():,f}"
    if unit == FigureUnit.PERCENT_CHANGE and value > 0:
        number = f"+{number}"
    if unit in UNIT_SYMBOLS:
        text = f"{number}{UNIT_SYMBOLS[unit]}"
    elif unit == FigureUnit.CNY:
        text = f"¥{number}"
    elif unit == FigureUnit.USD:
        text = f"US${number}"
    elif unit == FigureUnit.RANK:
        text = f"#{number}"
    elif unit in (
        FigureUnit.MINUTES,
        FigureUnit.HOURS,
        FigureUnit.DAYS,
        FigureUnit.YEARS,
    ):
        text = f"{number} {FigureUnit(unit).label.lower()}"
    else:
        text = number
    prefix = QUALIFIER_SYMBOLS.get(qualifier)
    return f"{prefix} {text}" if prefix else text


class RecordVersion(models.Model):
    """One number, raised by every write to the record: what cached reads are keyed by.

    It is raised in the writing transaction itself, so a reader sees the new number
    exactly when it sees the new data, in whichever process (markets.caching).
    """

    number = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("record version")
        verbose_name_plural = _("record versions")

    def __str__(self) -> str:
        return str(self.number)
