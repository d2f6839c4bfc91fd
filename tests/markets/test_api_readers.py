"""The fast event reads write exactly what their serializers write."""

import datetime
import json

import pytest
from rest_framework.renderers import JSONRenderer

from markets.api.readers import event_rows, represent_events, represent_status
from markets.api.serializers import ModeEventSerializer
from markets.models import Market, ModeEvent, Publication, Source
from status.api.serializers import ModeStatusSerializer
from status.selectors import status_on
from tests.factories import EventEvidenceFactory, MarketFactory, ModeEventFactory

pytestmark = pytest.mark.django_db


def as_json(data) -> list:
    """Both sides through the same renderer, as a client receives them."""
    return json.loads(JSONRenderer().render(data))


@pytest.mark.parametrize("public", [True, False], ids=["public", "analyst"])
def test_fast_event_rows_match_the_serializer(article_data, public):
    draft_market = MarketFactory(code="NO", publication=Publication.DRAFT)
    draft_source = Source.objects.first()
    event = ModeEventFactory(markets=[draft_market, *MarketFactory.create_batch(2)])
    EventEvidenceFactory(fact=event, source=draft_source)
    Source.objects.filter(pk=draft_source.pk).update(publication=Publication.DRAFT)

    queryset = (
        ModeEvent.objects.public() if public else ModeEvent.objects.with_related()
    ).order_by("date", "slug")
    expected = ModeEventSerializer(queryset, many=True, context={"public": public}).data
    fast = represent_events(event_rows(queryset, public=public))

    assert as_json(fast) == as_json(expected)
    assert len(fast) == ModeEvent.objects.count()


@pytest.mark.parametrize("known_on", [None, datetime.date(2024, 12, 31)])
def test_fast_status_table_matches_the_serializer(article_data, known_on):
    cells = status_on(
        Market.objects.public(), datetime.date(2024, 3, 1), known_on=known_on
    )
    expected = ModeStatusSerializer(cells, many=True).data
    assert as_json(represent_status(cells)) == as_json(expected)
    assert any(cell["event"] for cell in represent_status(cells))
