"""Sources, their archived texts, and the disputes between their claims (the
evidence quoted from sources is markets.models.evidence)."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from markets.dates import DatePrecision, format_fuzzy_date, validate_sane_date
from markets.models.bases import (
    SLUG_HELP,
    Bilingual,
    Content,
    DerivedSlug,
    Fact,
    NaturalKeyQuerySet,
    NaturallyKeyed,
    PublishableQuerySet,
    Timestamped,
    fuzzy_date_errors,
    in_language,
    public_or_none,
)
from markets.models.choices import (
    ArchiveKind,
    Language,
    Publication,
    SourceKind,
    validate_web_url,
)
from markets.models.evidence import Evidence
from markets.search import SearchableQuerySet

# --- Sources and evidence ------------------------------------------------------------


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

    def archived_uncited(self) -> "SourceQuerySet":
        """Sources whose text is archived, yet no event or market figure quotes them:
        the facts suggested from their text (intake) are still to be taken."""
        return self.filter(
            models.Exists(SourceText.objects.filter(source=models.OuterRef("pk"))),
            eventevidence_set__isnull=True,
            marketfigureevidence_set__isnull=True,
        )

    def with_archive(self) -> "SourceQuerySet":
        """Annotate ``archived_sha256`` and ``archived_retrieved_at``: those of each
        source's current archived copy, null where it has none."""
        newest = SourceText.objects.filter(source=models.OuterRef("pk")).order_by("-pk")
        return self.annotate(
            archived_sha256=models.Subquery(newest.values("sha256")[:1]),
            archived_retrieved_at=models.Subquery(newest.values("retrieved_at")[:1]),
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


def source_label(publisher: str, title: str) -> str:
    """How a source is named in lists and choices: its publisher, then its title; an
    outlet recorded without a title by its publisher alone."""
    return f"{publisher}: {title}" if title else publisher


class Source(DerivedSlug, Content):
    """Where a fact comes from: an article, or an outlet that an article relays."""

    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=SLUG_HELP,
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=_(
            "As the source gives it, in its language. May stay empty for an outlet "
            "an article relays: it is then named by its publisher."
        ),
    )
    title_en = models.CharField(_("title in English"), max_length=300, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200)
    publisher_en = models.CharField(
        _("publisher in English"),
        max_length=200,
        blank=True,
        help_text=_(
            "Only where the source gives its publisher an English name; never a "
            "translation of ours. English pages show it, else the publisher."
        ),
    )
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
        _("publication date note (English)"),
        blank=True,
        help_text=_("How the date was inferred, where the source does not print it."),
    )
    published_note_zh = models.TextField(
        _("publication date note (Chinese)"),
        blank=True,
        help_text=_("The publication date's note in Chinese."),
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

    #: The source's own columns, in the order the API and spreadsheets list them.
    recorded_fields = (
        "title",
        "title_en",
        "publisher",
        "publisher_en",
        "kind",
        "url",
        "published_on",
        "published_precision",
        "published_wording",
        "published_note",
        "published_note_zh",
        "language",
    )
    #: What every quote shows of its source, in the API's evidence and its readers.
    cited_fields = (
        "title",
        "url",
        "publisher",
        "published_on",
        "published_precision",
        "published_wording",
    )

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
        return source_label(self.publisher, self.title)

    def save(self, *args, **kwargs) -> None:
        """Save; a source that now relays through another article (or none) has its
        quotes checked again against the text they must now stand in."""
        relayed_before = (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values_list("reported_via_id", flat=True)
            .first()
            if self.pk is not None and not kwargs.get("raw")
            else self.reported_via_id
        )
        super().save(*args, **kwargs)
        if relayed_before != self.reported_via_id:
            current = self.text_source.current_text()
            for relation in self._meta.related_objects:
                if issubclass(relation.related_model, Evidence):
                    for row in relation.related_model.objects.filter(source=self):
                        row.recheck(current.text if current else None)

    def get_absolute_url(self) -> str:
        return reverse("markets:source-detail", kwargs={"slug": self.slug})

    def slug_words(self) -> list[str]:
        """From the English title, else the title as given (transliterated); an
        outlet without a title from its publisher's name."""
        return [self.title_en or self.title or self.publisher]

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
        if not self.title and not self.relays_through_an_article:
            # Only an outlet known through the article relaying it may go untitled.
            errors["title"] = _(
                "Give the title, or the article that relays this outlet."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def relays_through_an_article(self) -> bool:
        """Whether an article relays this source: also while both are first added
        together, the article not yet saved (the admin's inline of relayed outlets)."""
        if self.reported_via_id is not None:
            return True
        field = self._meta.get_field("reported_via")
        return field.is_cached(self) and self.reported_via is not None

    @property
    def display_title(self) -> str:
        """The title, or for an outlet recorded without one, its publisher."""
        return self.title or self.publisher

    @property
    def publisher_shown(self) -> str:
        """The publisher as the reader's language names it, where the source gives an
        English name; else as the source gives it."""
        return in_language(self.publisher, self.publisher_en)

    @property
    def published_display(self) -> str:
        if self.published_on is None:
            return ""
        return format_fuzzy_date(self.published_on, self.published_precision)

    @property
    def published_note_shown(self) -> str:
        """The publication date's note in the reader's language, else in the other."""
        return in_language(self.published_note_zh, self.published_note)

    @property
    def public_reported_via(self) -> "Source | None":
        """The relaying source, where the public may see it."""
        return public_or_none(self.reported_via)

    @property
    def text_source(self) -> "Source":
        """The source whose archived text this one's quotes must stand in: for a
        relayed outlet, the article relaying it (its quotes are that article's words);
        else the source itself."""
        return self.reported_via if self.reported_via_id else self

    def current_text(self) -> "SourceText | None":
        """The newest archived copy of this source's own text (the last added), if any."""
        return self.archived_copies.order_by("-pk").first()


class SourceTextQuerySet(NaturalKeyQuerySet):
    def current(self) -> "SourceTextQuerySet":
        """Each source's newest copy only: the one its quotes are checked against."""
        newer = SourceText.objects.filter(
            source=models.OuterRef("source"), pk__gt=models.OuterRef("pk")
        )
        return self.filter(~models.Exists(newer))


class SourceText(NaturallyKeyed, Timestamped):
    """An archived copy of a source's text, as retrieved at one time.

    Copies are never changed: re-archiving a changed text adds a copy, and the newest
    is the current one, which quotes are checked against (markets.archive).
    """

    natural_key_field = "uuid"

    uuid = models.UUIDField(
        _("identifier"), default=uuid.uuid4, unique=True, editable=False
    )
    source = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        related_name="archived_copies",
        verbose_name=_("source"),
    )
    text = models.TextField(_("text"))
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        help_text=_("Of the normalised text: the same text always has the same hash."),
    )
    retrieved_at = models.DateTimeField(
        _("retrieved"),
        null=True,
        blank=True,
        help_text=_("When the text was read from the source; empty when not recorded."),
    )
    kind = models.CharField(
        _("how it came"),
        max_length=10,
        choices=ArchiveKind.choices,
        default=ArchiveKind.PASTED,
    )
    file_name = models.CharField(_("original file name"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("archived by"),
    )

    objects = SourceTextQuerySet.as_manager()

    class Meta:
        # The newest first: the last added is the current copy.
        ordering = ["-id"]
        verbose_name = _("archived copy")
        verbose_name_plural = _("archived copies")
        indexes = [models.Index(fields=["source", "-id"], name="sourcetext_newest")]

    def __str__(self) -> str:
        return f"{self.source.publisher}: {self.sha256[:12]}"


class DisputeQuerySet(NaturalKeyQuerySet):
    def claim_relations(self) -> list[str]:
        """The names under which each kind of fact lists its claims of a dispute."""
        return [
            relation.get_accessor_name()
            for relation in self.model._meta.related_objects
            if issubclass(relation.related_model, Fact)
        ]

    def open(self) -> "DisputeQuerySet":
        """Disputes whose claims still disagree: two or more facts still tied to them.
        A dispute has no state to resolve: an analyst settles one by untying (or
        deleting) the claims found wrong, until one or none is left. Each kind of fact
        is counted in a subquery of its own: no join multiplies another's rows."""
        claims = models.Value(0)
        for name in self.claim_relations():
            tie = self.model._meta.get_field(name).field
            counted = (
                tie.model.objects.filter(**{tie.name: models.OuterRef("pk")})
                .order_by()
                .values(tie.name)
                .annotate(claims=models.Count("pk"))
                .values("claims")
            )
            claims += Coalesce(models.Subquery(counted), models.Value(0))
        return self.alias(claim_count=claims).filter(claim_count__gte=2)

    def public(self) -> "DisputeQuerySet":
        """Disputes with a published claim, each listing its published events only."""
        # The events' model, reached through the relation their module declares: it
        # builds on this one, which names no model of its.
        events = self.model._meta.get_field("markets_modeevent_claims").related_model
        published = Q()
        for name in self.claim_relations():
            published |= Q(**{f"{name}__publication": Publication.PUBLISHED})
        return self.filter(
            pk__in=self.filter(published).values("pk"),
        ).prefetch_related(
            models.Prefetch(
                "markets_modeevent_claims",
                queryset=events.objects.published(),
            )
        )


class Dispute(DerivedSlug, NaturallyKeyed, Bilingual, Timestamped):
    """Claims that disagree (on a date, a number), tied together once.

    Each claim stays its own fact (an event, a figure, a seller case) with its own source
    and quote; the dispute says, once and in both languages, what they disagree on.
    """

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        blank=True,
        help_text=_(
            "The dispute's public address. Leave it empty: it is made from the first "
            "words of the note when you save."
        ),
    )
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

    def slug_words(self) -> list[str]:
        """The note's first words: six English ones, else twelve Chinese characters."""
        return self.note_en.split()[:6] if self.note_en else [self.note_zh[:12]]

    def clean(self) -> None:
        super().clean()
        if not (self.note_zh or self.note_en):
            raise ValidationError(
                {"note_en": _("Say what the sources disagree on.")},
                code="dispute_without_note",
            )


#: The history's reason for a quote checked again by no one's edit of it.
