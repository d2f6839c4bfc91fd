"""The record's writers say where a batch of writes begins and ends (markets.batches);
the status index, registered in status' ready(), is rewritten once, at the end."""

import pytest
from django.db import transaction

from markets.batches import record_writes_batched
from status.models import StatusSpan
from tests.factories import EventEvidenceFactory, MarketFactory, ModeEventFactory

pytestmark = pytest.mark.django_db


def test_a_batch_of_record_writes_rewrites_the_spans_once_at_its_end():
    germany = MarketFactory(code="DE")
    with record_writes_batched():
        beta = ModeEventFactory(markets=[germany])
        EventEvidenceFactory(fact=beta)
        assert not StatusSpan.objects.exists()
    assert StatusSpan.objects.filter(market=germany, event=beta).exists()


def test_a_nested_batch_is_part_of_the_outer_one():
    germany = MarketFactory(code="DE")
    with record_writes_batched():
        with record_writes_batched():
            EventEvidenceFactory(fact=ModeEventFactory(markets=[germany]))
        assert not StatusSpan.objects.exists()
    assert StatusSpan.objects.filter(market=germany).exists()


def test_a_batch_that_fails_leaves_no_rewrite_pending():
    germany = MarketFactory(code="DE")
    with (  # noqa: PT012
        pytest.raises(RuntimeError),
        transaction.atomic(),
        record_writes_batched(),
    ):
        EventEvidenceFactory(fact=ModeEventFactory(markets=[germany]))
        raise RuntimeError
    # The next write is not deferred into a batch that ended.
    event = ModeEventFactory(markets=[germany])
    EventEvidenceFactory(fact=event)
    assert StatusSpan.objects.filter(event=event).exists()
