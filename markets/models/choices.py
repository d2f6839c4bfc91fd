"""The vocabularies the records choose from, the bounds of each figure unit, and the
validators of country codes and web addresses."""

from decimal import Decimal

import pycountry
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# The modes and statuses, with how each is shown, have a module of their own, which
# the rule (status.answers) reads too; the record finds them here with the rest.
from markets.vocabulary import Mode as Mode
from markets.vocabulary import Status as Status
from markets.vocabulary import StatusSet as StatusSet

# --- Vocabularies --------------------------------------------------------------------


class Publication(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


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


class ArchiveKind(models.TextChoices):
    """How a source's text reached the archive."""

    PASTED = "pasted", _("Pasted")
    HTML = "html", _("HTML file")
    PDF = "pdf", _("PDF file")
    TEXT = "text", _("Text file")


class Verification(models.TextChoices):
    """Whether a quote was found in the archived text it must stand in."""

    VERIFIED = "verified", _("Verified")
    NEEDS_REVIEW = "needs_review", _("Needs review")
    UNVERIFIED = "unverified", _("Unverified: no archived text")


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
