"""How named sellers fared when a mode changed, with their figures before and after."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from markets.dates import DatePrecision, date_span, validate_sane_date
from markets.models import (
    Bilingual,
    Content,
    DerivedSlug,
    Evidence,
    Fact,
    FactQuerySet,
    FigureQuerySet,
    FigureValue,
    Market,
    ModeEvent,
    Publication,
    Region,
    Vocabulary,
    format_figure,
    fuzzy_date_errors,
    public_or_none,
    unit_bound_constraints,
)
from markets.search import SearchableQuerySet

#: A range of days, first and last included.
Span = tuple[datetime.date, datetime.date]


def event_span(event_date: datetime.date | None, precision: str) -> Span | None:
    """The days an event's own wording allows (8月底: 21 to 31 August), against which
    a case's figures are placed (sellers.pairing); None for no event."""
    if event_date is None or not precision:
        return None
    return date_span(event_date, precision)


class EventSide(models.TextChoices):
    """Where a figure lies against the event its case reacts to."""

    BEFORE = "before", _("Before the event")
    AFTER = "after", _("After the event")


class Strategy(Vocabulary):
    """A way sellers respond to a mode change: private traffic, live streaming, …"""

    class Meta(Vocabulary.Meta):
        verbose_name = _("strategy")
        verbose_name_plural = _("strategies")


class SellerCaseQuerySet(SearchableQuerySet, FactQuerySet):
    search_substring_fields = ("seller_name", "person_name", "narrative_zh")
    search_english_fields = ("narrative_en", "category_en")

    def with_related(self) -> "SellerCaseQuerySet":
        return self.select_related("reacts_to", "dispute").prefetch_related(
            "target_markets",
            "target_regions",
            "strategies",
            "evidence__source",
            Prefetch(
                "figures", queryset=SellerFigure.objects.select_related("dispute")
            ),
            "figures__evidence__source",
        )

    def listed(self) -> "SellerCaseQuerySet":
        """Published cases with what a list shows: strategies, markets, regions."""
        return self.published().prefetch_related(
            Prefetch("target_markets", queryset=Market.objects.published()),
            "target_regions",
            "strategies",
        )

    def public(self) -> "SellerCaseQuerySet":
        """Published cases with their published markets and public evidence."""
        return self.listed().select_related("reacts_to").with_public_evidence()

    def with_public_figures(self) -> "SellerCaseQuerySet":
        """Prefetch each case's published figures with their public evidence."""
        return self.prefetch_related(
            Prefetch(
                "figures",
                queryset=SellerFigure.objects.published().with_public_evidence(),
            )
        )

    def concerning(self, market: Market) -> "SellerCaseQuerySet":
        """Cases that target this market, or its region without naming a country."""
        return self.filter(
            Q(
                pk__in=SellerCase.target_markets.through.objects.filter(
                    market=market
                ).values("sellercase")
            )
            | Q(
                pk__in=SellerCase.target_regions.through.objects.filter(
                    region=market.region_id
                ).values("sellercase")
            )
        )


class SellerFigureQuerySet(FigureQuerySet):
    def with_related(self) -> "SellerFigureQuerySet":
        return self.select_related(
            "seller_case__reacts_to", "dispute"
        ).prefetch_related("evidence__source")

    def public(self) -> "SellerFigureQuerySet":
        """Published figures of published cases, with their public evidence."""
        return (
            self.published()
            .filter(seller_case__publication=Publication.PUBLISHED)
            # The case's event places each figure (sellers.pairing).
            .select_related("seller_case__reacts_to")
            .with_public_evidence()
        )


