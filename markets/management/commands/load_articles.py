"""Load the article fixtures without ever overwriting or removing an analyst's work."""

import json
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from simple_history.utils import get_history_manager_for_model

from markets.archive import Archived, recheck_quotes, validate_archived_length
from markets.batches import record_writes_batched
from markets.models import (
    Evidence,
    ModeEvent,
    NaturallyKeyed,
    SourceText,
    Tombstone,
)
from status.models import StatusSpan

FIXTURES_CHANGE_REASON = "Loaded from the article fixtures"


class Command(BaseCommand):
    help = (
        "Add the article fixtures' records that the database lacks. A record that exists "
        "already, found by its natural key, is left exactly as analysts made it; one "
        "that was deleted (see Tombstone) stays deleted."
    )

    def handle(self, *args, **options) -> None:
        created = defaultdict(list)
        kept = skipped = 0
        with transaction.atomic(), record_writes_batched():
            deferred = []
            buried = set(Tombstone.objects.values_list("model", "natural_key"))
            for name in settings.ARTICLE_FIXTURES:
                path = Path(settings.FIXTURE_DIRS[0]) / f"{name}.json"
                with path.open(encoding="utf-8") as fixture:
                    items = json.load(fixture)
                objects = [
                    item for item in items if not self.rests_on_deleted(item, buried)
                ]
                skipped += len(items) - len(objects)
                for record in serializers.deserialize(
                    "python", objects, handle_forward_references=True
                ):
                    # The deserializer found the row by natural key: it is theirs now.
                    if record.object.pk is not None:
                        kept += 1
                        continue
                    record.object._change_reason = FIXTURES_CHANGE_REASON
                    if isinstance(record.object, ModeEvent):
                        # The raw save skips save(): published as it enters the record.
                        record.object.note_publication(at=record.object.created_at)
                    self.check_text(record.object)
                    if isinstance(record.object, Evidence):
                        self.verify(record.object)
                    if isinstance(record.object, SourceText):
                        self.verify_length(record.object)
                    record.save()
                    created[type(record.object)].append(record.object)
                    if record.deferred_fields:
                        deferred.append(record)
            for record in deferred:
                record.save_deferred_fields()
            for model, records in created.items():
                self.record_history(model, records)
            for copy in created.get(SourceText, []):
                # A text new to this database: the quotes already there stand in it.
                current = copy.source.current_text()
                recheck_quotes(
                    source=current.source,
                    text=current.text,
                    user=None,
                    archived=Archived(copy=current, created=True),
                )
            if not created and not StatusSpan.objects.exists():
                # Nothing new, and no status index yet: a database just migrated.
                StatusSpan.objects.rebuild()
        added = sum(len(records) for records in created.values())
        self.stdout.write(
            f"Article data: {added} records added, {kept} already present kept, "
            f"{skipped} deleted since left out."
        )

    def check_text(self, record: models.Model) -> None:
        """Hold the record's text to the rules every writer holds it to (made
        canonical; a control character refused), as the raw save skips them."""
        if not isinstance(record, NaturallyKeyed):
            return
        errors = record.text_errors()
        if errors:
            messages = ValidationError(errors).message_dict
            raise CommandError(
                f"{record._meta.label} {record.natural_key()[0]}: "
                + "; ".join(
                    f"{field}: {' '.join(texts)}" for field, texts in messages.items()
                )
            )

    def verify(self, evidence: Evidence) -> None:
        """Place a quote in its source's archived text, as every writer does
        (Evidence.clean); a quote the text does not hold is refused."""
        try:
            evidence.clean()
        except ValidationError as error:
            raise CommandError(
                f"{evidence._meta.label} {evidence.uuid}: " + "; ".join(error.messages)
            ) from error

    def verify_length(self, copy: SourceText) -> None:
        """Refuse a text longer than any door archives (markets.archive)."""
        try:
            validate_archived_length(copy.text)
        except ValidationError as error:
            raise CommandError(
                f"{copy._meta.label} {copy.uuid}: " + "; ".join(error.messages)
            ) from error

    def rests_on_deleted(self, item: dict, buried: set[tuple[str, str]]) -> bool:
        """Whether a fixture record was deleted, or hangs on one that was (then it is
        buried too, for the records that hang on it in turn).

        A deleted record is also dropped from the many-to-many lists that name it.
        """
        model = apps.get_model(item["model"])
        fields = item["fields"]
        key_field = getattr(model, "natural_key_field", None)
        own = (model._meta.label_lower, str(fields.get(key_field)))
        if key_field and own in buried:
            return True
        for name, value in fields.items():
            field = model._meta.get_field(name)
            related = field.related_model
            if related is None or not value:
                continue
            related_label = related._meta.label_lower
            if field.many_to_many:
                fields[name] = [
                    key for key in value if (related_label, str(key[0])) not in buried
                ]
            elif (related_label, str(value[0])) in buried:
                if key_field:
                    buried.add(own)
                return True
        return False

    def record_history(self, model: type, records: list) -> None:
        """Give each new record the first line of its history.

        Raw fixture saves write none, except where a many-to-many change already did.
        """
        if not hasattr(model, "history"):
            return
        history = get_history_manager_for_model(model)
        pk_name = model._meta.pk.attname
        recorded = set(
            history.filter(
                **{f"{pk_name}__in": [record.pk for record in records]}
            ).values_list(pk_name, flat=True)
        )
        history.bulk_history_create(
            [record for record in records if record.pk not in recorded],
            default_change_reason=FIXTURES_CHANGE_REASON,
        )
