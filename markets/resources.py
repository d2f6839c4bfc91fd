"""Spreadsheet import and export for events and sources (CSV, XLSX), via the admin.

Rows go through the models' own validation; a file with any bad row writes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats

from markets.api.renderers import spreadsheet_cell
from markets.batches import record_writes_batched
from markets.models import (
    Dispute,
    EventEvidence,
    Market,
    MarketFigure,
    MarketFigureEvidence,
    ModeEvent,
    Publication,
    Source,
)

IMPORT_CHANGE_REASON = "Imported from a spreadsheet"


class SpreadsheetCSV(base_formats.CSV):
    """CSV as a spreadsheet opens it: UTF-8 with a byte-order mark, without which Excel
    reads the file in the machine's code page and garbles every Chinese character.
    Imports read the mark away (the admin decodes uploads as utf-8-sig)."""

    def export_data(self, dataset, **kwargs) -> str:
        return "\ufeff" + super().export_data(dataset, **kwargs)


#: The admin's import and export formats: the library's, with CSV marked as UTF-8,
#: in the library's order (a form names a format by its position).
SPREADSHEET_FORMATS = [
    SpreadsheetCSV if file_format is base_formats.CSV else file_format
    for file_format in base_formats.DEFAULT_FORMATS
]


class KeysWidget(widgets.ManyToManyWidget):
    """Related records by their codes or slugs ("DE,FR"); an unknown one is an error.

    The library's widget drops a code it cannot find without a word.
    """

    def clean(self, value, row=None, **kwargs):
        found = super().clean(value, row, **kwargs)
        if not value or isinstance(value, (int, float)):
            return found
        asked = {key.strip() for key in str(value).split(self.separator) if key.strip()}
        unknown = sorted(
            asked - {str(key) for key in found.values_list(self.field, flat=True)}
        )
        if unknown:
            raise ValueError(
                _("Unknown %(model)s: %(keys)s.")
                % {"model": self.model._meta.verbose_name, "keys": ", ".join(unknown)}
            )
        return found


class RecordResource(resources.ModelResource):
    """Validates every row with ``full_clean()`` and records the import in history."""

    def export_field(self, field, instance, **kwargs):
        # A spreadsheet must never run a cell as a formula (=HYPERLINK, +cmd, @SUM),
        # nor let one cell's direction turn its neighbours around.
        value = super().export_field(field, instance, **kwargs)
        return spreadsheet_cell(value) if isinstance(value, str) else value

    def import_data(self, *args, **kwargs):
        # A file with a refused row writes nothing, whoever calls (not only the admin,
        # which previews first).
        kwargs.setdefault("rollback_on_validation_errors", True)
        # One transaction for the rows and the status spans they alter, written once.
        with transaction.atomic(), record_writes_batched():
            return super().import_data(*args, **kwargs)

    def before_save_instance(self, instance, row, **kwargs) -> None:
        instance._change_reason = IMPORT_CHANGE_REASON
        instance._history_user = kwargs.get("user")


class ContentResource(RecordResource):
    """A record with a publication: only an editor's import may change it."""

    def import_instance(self, instance, row, **kwargs) -> None:
        stored = (
            type(instance)._base_manager.filter(pk=instance.pk).first()
            if instance.pk
            else None
        )
        super().import_instance(instance, row, **kwargs)
        was = stored.publication if stored else Publication.DRAFT
        if instance.publication != was and not instance.may_publish(kwargs.get("user")):
            raise ValidationError({"publication": instance.publish_refusal()})


#: Pieces of evidence a row may carry: evidence_source, evidence_quote, evidence_claim,
#: then the same columns ending in _2 and _3.
EVIDENCE_SLOTS = 3
EVIDENCE_PARTS = ("source", "quote", "claim")


def evidence_column(part: str, slot: int) -> str:
    return f"evidence_{part}" if slot == 1 else f"evidence_{part}_{slot}"


def evidence_columns() -> tuple[str, ...]:
    return tuple(
        evidence_column(part, slot)
        for slot in range(1, EVIDENCE_SLOTS + 1)
        for part in EVIDENCE_PARTS
    )


def evidence_field(part: str, slot: int) -> fields.Field:
    """A column of the ``slot``-th quote: read by FactResource on import; on export
    the quote's source slug, words or claim, from the prefetch."""

    def dehydrate(fact) -> str:
        quotes = list(fact.evidence.all())
        if len(quotes) < slot:
            return ""
        evidence = quotes[slot - 1]
        return evidence.source.slug if part == "source" else getattr(evidence, part)

    column = evidence_column(part, slot)
    return fields.Field(column_name=column, readonly=True, dehydrate_method=dehydrate)


