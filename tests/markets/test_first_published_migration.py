"""Events published before their first publication was recorded get it by migrating:
the first line of their history that shows them published, else their creation."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from markets.models import ModeEvent, Publication
from markets.services import content_set_publication
from tests.factories import ModeEventFactory

BEFORE = ("markets", "0029_article_fixture_corrections")


@pytest.mark.django_db(transaction=True)
def test_events_published_before_the_stamp_are_stamped_from_their_history():
    drafted = ModeEventFactory(slug="drafted", publication=Publication.DRAFT)
    (drafted,) = content_set_publication(
        records=[drafted], state=Publication.PUBLISHED, user=None, reason="Checked"
    )
    published_on_history = drafted.history.filter(publication="published").last()
    without_history = ModeEventFactory(slug="loaded")
    without_history.history.all().delete()
    long_ago = timezone.now() - datetime.timedelta(days=90)
    ModeEvent.objects.filter(pk=without_history.pk).update(created_at=long_ago)
    ModeEventFactory(slug="never", publication=Publication.DRAFT)

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    stamps = dict(ModeEvent.objects.values_list("slug", "published_at"))
    assert stamps["drafted"] == published_on_history.history_date
    assert stamps["loaded"] == long_ago
    assert stamps["never"] is None