class SellerCase(DerivedSlug, Fact, Bilingual):
    """One seller's story around a mode change, as a source tells it."""

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_(
            "The case's public address. Leave it empty: it is made from the seller's "
            "or the person's name when you save."
        ),
    )
    seller_name = models.CharField(
        _("seller or shop"),
        max_length=200,
        blank=True,
        help_text=_("As the source writes it; empty where the source names no seller."),
    )
    seller_name_en = models.CharField(
        _("seller or shop in English"), max_length=200, blank=True
    )
    person_name = models.CharField(
        _("person"),
        max_length=100,
        blank=True,
        help_text=_("As the source names them."),
    )
    person_name_en = models.CharField(
        _("person in English"), max_length=100, blank=True
    )
    person_role_zh = models.CharField(_("role (Chinese)"), max_length=100, blank=True)
    person_role_en = models.CharField(_("role (English)"), max_length=100, blank=True)
    city_zh = models.CharField(_("city (Chinese)"), max_length=100, blank=True)
    city_en = models.CharField(_("city (English)"), max_length=100, blank=True)
    category_zh = models.CharField(_("category (Chinese)"), max_length=100, blank=True)
    category_en = models.CharField(_("category (English)"), max_length=100, blank=True)
    target_markets = models.ManyToManyField(
        Market,
        blank=True,
        related_name="seller_cases",
        verbose_name=_("target markets"),
    )
    target_regions = models.ManyToManyField(
        Region,
        blank=True,
        related_name="seller_cases",
        verbose_name=_("target regions"),
        help_text=_("Where the source names a region but no country in it."),
    )
    reacts_to = models.ForeignKey(
        ModeEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="seller_cases",
        verbose_name=_("reacts to"),
    )
    strategies = models.ManyToManyField(
        Strategy, blank=True, related_name="seller_cases", verbose_name=_("strategies")
    )
    narrative_zh = models.TextField(_("narrative (Chinese)"), blank=True)
    narrative_en = models.TextField(_("narrative (English)"), blank=True)

    objects = SellerCaseQuerySet.as_manager()
    _history_m2m_fields = ["strategies", "target_markets", "target_regions"]
    #: The case's own columns, in the order every reader, writer and spreadsheet
    #: lists them (API readers and serializers, import and export).
    recorded_fields = (
        "seller_name",
        "seller_name_en",
        "person_name",
        "person_name_en",
        "person_role_zh",
        "person_role_en",
        "city_zh",
        "city_en",
        "category_zh",
        "category_en",
        "narrative_zh",
        "narrative_en",
    )

    class Meta(Content.Meta):
        ordering = ["slug"]
        verbose_name = _("seller case")
        verbose_name_plural = _("seller cases")
        indexes = [
            # The city filter's choices: read from the index alone, in order, so
            # already distinct. Publication comes last: first, it would tempt SQLite to
            # read every published case for a filtered page instead of walking slugs.
            models.Index(
                fields=["city_zh", "city_en", "publication"], name="sellercase_cities"
            ),
            # The city filter compares upper case, as iexact does on PostgreSQL. Indexed,
            # the expressions get statistics: without them PostgreSQL guesses a city
            # rare, and sorts every case of it rather than walk the slugs to a page.
            models.Index(
                Upper("city_zh"), Upper("city_en"), name="sellercase_city_upper"
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return reverse("sellers:sellercase-detail", kwargs={"slug": self.slug})

    def slug_words(self) -> list[str]:
        """The seller's and the person's names, in English where given, else as
        written (transliterated)."""
        return [
            self.seller_name_en or self.seller_name,
            self.person_name_en or self.person_name,
        ]

    def clean(self) -> None:
        super().clean()
        if not (self.narrative_zh or self.narrative_en):
            raise ValidationError(
                {"narrative_en": _("Tell what happened to the seller.")}
            )

    @property
    def display_name(self) -> str:
        """The seller's name, the person's, both, or "Unnamed seller"."""
        return seller_display_name(
            self.seller_name, self.seller_name_en, self.person_name, self.person_name_en
        )

    @property
    def public_reacts_to(self) -> ModeEvent | None:
        """The event this case reacts to, where the public may see it."""
        return public_or_none(self.reacts_to)

    @property
    def public_event_span(self) -> Span | None:
        """The days of the event this case reacts to, where the public may see it:
        what its figures are placed against (sellers.pairing)."""
        event = self.public_reacts_to
        return event_span(event.date, event.date_precision) if event else None


def seller_display_name(
    seller_name: str, seller_name_en: str, person_name: str, person_name_en: str
) -> str:
    """A case's display name in the active language, from its four name columns."""
    # Names are kept as written, with an optional English rendering beside them.
    english = not (get_language() or "").startswith("zh")
    seller = (english and seller_name_en) or seller_name
    person = (english and person_name_en) or person_name
    if seller and person:
        return f"{seller} ({person})"
    return seller or person or str(_("Unnamed seller"))


class SellerCaseEvidence(Evidence):
    fact = models.ForeignKey(
        SellerCase,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("seller case"),
    )

    class Meta(Evidence.Meta):
        verbose_name = _("seller case evidence")
        verbose_name_plural = _("seller case evidence")


class SellerFigure(FigureValue, Bilingual):
    """A seller's number before and after the change, so that cases can be compared."""

    value_fields = ("value_before", "value_after")
    recorded_fields = (
        *FigureValue.figure_fields(value_fields),
        "period_date",
        "period_precision",
        "event_side",
    )

    seller_case = models.ForeignKey(
        SellerCase,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("seller case"),
    )
    value_before = models.DecimalField(
        _("before"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    value_after = models.DecimalField(
        _("after"),
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_(
            "Also the value of a figure the source gives once, or as a change."
        ),
    )
    period_date = models.DateField(
        _("period (date)"),
        null=True,
        blank=True,
        validators=[validate_sane_date],
        help_text=_(
            "The period's first day at its precision, e.g. 2023-01-01 with “half of "
            "a year” for 2023年上半年. It places the figure before or after the "
            "event the case reacts to. Empty where the source gives no date."
        ),
    )
    period_precision = models.CharField(
        _("period precision"),
        max_length=12,
        choices=DatePrecision.choices,
        blank=True,
        help_text=_("How precise the period's date is: a month, a quarter, a half…"),
    )
    event_side = models.CharField(
        _("side of the event, as worded"),
        max_length=6,
        choices=EventSide.choices,
        blank=True,
        help_text=_(
            "Where the source places an undated figure against the event the case "
            "reacts to, in words (之前, 外链没了之后). Leave it empty where the "
            "source does not say, or where the period's date places the figure."
        ),
    )

    objects = SellerFigureQuerySet.as_manager()

    class Meta(Content.Meta):
        ordering = ["seller_case", "id"]
        verbose_name = _("seller figure")
        verbose_name_plural = _("seller figures")
        constraints = [
            *unit_bound_constraints("sellerfigure", ["value_before", "value_after"]),
            models.CheckConstraint(
                condition=models.Q(value_before__isnull=False)
                | models.Q(value_after__isnull=False),
                name="sellerfigure_has_a_value",
                violation_error_message=_("Give a value before, after, or both."),
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.localized('metric')}: {self.before_display} → {self.after_display}"
        )

    def clean(self) -> None:
        errors: dict = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.value_before is None and self.value_after is None:
            errors.setdefault("value_after", []).append(
                _("Give a value before, after, or both.")
            )
        for field, message in fuzzy_date_errors(
            self.period_date, self.period_precision, "period_date", "period_precision"
        ).items():
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    @property
    def before_display(self) -> str:
        return format_figure(self.value_before, self.unit, self.qualifier)

    @property
    def after_display(self) -> str:
        return format_figure(self.value_after, self.unit, self.qualifier)


class SellerFigureEvidence(Evidence):
    fact = models.ForeignKey(
        SellerFigure,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("seller figure"),
    )

    class Meta(Evidence.Meta):
        verbose_name = _("seller figure evidence")
        verbose_name_plural = _("seller figure evidence")
