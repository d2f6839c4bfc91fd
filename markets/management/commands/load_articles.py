"""Load the article fixtures without ever overwriting or removing an analyst's work."""

from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management.base import BaseCommand
from django.db import transaction
from simple_history.utils import get_history_manager_for_model

from markets.models import StatusSpan

FIXTURES_CHANGE_REASON = "Loaded from the article fixtures"


class Command(BaseCommand):
    help = (
        "Add the article fixtures' records that the database lacks. A record that exists "
        "already, found by its natural key, is left exactly as analysts made it."
    )

    def handle(self, *args, **options) -> None:
        created = defaultdict(list)
        kept = 0
        with transaction.atomic(), StatusSpan.objects.rewrites_deferred():
            deferred = []
            for name in settings.ARTICLE_FIXTURES:
                path = Path(settings.FIXTURE_DIRS[0]) / f"{name}.json"
                with path.open(encoding="utf-8") as fixture:
                    for record in serializers.deserialize(
                        "json", fixture, handle_forward_references=True
                    ):
                        # The deserializer found the row by natural key: it is theirs now.
                        if record.object.pk is not None:
                            kept += 1
                            continue
                        record.object._change_reason = FIXTURES_CHANGE_REASON
                        record.save()
                        created[type(record.object)].append(record.object)
                        if record.deferred_fields:
                            deferred.append(record)
            for record in deferred:
                record.save_deferred_fields()
            for model, records in created.items():
                self.record_history(model, records)
            # Raw fixture saves run the rule once per record; once more, on the whole.
            StatusSpan.objects.rebuild()
        added = sum(len(records) for records in created.values())
        self.stdout.write(
            f"Article data: {added} records added, {kept} already present kept."
        )

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
