"""Markets, the sources that speak of them, and the dated events of TikTok Shop's modes."""

import dataclasses
import datetime
import uuid
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pycountry
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from markets import bidi
from markets.answers import (
    RUNNING,
    UNKNOWN_START,
    Answer,
    Claim,
    SourceDate,
    Span,
    resolve,
    span_on,
)
from markets.dates import (
    APPROXIMATE_YEARS,
    MONTH_ANCHORED,
    DatePrecision,
    date_span,
    format_day_range,
    format_fuzzy_date,
    precision_error,
    validate_sane_date,
)
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
    STATUS_REPORT = "status_report", _("Reported running")


class Status(models.TextChoices):
    LIVE = "live", _("Live")
    BETA = "beta", _("Beta")
    CLOSED = "closed", _("Closed")
    CONSIDERING = "considering", _("Under consideration")
    NONE = "none", _("None")


class EventScope(models.TextChoices):
    """Which markets an event concerns, as its source says."""

    MARKETS = "markets", _("The markets named")
    REGION = "region", _("A region: the countries the source names in it")
    WORLDWIDE = "worldwide", _("Worldwide: every market where the mode then runs")
    NONE = "none", _("No market")


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
    AT_MOST = "at_most", _("At most")
    AT_LEAST = "at_least", _("At least")


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
        """The evidence the public may see (quotes from published sources), and the
        dispute the fact belongs to."""
        return self.select_related("dispute").prefetch_related(
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
    """A record, named by a natural key; every record of the product is one.

    Its text fields are checked for direction controls here (markets.bidi): short
    ones hold none, long ones close what they open.
    """

    natural_key_field = "slug"

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self._meta.concrete_fields:
            if field.name in (exclude or ()) or field.name in errors:
                continue
            value = getattr(self, field.attname)
            if not isinstance(value, str):
                continue
            check = (
                bidi.validate_long_text
                if isinstance(field, models.TextField)
                else bidi.validate_short_text
            )
            try:
                check(value)
            except ValidationError as error:
                errors[field.name] = error.error_list
        if errors:
            raise ValidationError(errors)

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
        # Publishing is a permission of its own: analysts add and change drafts,
        # editors publish them (and return them to draft).
        default_permissions = ("add", "change", "delete", "view", "publish")

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

    @classmethod
    def may_publish(cls, user: Any) -> bool:
        """Whether ``user`` may publish records of this model, or return them to draft."""
        opts = cls._meta
        return bool(
            user and user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")
        )

    @classmethod
    def publish_refusal(cls) -> str:
        """What a writer tells someone who may not publish this model's records."""
        return _("Publishing needs the permission to publish %(name)s.") % {
            "name": cls._meta.verbose_name_plural
        }

    def stored_version(self) -> int | None:
        """The version in the database now, which may be past this instance's."""
        if self.pk is None:
            return None
        return (
            type(self)._base_manager.values_list("version", flat=True).get(pk=self.pk)
        )


class Fact(Content):
    """A claim taken from sources, which may be disputed between them."""

    dispute = models.ForeignKey(
        "markets.Dispute",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(app_label)s_%(class)s_claims",
        verbose_name=_("dispute"),
        help_text=_(
            "Where sources disagree (on a date, a number), each claim is its own fact "
            "with its own source; tie them to one dispute, which says what they "
            "disagree on."
        ),
    )

    class Meta:
        abstract = True

    @property
    def is_disputed(self) -> bool:
        return self.dispute_id is not None


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
        help_text=_(
            "超/破 is “more than”, 不到 is “less than”, 约/左右 is “about”, "
            "前五 (top five) is “at most” 5, 以上 is “at least”."
        ),
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
        """Annotate ``status_<mode>``: the answer on ``day`` as a column to filter on.

        The same span as ``status_on`` reads; "no_evidence" where no source speaks.
        """
        # Spans of events still published only: a filter never matches by a draft.
        spans = StatusSpan.objects.holding_on(day).filter(
            event__publication=Publication.PUBLISHED
        )
        return self.annotate(
            **{
                f"status_{mode}": models.functions.Coalesce(
                    models.Subquery(
                        spans.latest_in_outer_market(mode).values("status")[:1]
                    ),
                    models.Value(Answer.NO_EVIDENCE),
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
        markets lead, the ones whose answer is uncertain or implied follow, then the rest.
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
        """Each market's answer in each mode on ``day``, market by market, mode by mode.

        The database finds the span holding that day for every (market, mode) in one
        query, one index seek each (see StatusSpan); two more fetch the events the
        answers name and their evidence, however many markets there are. With
        ``known_on``, the answer is the rule's on the evidence of sources published by
        then, worked out when asked.
        """
        modes = list(modes or Mode.values)
        if known_on is None:
            markets, spans = self._indexed_spans(day, modes)
            events = self._events_named(spans, known_on)
            if any(
                pk not in events for span in spans.values() for pk in span_events(span)
            ):
                # The index names an event that is no longer published: something
                # changed it without a save (SQL typed by hand). Never serve a draft:
                # work the answer out afresh from what is published now.
                spans = self._resolved_spans(markets, day, modes, known_on)
                events = self._events_named(spans, known_on)
        else:
            markets = list(self.with_related())
            spans = self._resolved_spans(markets, day, modes, known_on)
            events = self._events_named(spans, known_on)
        return [
            ModeStatus(market, mode, day, spans[market.pk, mode], events)
            for market in markets
            for mode in modes
        ]

    def _indexed_spans(
        self, day: datetime.date, modes: list[str]
    ) -> tuple[list["Market"], dict[tuple[int, str], "StatusSpan | None"]]:
        """The markets, and the span of each mode holding on ``day``, from the index."""
        holding = StatusSpan.objects.holding_on(day)
        markets = list(
            self.with_related().annotate(
                **{
                    f"span_{mode}": models.Subquery(
                        holding.latest_in_outer_market(mode).values("pk")[:1]
                    )
                    for mode in modes
                }
            )
        )
        found = StatusSpan.objects.in_bulk(
            {getattr(market, f"span_{mode}") for market in markets for mode in modes}
            - {None}
        )
        return markets, {
            (market.pk, mode): found.get(getattr(market, f"span_{mode}"))
            for market in markets
            for mode in modes
        }

    @staticmethod
    def _resolved_spans(
        markets: list["Market"],
        day: datetime.date,
        modes: list[str],
        known_on: datetime.date | None,
    ) -> dict[tuple[int, str], "StatusSpan | None"]:
        """The span of each market and mode holding on ``day``, worked out afresh."""
        resolved = resolved_spans(modes, known_on)
        spans = {}
        for market in markets:
            for mode in modes:
                span = span_on(resolved.get((market.pk, mode), ()), day)
                spans[market.pk, mode] = (
                    StatusSpan.of(market.pk, mode, span) if span else None
                )
        return spans

    @staticmethod
    def _events_named(
        spans: dict[tuple[int, str], "StatusSpan | None"],
        known_on: datetime.date | None,
    ) -> dict[int, "ModeEvent"]:
        """The published events the spans name, with the evidence the reader may see."""
        event_ids = {
            pk
            for span in spans.values()
            if span is not None
            for pk in span_events(span)
        }
        return (
            ModeEvent.objects.published()
            .filter(pk__in=event_ids)
            .select_related("dispute")
            .with_evidence(known_on)
            .in_bulk()
        )


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

    class Meta(Content.Meta):
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
    # "About 2020" may stand for a day as late as the end of 2022.
    year_end_first_day = datetime.date(max(next_day.year - APPROXIMATE_YEARS, 1), 1, 1)
    return (
        Q(
            **{
                f"{prefix}published_precision": DatePrecision.DAY,
                f"{prefix}published_on__lte": day,
            }
        )
        | Q(
            **{
                f"{prefix}published_precision__in": MONTH_ANCHORED,
                f"{prefix}published_on__lt": next_day.replace(day=1),
            }
        )
        | Q(
            **{
                f"{prefix}published_precision__in": [
                    DatePrecision.YEAR,
                    DatePrecision.YEAR_END,
                ],
                f"{prefix}published_on__lt": next_day.replace(month=1, day=1),
            }
        )
        | Q(
            **{
                f"{prefix}published_precision": DatePrecision.APPROXIMATE,
                f"{prefix}published_on__lt": year_end_first_day,
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
        validators=[validate_sane_date],
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

    class Meta(Content.Meta):
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


class DisputeQuerySet(NaturalKeyQuerySet):
    def claim_relations(self) -> list[str]:
        """The names under which each kind of fact lists its claims of a dispute."""
        return [
            relation.get_accessor_name()
            for relation in self.model._meta.related_objects
            if issubclass(relation.related_model, Fact)
        ]

    def public(self) -> "DisputeQuerySet":
        """Disputes with a published claim, each listing its published events only."""
        published = Q()
        for name in self.claim_relations():
            published |= Q(**{f"{name}__publication": Publication.PUBLISHED})
        return self.filter(
            pk__in=self.filter(published).values("pk"),
        ).prefetch_related(
            models.Prefetch(
                "markets_modeevent_claims",
                queryset=ModeEvent.objects.published(),
            )
        )


class Dispute(NaturallyKeyed, Bilingual, Timestamped):
    """Claims that disagree (on a date, a number), tied together once.

    Each claim stays its own fact (an event, a figure, a seller case) with its own source
    and quote; the dispute says, once and in both languages, what they disagree on.
    """

    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    note_zh = models.TextField(_("what the sources disagree on (Chinese)"), blank=True)
    note_en = models.TextField(_("what the sources disagree on (English)"), blank=True)

    objects = DisputeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["slug"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self) -> str:
        return self.slug

    def get_absolute_url(self) -> str:
        return reverse("markets:dispute-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if not (self.note_zh or self.note_en):
            raise ValidationError(
                {"note_en": _("Say what the sources disagree on.")},
                code="dispute_without_note",
            )


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
        _("date note"),
        blank=True,
        help_text=_(
            "How the date was inferred, where the source does not state it all."
        ),
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
        choices=Status.choices,
        default=Status.NONE,
        help_text=_("The mode's status in these markets from this date on."),
    )
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)

    objects = ModeEventQuerySet.as_manager()
    _history_m2m_fields = ["markets"]

    class Meta(Content.Meta):
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
        return date_span(self.date, self.date_precision)

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
    def region_names(self) -> list[str]:
        """The regions of a region-scoped event, from the markets it names."""
        names = {str(market.region): None for market in self.markets.all()}
        return list(names)


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


def status_claims(
    mode: str,
    known_on: datetime.date | None = None,
    market_ids: Iterable[int] | None = None,
) -> tuple[dict[int, list[Claim]], list[Claim]]:
    """The claims of one mode: those naming each market, and the worldwide ones.

    Three queries, whatever the number of events. With ``known_on``, an event counts only
    if a source published by then supports it, and only those sources date it. With
    ``market_ids``, only those markets' claims (and every worldwide one) are read.
    """
    events = ModeEvent.objects.setting_status().filter(mode=mode)
    links = ModeEvent.markets.through.objects.filter(modeevent__in=events)
    if market_ids is not None:
        market_ids = list(market_ids)
        links = links.filter(market__in=market_ids)
        events = events.filter(
            Q(scope=EventScope.WORLDWIDE) | Q(pk__in=links.values("modeevent"))
        )
    evidence = EventEvidence.objects.filter(
        fact__in=events, source__publication=Publication.PUBLISHED
    )
    if known_on is not None:
        evidence = evidence.filter(published_by(known_on, "source__"))
    sources: dict[int, list[SourceDate]] = {}
    for fact, source, published_on, precision in evidence.values_list(
        "fact_id", "source_id", "source__published_on", "source__published_precision"
    ).iterator():
        sources.setdefault(fact, []).append(
            SourceDate.of(source, published_on, precision)
        )
    claims: dict[int, Claim] = {}
    for pk, status, day, precision, scheduled, scope, dispute in events.exclude(
        scope=EventScope.NONE
    ).values_list(
        "pk",
        "status_set",
        "date",
        "date_precision",
        "is_scheduled",
        "scope",
        "dispute_id",
    ):
        if known_on is not None and pk not in sources:
            continue
        first, last = date_span(day, precision)
        claims[pk] = Claim(
            event_id=pk,
            status=status,
            first=first,
            last=last,
            scheduled=scheduled,
            worldwide=scope == EventScope.WORLDWIDE,
            dispute_id=dispute,
            sources=tuple(sorted(sources.get(pk, ()), key=lambda s: s.source_id)),
        )
    by_market: dict[int, list[Claim]] = {}
    for event, market in links.values_list("modeevent_id", "market_id").iterator():
        if event in claims and not claims[event].worldwide:
            by_market.setdefault(market, []).append(claims[event])
    worldwide = [claim for claim in claims.values() if claim.worldwide]
    return by_market, worldwide


def resolved_spans(
    modes: Iterable[str],
    known_on: datetime.date | None = None,
    market_ids: Iterable[int] | None = None,
) -> dict[tuple[int, str], list[Span]]:
    """Every market's spans (or these markets') in each mode, by markets.answers."""
    market_ids = None if market_ids is None else list(market_ids)
    found = {}
    for mode in modes:
        by_market, worldwide = status_claims(mode, known_on, market_ids)
        for market, claims in by_market.items():
            found[market, mode] = resolve([*claims, *worldwide])
    return found


@dataclass
class PendingRewrites:
    """What the changes inside ``rewrites_deferred()`` alter, rewritten at its end."""

    events: set[int] = dataclasses.field(default_factory=set)
    markets: set[int] = dataclasses.field(default_factory=set)
    modes: set[str] = dataclasses.field(default_factory=set)


_pending_rewrites: ContextVar[PendingRewrites | None] = ContextVar(
    "status_span_rewrites", default=None
)


def span_events(span: "StatusSpan | None") -> tuple[int, ...]:
    """The events a span names: the one deciding it and every claim it rests on."""
    if span is None:
        return ()
    return (span.event_id, *span.claim_ids)


class StatusSpanQuerySet(models.QuerySet):
    def holding_on(self, day: datetime.date) -> "StatusSpanQuerySet":
        """Spans started by ``day``: the latest one of each market and mode holds then."""
        return self.filter(start__lte=day)

    def latest_in_outer_market(self, mode: str) -> "StatusSpanQuerySet":
        """For a subquery over markets: this mode's spans there, the latest first."""
        return self.filter(market=models.OuterRef("pk"), mode=mode).order_by("-start")

    def rebuild(
        self,
        modes: Iterable[str] | None = None,
        market_ids: Iterable[int] | None = None,
    ) -> None:
        """Write the spans of these modes and markets (all by default) again."""
        modes = list(modes or Mode.values)
        market_ids = None if market_ids is None else list(market_ids)
        stale = self.filter(mode__in=modes)
        if market_ids is not None:
            stale = stale.filter(market__in=market_ids)
        with transaction.atomic():
            stale.delete()
            self.bulk_create(
                (
                    StatusSpan.of(market, mode, span)
                    for (market, mode), spans in resolved_spans(
                        modes, market_ids=market_ids
                    ).items()
                    for span in spans
                ),
                batch_size=5_000,
            )

    @contextmanager
    def rewrites_deferred(self) -> Iterator[None]:
        """Within, each change only notes what it alters; the spans are rewritten once,
        at the end, for all of them: for bulk writes (imports, data sets)."""
        if _pending_rewrites.get() is not None:
            yield
            return
        pending = PendingRewrites()
        token = _pending_rewrites.set(pending)
        try:
            yield
        finally:
            _pending_rewrites.reset(token)
        if pending.modes:
            self.rebuild(pending.modes)
        self.rewrite_for(pending.events, pending.markets)

    def rebuild_mode(self, mode: str) -> None:
        """Every span of a mode again (after a deletion), or once a deferral ends."""
        pending = _pending_rewrites.get()
        if pending is not None:
            pending.modes.add(mode)
        else:
            self.rebuild([mode])

    def rewrite_for(
        self, event_ids: Iterable[int], also_markets: Iterable[int] = ()
    ) -> None:
        """Rewrite the spans a change of these events can alter, and no others.

        Those are the spans of their modes, in the markets they and the other claims of
        their disputes name now or shaped before (``also_markets`` adds markets a link
        change just removed); a worldwide claim among them can alter every market.
        """
        event_ids, also_markets = list(event_ids), list(also_markets)
        pending = _pending_rewrites.get()
        if pending is not None:
            pending.events.update(event_ids)
            pending.markets.update(also_markets)
            return
        events = ModeEvent.objects.filter(pk__in=event_ids)
        related = ModeEvent.objects.filter(
            Q(pk__in=events.values("pk"))
            | Q(dispute__in=events.exclude(dispute=None).values("dispute"))
        )
        rows = list(related.values_list("pk", "mode", "scope"))
        ids = [pk for pk, _mode, _scope in rows]
        earlier = list(self.filter(event__in=ids).values_list("mode", "market"))
        modes = {mode for _pk, mode, _scope in rows} | {mode for mode, _m in earlier}
        if not modes:
            return
        if any(scope == EventScope.WORLDWIDE for _pk, _mode, scope in rows):
            self.rebuild(modes)
            return
        linked = ModeEvent.markets.through.objects.filter(modeevent__in=ids)
        markets = (
            set(linked.values_list("market", flat=True))
            | {market for _mode, market in earlier}
            | set(also_markets)
        )
        self.rebuild(modes, markets)


class StatusSpan(models.Model):
    """Days over which a mode's status in a market stays the same: the status index.

    Derived from the published events, their markets, disputes and sources, which stay
    the record (and have the history), by the one rule in markets.answers. With market,
    mode and start side by side, the answer for any day is one index seek per market and
    mode. Every change of what the rule reads rewrites the spans of its mode
    (markets.signals); a test holds the table to the rule after every kind of edit.
    """

    market = models.ForeignKey(
        Market, on_delete=models.CASCADE, related_name="status_spans", db_index=False
    )
    mode = models.CharField(max_length=20, choices=Mode.choices)
    start = models.DateField(help_text=_("The first day; 0001-01-01 for unknown."))
    end = models.DateField(
        null=True, blank=True, help_text=_("The last day; null while it lasts.")
    )
    status = models.CharField(max_length=12, choices=Answer.choices)
    previous_status = models.CharField(max_length=12, blank=True)
    uncertain = models.BooleanField(default=False)
    implied = models.BooleanField(default=False)
    scheduled = models.BooleanField(default=False)
    event = models.ForeignKey(
        ModeEvent, on_delete=models.CASCADE, related_name="status_spans"
    )
    claim_ids = models.JSONField(default=list, blank=True)
    dispute = models.ForeignKey(
        Dispute, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    evidence_on = models.DateField(null=True, blank=True)
    evidence_source = models.ForeignKey(
        Source, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )

    objects = StatusSpanQuerySet.as_manager()

    class Meta:
        verbose_name = _("status span")
        verbose_name_plural = _("status spans")
        indexes = [
            models.Index(fields=["market", "mode", "-start"], name="statusspan_latest")
        ]

    def __str__(self) -> str:
        return (
            f"{self.market_id} · {self.mode} · {self.start}–{self.end}: {self.status}"
        )

    @classmethod
    def of(cls, market_id: int, mode: str, span: Span) -> "StatusSpan":
        return cls(
            market_id=market_id,
            mode=mode,
            start=span.start,
            end=span.end,
            status=span.status,
            previous_status=span.previous_status,
            uncertain=span.uncertain,
            implied=span.implied,
            scheduled=span.scheduled,
            event_id=span.event_id,
            claim_ids=span.claim_ids,
            dispute_id=span.dispute_id,
            evidence_on=span.evidence_on,
            evidence_source_id=span.evidence_source_id,
        )

    @property
    def since(self) -> datetime.date | None:
        """The first day, or None where it is a day no source gives."""
        return None if self.start == UNKNOWN_START else self.start

    @property
    def certain_from(self) -> datetime.date | None:
        """The first day the answer is certain again: the one rule for every reader."""
        if not self.uncertain or self.end is None:
            return None
        return self.end + datetime.timedelta(days=1)


@dataclass(frozen=True)
class ModeStatus:
    """The answer for one mode in one market on one day, and the evidence behind it."""

    market: Market
    mode: str
    day: datetime.date
    span: StatusSpan | None
    #: The events the answer names, by id, with the evidence the reader may see.
    events: dict[int, "ModeEvent"]

    @property
    def status(self) -> str:
        return self.span.status if self.span else Answer.NO_EVIDENCE

    @property
    def event(self) -> "ModeEvent | None":
        """The event that decides the answer, or implies it."""
        return self.events.get(self.span.event_id) if self.span else None

    @property
    def claims(self) -> list["ModeEvent"]:
        """Every claim the answer rests on: the disputed ones side by side, or one."""
        if self.span is None:
            return []
        ids = self.span.claim_ids or [self.span.event_id]
        return [self.events[pk] for pk in ids if pk in self.events]

    @property
    def disputed_claims(self) -> list["ModeEvent"]:
        """The claims side by side where a dispute makes more than one; else none."""
        claims = self.claims
        return claims if len(claims) > 1 else []

    @property
    def dispute(self) -> "Dispute | None":
        for event in self.claims:
            if event.dispute_id:
                return event.dispute
        return None

    @property
    def uncertain(self) -> bool:
        return bool(self.span and self.span.uncertain)

    @property
    def implied(self) -> bool:
        return bool(self.span and self.span.implied)

    @property
    def scheduled(self) -> bool:
        return bool(self.span and self.span.scheduled)

    @property
    def since(self) -> datetime.date | None:
        return self.span.since if self.span else None

    @property
    def certain_from(self) -> datetime.date | None:
        return self.span.certain_from if self.span else None

    @property
    def previous_status(self) -> str:
        if not self.uncertain:
            return ""
        return self.span.previous_status or Answer.NO_EVIDENCE

    @property
    def evidence_on(self) -> datetime.date | None:
        """The last day the newest source behind the answer may have been published."""
        return self.span.evidence_on if self.span else None

    @property
    def evidence_source(self) -> "Source | None":
        """The newest source behind the answer, where the reader may see it."""
        if self.span is None or self.span.evidence_source_id is None:
            return None
        for event in self.claims or [self.event]:
            for evidence in event.evidence.all():
                if evidence.source_id == self.span.evidence_source_id:
                    return evidence.source
        return None

    @property
    def stale(self) -> bool:
        """The newest evidence is older than the day by more than the threshold.

        An answer resting on no dated source is as stale as an old one.
        """
        if self.span is None:
            return False
        if self.evidence_on is None:
            return True
        return (self.day - self.evidence_on).days > settings.LOOPWATCH_STALE_AFTER_DAYS

    def get_status_display(self) -> str:
        return Answer(self.status).label

    def get_previous_status_display(self) -> str:
        return Answer(self.previous_status).label if self.previous_status else ""

    def get_mode_display(self) -> str:
        return Mode(self.mode).label

    @property
    def is_running(self) -> bool:
        """The mode is open to sellers here: live or in beta."""
        return self.status in RUNNING

    @property
    def may_run(self) -> bool:
        """The mode runs, or may: implied, or on either side of an uncertain day."""
        return self.is_running or self.previous_status in RUNNING

    @property
    def uncertainty_note(self) -> str:
        """Why the status on this day cannot be told, in the reader's language."""
        if not self.uncertain:
            return ""
        if len(self.claims) > 1:
            return _(
                "The sources disagree on when this happened: the claims span the days "
                "up to %(last)s, so on %(day)s it may still be %(before)s. It is "
                "certain from %(after)s."
            ) % {
                "last": self.span.end.isoformat(),
                "day": self.day.isoformat(),
                "before": self.get_previous_status_display().lower(),
                "after": self.certain_from.isoformat(),
            }
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
            if cell.mode != Mode.SEMI_CLOSED_LOOP:
                continue
            if cell.is_running and not (cell.uncertain or cell.implied):
                return 0
            if cell.may_run:
                return 1
        return 2


@dataclass(frozen=True)
class ModeAnswer:
    """Where one mode stands on the grid's day: the markets by answer."""

    mode: str
    live: list[Market]
    beta: list[Market]
    closed: list[Market]
    considering: list[Market]
    uncertain: list[ModeStatus]
    implied: list[ModeStatus]
    stale: list[Market]

    def get_mode_display(self) -> str:
        return Mode(self.mode).label

    @property
    def stale_after_days(self) -> int:
        return settings.LOOPWATCH_STALE_AFTER_DAYS

    @staticmethod
    def _by_event(cells: list[ModeStatus]) -> list[tuple[ModeStatus, list[Market]]]:
        groups: dict[int, tuple[ModeStatus, list[Market]]] = {}
        for cell in cells:
            key = cell.span.dispute_id or cell.event.pk
            groups.setdefault(key, (cell, []))[1].append(cell.market)
        return list(groups.values())

    @property
    def uncertain_by_event(self) -> list[tuple[ModeStatus, list[Market]]]:
        """Uncertain cells grouped by the claims that make them so: one reason each."""
        return self._by_event(self.uncertain)

    @property
    def implied_by_event(self) -> list[tuple[ModeStatus, list[Market]]]:
        """Cells where a later transition implies the mode ran, by that transition."""
        return self._by_event(self.implied)


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
            mode: {status: [] for status in Answer.values}
            | {"uncertain": [], "implied": [], "stale": []}
            for mode in self.modes
        }
        for row in self.rows:
            for cell in row.cells:
                found = by_mode[cell.mode]
                if cell.uncertain:
                    found["uncertain"].append(cell)
                elif cell.implied:
                    found["implied"].append(cell)
                else:
                    found[cell.status].append(row.market)
                if cell.stale and cell.is_running:
                    found["stale"].append(row.market)
        return [
            ModeAnswer(
                mode=mode,
                live=found[Answer.LIVE],
                beta=found[Answer.BETA],
                closed=found[Answer.CLOSED],
                considering=found[Answer.CONSIDERING],
                uncertain=found["uncertain"],
                implied=found["implied"],
                stale=found["stale"],
            )
            for mode, found in by_mode.items()
        ]


# --- Figures about markets, regions and the platform ---------------------------------


class FigureQuerySet(SearchableQuerySet, FactQuerySet):
    search_substring_fields = ("metric_zh",)
    search_english_fields = ("metric_en", "period_en")


class MarketFigureQuerySet(FigureQuerySet):
    def with_related(self) -> "MarketFigureQuerySet":
        return self.select_related("region", "dispute").prefetch_related(
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

    class Meta(Content.Meta):
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
    Qualifier.AT_MOST: "≤",
    Qualifier.AT_LEAST: "≥",
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


class Tombstone(models.Model):
    """A record someone deleted, by its natural key: reloading the article data never
    brings it back (``manage.py load_articles``)."""

    model = models.CharField(_("model"), max_length=100, help_text=_("app.model"))
    natural_key = models.CharField(_("natural key"), max_length=200)
    deleted_at = models.DateTimeField(_("deleted"), auto_now_add=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("deleted by"),
    )

    class Meta:
        ordering = ["-deleted_at"]
        verbose_name = _("deleted record")
        verbose_name_plural = _("deleted records")
        constraints = [
            models.UniqueConstraint(
                fields=["model", "natural_key"], name="tombstone_once_per_record"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.natural_key}"


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
