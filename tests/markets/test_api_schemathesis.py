"""A schemathesis run against /api/schema/: no 5xx, no response outside the schema.

Every operation in the schema is called with generated parameters and bodies, on the
article data: reads as an anonymous reader, writes as an analyst with a token (the
permission tests cover anonymous writes, refused before any input is read). Each
response is checked for server errors and against its documented status codes,
content types, headers and body schema.

Reads go through schemathesis's coverage phase too (boundary values and wrong types
for every parameter); writes, whose bodies make that phase long, are fuzzed with
generated valid and invalid bodies.

Two of schemathesis's checks judge how strictly input is refused rather than what the
API answers, and are left out: the filters are shared with the HTML pages, where an
empty value means "no filter" (so ``?mode=`` is accepted), and valid region, market
or source codes depend on the data (so ``?region=w`` is a 400 the schema cannot
predict).
"""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

from config.wsgi import application

# Loading the schema runs no query: it can happen at collection, before the database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
# DRF answers a method a path does not have with 405; probing each is not worth the time.
schema.config.phases.coverage.unexpected_methods = set()

INPUT_STRICTNESS_CHECKS = [negative_data_rejection, positive_data_acceptance]
# Bounded, so that each run of the suite spends well under a minute here.
READS = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
WRITES = settings(READS, max_examples=50, phases=[Phase.generate])


@pytest.fixture(scope="module")
def article_data_once(article_snapshot, django_db_blocker) -> Iterator[None]:
    """The article data, copied in once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        article_snapshot.restore()
        yield
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def requests_share_the_test_transaction():
    """As Django's test client does: the test's transaction outlives each request."""
    request_started.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)


@schema.include(method="GET").parametrize()
@READS
def test_anonymous_reads_conform_to_the_schema(case, article_data_once, db):
    case.call_and_validate(excluded_checks=INPUT_STRICTNESS_CHECKS)


@schema.exclude(method="GET").parametrize()
@WRITES
def test_analyst_writes_conform_to_the_schema(case, article_data_once, analyst):
    token, _created = Token.objects.get_or_create(user=analyst)
    case.call_and_validate(
        headers={"Authorization": f"Token {token.key}"},
        excluded_checks=INPUT_STRICTNESS_CHECKS,
    )
