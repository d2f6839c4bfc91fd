"""A schemathesis run against /api/schema/: no 5xx, no response outside the schema.

Every operation in the schema is called with generated parameters and bodies, on the
article data: reads as an anonymous reader, writes as an analyst with a token (the
permission tests cover anonymous writes, refused before any input is read). Each response is
checked for server errors and against its documented status codes, content types,
headers and body schema.

Two of schemathesis's checks judge how strictly input is refused rather than what the
API answers, and are left out: the filters are shared with the HTML pages, where an
empty value means "no filter" (so ``?mode=`` is accepted), and valid region, market
or source codes depend on the data (so ``?region=w`` is a 400 the schema cannot
predict).
"""

import pytest
import schemathesis
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import (
    negative_data_rejection,
    positive_data_acceptance,
)

from config.wsgi import application

# Loading the schema runs no query: it can happen at collection, before the database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", application)

INPUT_STRICTNESS_CHECKS = [negative_data_rejection, positive_data_acceptance]
# Small, so that the whole run stays within about a minute.
RUN = settings(
    max_examples=5,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)


@pytest.fixture(autouse=True)
def requests_share_the_test_transaction():
    """As Django's test client does: the test's transaction outlives each request."""
    request_started.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)


@schema.include(method="GET").parametrize()
@RUN
def test_anonymous_reads_conform_to_the_schema(case, article_data):
    case.call_and_validate(excluded_checks=INPUT_STRICTNESS_CHECKS)


@schema.exclude(method="GET").parametrize()
@RUN
def test_analyst_writes_conform_to_the_schema(case, article_data, analyst):
    token, _created = Token.objects.get_or_create(user=analyst)
    case.call_and_validate(
        headers={"Authorization": f"Token {token.key}"},
        excluded_checks=INPUT_STRICTNESS_CHECKS,
    )
