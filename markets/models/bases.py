"""What every record shares: natural keys, publication, versions and history, the two
languages, facts and disputes, and the fields and checks of figures."""

import datetime
import uuid
from collections.abc import Collection, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils.text import format_lazy, slugify
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from text_unidecode import unidecode

from config.text import canonical, validate_text
from markets import bidi
from markets.dates import precision_error
from markets.models.choices import UNIT_BOUNDS, FigureUnit, Publication, Qualifier

if TYPE_CHECKING:
    from markets.models.evidence import Evidence
    from markets.models.sources import Source


# --- Shared behaviour ----------------------------------------------------------------


class NaturalKeyQuerySet(models.QuerySet):
    """Looks rows up by the one field that names them in fixtures and URLs."""

    def get_by_natural_key(self, key: str) -> models.Model:
        return self.get(**{self.model.natural_key_field: key})


def public_or_none(record: "Content | None") -> "Content | None":
    """A related record as the public may see it: a draft one stays out of sight."""
    if record is None or record.publication != Publication.PUBLISHED:
        return None
    return record


class PublishableQuerySet(NaturalKeyQuerySet):
    def published(self) -> "PublishableQuerySet":
        """What the public may see: the one definition of "published"."""
        return self.filter(publication=Publication.PUBLISHED)

    def drafts(self) -> "PublishableQuerySet":
        """What an editor has still to review before the public sees it."""
        return self.filter(publication=Publication.DRAFT)


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


SLUG_HELP = _(
    "The record's public address. Leave it empty: it is made from the title when "
    "you save."
)


def slug_from(*words: str, max_length: int) -> str:
    """An address made from ``words``: in ASCII (a Chinese title transliterated, 小川电商
    as xiao-chuan-dian-shang), lower case, hyphenated, cut at a hyphen to fit."""
    text = " ".join(str(word).replace("_", " ") for word in words if word)
    slug = slugify(unidecode(text))
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug.strip("-")


class DerivedSlug:
    """A record whose address (``slug``), when left empty, is made on the server from
    its words (``slug_words()``), the same way in the admin, the API and imports: unique,
    with -2, -3 on a clash. Made in ``clean()`` so validation sees it, and again in
    ``save()`` for the writers that save without cleaning."""

    def slug_words(self) -> list[str]:
        raise NotImplementedError

    def clean(self) -> None:
        self.fill_slug()
        super().clean()

    def save(self, *args, **kwargs) -> None:
        self.fill_slug()
        super().save(*args, **kwargs)

    def fill_slug(self) -> None:
        if not self.slug:
            self.slug = self.unique_slug()

    def unique_slug(self) -> str:
        """The first free one of base, base-2, base-3…, read in one query."""
        max_length = self._meta.get_field("slug").max_length
        # Room for a suffix, so a long title still gets a unique address.
        base = slug_from(*self.slug_words(), max_length=max_length - 4) or (
            self._meta.model_name
        )
        taken = set(
            type(self)
            ._base_manager.filter(slug__startswith=base)
            .exclude(pk=self.pk)
            .values_list("slug", flat=True)
        )
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        return slug


class NaturallyKeyed(models.Model):
    """A record, named by a natural key; every record of the product is one.

    Its text fields are held here to the rules for text, so that every writer that
    validates (the admin, the API, imports, intake, the article data) holds them
    without knowing of them: made canonical and refused with a field error if they
    hold a control character, or a line break where a field is one line
    (config.text); and checked for direction controls (markets.bidi): short ones
    hold none, long ones close what they open.
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
        errors.update(self.text_errors(exclude={*(exclude or ()), *errors}))
        if errors:
            raise ValidationError(errors)

    def text_errors(
        self, exclude: Collection[str] = ()
    ) -> dict[str, list[ValidationError]]:
        """Each text field made canonical, and the errors of those that break the
        rules for text, by field. A TextField has lines; any other is one line."""
        errors: dict[str, list[ValidationError]] = {}
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            if field.name in exclude or not isinstance(value, str):
                continue
            has_lines = isinstance(field, models.TextField)
            value = canonical(value, multiline=has_lines)
            setattr(self, field.attname, value)
            try:
                validate_text(value, multiline=has_lines)
                if has_lines:
                    bidi.validate_long_text(value)
                else:
                    bidi.validate_short_text(value)
            except ValidationError as error:
                errors[field.name] = error.error_list
        return errors

    def natural_key(self) -> tuple[str]:
        return (str(getattr(self, self.natural_key_field)),)


class Bilingual:
    """Content written in Simplified Chinese and English as ``<name>_zh`` / ``<name>_en``."""

    def localized(self, name: str) -> str:
        """The active language's text, falling back to the other language's."""
        return in_language(getattr(self, f"{name}_zh"), getattr(self, f"{name}_en"))


def in_language(text_zh: str, text_en: str) -> str:
    """Of a text in both languages, the active language's, else the other's."""
    if (get_language() or "").startswith("zh"):
        return text_zh or text_en
    return text_en or text_zh


class Timestamped(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class Vocabulary(NaturallyKeyed, Bilingual, Timestamped):
    """A short list analysts keep, named by a code, in both languages: regions,
    strategies."""

    natural_key_field = "code"

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    objects = NaturalKeyQuerySet.as_manager()
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.localized("name")


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

    @staticmethod
    def figure_fields(value_fields: tuple[str, ...]) -> tuple[str, ...]:
        """A figure's own columns around its value columns, in the order every reader,
        writer and spreadsheet lists them."""
        return (
            "metric_zh",
            "metric_en",
            "qualifier",
            *value_fields,
            "unit",
            "is_projection",
            "period_zh",
            "period_en",
        )

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