class FactResource(ContentResource):
    """A fact comes in with its quotes: each row may carry up to three pieces of
    evidence (a source's slug, the verbatim quote, the claim), written in the same
    transaction as the fact; an unknown source or a missing quote refuses the row."""

    evidence_source = evidence_field("source", 1)
    evidence_quote = evidence_field("quote", 1)
    evidence_claim = evidence_field("claim", 1)
    evidence_source_2 = evidence_field("source", 2)
    evidence_quote_2 = evidence_field("quote", 2)
    evidence_claim_2 = evidence_field("claim", 2)
    evidence_source_3 = evidence_field("source", 3)
    evidence_quote_3 = evidence_field("quote", 3)
    evidence_claim_3 = evidence_field("claim", 3)

    def get_queryset(self):
        return super().get_queryset().prefetch_related("evidence__source")

    def evidence_model(self) -> type[models.Model]:
        return self._meta.model._meta.get_field("evidence").related_model

    def import_instance(self, instance, row, **kwargs) -> None:
        quotes, errors = self.evidence_in(row)
        instance._imported_evidence = quotes
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            raise ValidationError(error.update_error_dict(errors)) from error
        if errors:
            raise ValidationError(errors)

    def evidence_in(self, row) -> tuple[list, dict[str, list[str]]]:
        """The row's evidence as unsaved records, and its errors by column."""
        quotes, errors = [], {}
        for slot in range(1, EVIDENCE_SLOTS + 1):
            source_column = evidence_column("source", slot)
            quote_column = evidence_column("quote", slot)
            claim_column = evidence_column("claim", slot)
            slug = str(row.get(source_column) or "").strip()
            quote = str(row.get(quote_column) or "").strip()
            claim = str(row.get(claim_column) or "").strip()
            if not (slug or quote or claim):
                continue
            if not slug:
                errors.setdefault(source_column, []).append(
                    _("Give the slug of the source this quote comes from.")
                )
                continue
            source = Source.objects.filter(slug=slug).first()
            if source is None:
                errors.setdefault(source_column, []).append(
                    _("No source has the slug “%(slug)s”.") % {"slug": slug}
                )
            if not quote:
                errors.setdefault(quote_column, []).append(
                    _("Give the quote, verbatim, in the source's language.")
                )
            if source is None or not quote:
                continue
            evidence = self.evidence_model()(source=source, quote=quote, claim=claim)
            try:
                evidence.full_clean(exclude=["fact"], validate_unique=False)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    column = (
                        evidence_column(field, slot)
                        if field in EVIDENCE_PARTS
                        else quote_column
                    )
                    errors.setdefault(column, []).extend(messages)
                continue
            quotes.append(evidence)
        return quotes, errors

    def skip_row(self, instance, original, row, import_validation_errors=None):
        # A row that only adds a quote to an unchanged fact is not skipped.
        if any(
            self.is_new_evidence(instance, e)
            for e in getattr(instance, "_imported_evidence", [])
        ):
            return False
        return super().skip_row(instance, original, row, import_validation_errors)

    def is_new_evidence(self, fact, evidence) -> bool:
        if fact.pk is None:
            return True
        return (
            not self.evidence_model()
            .objects.filter(fact=fact, source=evidence.source, quote=evidence.quote)
            .exists()
        )

    def after_save_instance(self, instance, row, **kwargs) -> None:
        super().after_save_instance(instance, row, **kwargs)
        for evidence in getattr(instance, "_imported_evidence", []):
            # The same quote imported twice (a file exported, then imported back)
            # is kept once.
            if self.is_new_evidence(instance, evidence):
                evidence.fact = instance
                evidence._change_reason = IMPORT_CHANGE_REASON
                evidence._history_user = kwargs.get("user")
                evidence.save()


def key_field(
    name: str, model: type[models.Model], *, many: bool = False
) -> fields.Field:
    """A related record by its natural key (a slug, a code), or with ``many`` a
    comma-separated list of them."""
    key = model.natural_key_field
    widget = (
        KeysWidget(model, field=key, separator=",")
        if many
        else widgets.ForeignKeyWidget(model, field=key)
    )
    return fields.Field(attribute=name, column_name=name, widget=widget)


class EvidenceResource(RecordResource):
    """Quotes, each naming its fact and source by their keys. ``full_clean()`` places
    each quote in its source's archived text (Evidence.clean), and refuses one the
    text does not hold; where and whether it was found are exported, never imported.
    """

    source = key_field("source", Source)
    verification = fields.Field(
        attribute="verification", column_name="verification", readonly=True
    )

    class Meta:
        import_id_fields = ("uuid",)
        fields = ("uuid", "fact", "source", "quote", "claim", "verification")
        clean_model_instances = True
        skip_unchanged = True

    def get_queryset(self):
        return super().get_queryset().select_related("fact", "source")


class EventEvidenceResource(EvidenceResource):
    fact = key_field("fact", ModeEvent)

    class Meta(EvidenceResource.Meta):
        model = EventEvidence


class MarketFigureEvidenceResource(EvidenceResource):
    fact = key_field("fact", MarketFigure)

    class Meta(EvidenceResource.Meta):
        model = MarketFigureEvidence


class SourceResource(ContentResource):
    reported_via = key_field("reported_via", Source)

    class Meta:
        model = Source
        import_id_fields = ("slug",)
        fields = ("slug", *Source.recorded_fields, "reported_via", "publication")
        clean_model_instances = True
        skip_unchanged = True


class ModeEventResource(FactResource):
    dispute = key_field("dispute", Dispute)
    markets = key_field("markets", Market, many=True)

    class Meta:
        model = ModeEvent
        import_id_fields = ("slug",)
        fields = (
            "slug",
            *ModeEvent.recorded_fields,
            "markets",
            "dispute",
            "publication",
            *evidence_columns(),
        )
        clean_model_instances = True
        skip_unchanged = True

    def import_instance(self, instance: ModeEvent, row, **kwargs) -> None:
        super().import_instance(instance, row, **kwargs)
        # Markets are saved after the row, so check their codes and their rule here.
        try:
            markets = self.fields["markets"].clean(row) or []
        except ValueError as error:
            raise ValidationError({"markets": str(error)}) from error
        ModeEvent.validate_market_scope(markets, instance.scope)
