"""Spreadsheet import and export for events and sources (CSV, XLSX), via the admin.

Rows go through the models' own validation; a file with any bad row writes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from markets.api.renderers import spreadsheet_cell
from markets.models import (
    Dispute,
    EventEvidence,
    Market,
    MarketFigure,
    MarketFigureEvidence,
    ModeEvent,
    Publication,
    Source,
    StatusSpan,
)

IMPORT_CHANGE_REASON = "Imported from a spreadsheet"


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
        with transaction.atomic(), StatusSpan.objects.rewrites_deferred():
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


class ModeEventResource(ContentResource):
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
