"""A schemathesis run against /api/schema/: no 5xx, no slow answer, no response
outside the schema, over every operation the schema names.

Every operation in the schema is called with generated parameters and bodies, on the
article data: reads as an anonymous reader, writes as an analyst with a token (the
permission tests cover anonymous writes, refused before any input is read). Each
response is checked for server errors, for its time (`tests.hostile.assert_quick`)
and against its documented status codes, content types, headers and body schema. The
last test holds the run to the schema: an operation added to the API is fuzzed with
the others, or the suite says which one was not.

Reads go through schemathesis's coverage phase too (boundary values and wrong types
for every parameter); writes, whose bodies make that phase long, are fuzzed with
generated valid and invalid bodies.

drf-spectacular writes no OpenAPI links; schemathesis infers them from the schema
(a created record's key feeds the operations on that record, a list's keys the
detail's), and a stateful phase follows them as a superuser, who may also delete:
create, read, change, delete and read again, in generated orders.

Two of schemathesis's checks judge how strictly input is refused rather than what the
API answers, and are left out: the filters are shared with the HTML pages, where an
empty value means "no filter" (so ``?mode=`` is accepted), and valid region, market
or source codes depend on the data (so ``?region=w`` is a 400 the schema cannot
predict).
"""

from collections.abc import Iterator

import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import (
    ignored_auth,
    negative_data_rejection,
    positive_data_acceptance,
)

from config.wsgi import application
from tests.hostile import CPU_SECONDS_HEADER, assert_quick, timed

# Loading the schema runs no query: it can happen at collection, before the database.
schema = schemathesis.openapi.from_wsgi("/api/schema/", timed(application))
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
WORKFLOWS = settings(READS, max_examples=15, stateful_step_count=6)

#: The operations a test has called, by label ("GET /api/markets/"), for the last test.
CALLED: set[str] = set()


def answers_within_a_few_seconds(ctx, response, case) -> None:
    """A custom check: no answer may take longer than a reader or proxy would wait."""
    cpu = float(response.headers[CPU_SECONDS_HEADER.lower()][0])
    assert_quick(case.operation.label, cpu=cpu, clock=response.elapsed)


def called(ctx, response, case) -> None:
    """Not a judgement: notes that the operation was reached (see the last test)."""
    CALLED.add(case.operation.label)


EXTRA_CHECKS = [answers_within_a_few_seconds, called]


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
    case.call_and_validate(
        additional_checks=EXTRA_CHECKS, excluded_checks=INPUT_STRICTNESS_CHECKS
    )


@schema.exclude(method="GET").parametrize()
@WRITES
def test_analyst_writes_conform_to_the_schema(case, article_data_once, analyst):
    token, _created = Token.objects.get_or_create(user=analyst)
    case.call_and_validate(
        headers={"Authorization": f"Token {token.key}"},
        additional_checks=EXTRA_CHECKS,
        excluded_checks=INPUT_STRICTNESS_CHECKS,
    )


class Workflows(schema.as_state_machine()):
    """Create, read, change and delete along the inferred links, as a superuser."""

    token: str = ""

    def setup(self) -> None:
        # Each scenario starts from the article data, so that a replay meets the same
        # records as the run it replays.
        self.scenario = transaction.atomic()
        self.scenario.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self.scenario.__exit__(None, None, None)

    def get_call_kwargs(self, case) -> dict:
        return {"headers": {"Authorization": f"Token {self.token}"}}

    def validate_response(self, response, case, additional_checks=None, **kwargs):
        __tracebackhide__ = True
        case.validate_response(
            response,
            additional_checks=EXTRA_CHECKS,
            # The token is ours, not generated: a 201 with it is no ignored auth.
            excluded_checks=[*INPUT_STRICTNESS_CHECKS, ignored_auth],
            transport_kwargs=kwargs or None,
            recorder=self.recorder,
        )


def test_workflows_along_the_inferred_links_hold(article_data_once, db):
    chief = User.objects.create_superuser("chief", password="not-a-real-password")
    Workflows.token = Token.objects.create(user=chief).key
    Workflows.run(settings=WORKFLOWS)


def test_every_operation_in_the_schema_was_called(request):
    """Runs last: each operation answered at least once, none was left out."""
    in_schema = {result.ok().label for result in schema.get_all_operations()}
    this_module = [
        item for item in request.session.items if item.module is request.module
    ]
    if len(this_module) < len(in_schema) + 2:
        pytest.skip("Only part of the module was selected.")
    assert in_schema - CALLED == set()
