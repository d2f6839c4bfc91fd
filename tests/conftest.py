import os
from collections.abc import Iterator
from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test import Client
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from caching.kept import forget_everything_kept
from markets.models import Market, ModeEvent, Source, Status
from sellers.models import SellerCase
from tests.factories import DataSet, make_data_set
from tests.snapshots import Snapshot


@pytest.fixture(autouse=True)
def english_outside_requests() -> Iterator[None]:
    """Messages made outside a request (model validation) read in English in tests.

    The interface defaults to Simplified Chinese; a page still picks its language per
    request, from the reader's cookie or browser, as LocaleMiddleware does.
    """
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    """Each test starts with nothing cached, no throttle counted: its database starts
    afresh too."""
    forget_everything_kept()
    yield
    forget_everything_kept()


@pytest.fixture(autouse=True, scope="session")
def database_features_known(django_db_setup, django_db_blocker) -> None:
    """Ask the database once what it supports, as a server process does at its start.

    Django asks it with a query the first time a JSON function is used; counted in a
    request, it would make the first test of a run look more costly than the others.
    """
    with django_db_blocker.unblock():
        assert connection.features.supports_json_field


@pytest.fixture(scope="session")
def article_snapshot(django_db_setup, django_db_blocker) -> Snapshot:
    """The two articles' facts, loaded once per run (tests.snapshots)."""
    with django_db_blocker.unblock():
        snapshot, _ = Snapshot.of(
            "articles", lambda: call_command("load_articles", stdout=StringIO())
        )
    return snapshot


@pytest.fixture
def article_data(db, article_snapshot) -> None:
    """The two articles' facts, as `make run` loads them; ask for it before any
    fixture that writes records."""
    article_snapshot.restore()


@pytest.fixture
def article_data_set(article_data) -> DataSet:
    """The article data's busiest market, event, source and seller case."""
    return DataSet(
        market=Market.objects.get(code="DE"),
        event=ModeEvent.objects.get(date="2024-02-01", status_set=Status.BETA),
        source=Source.objects.get(slug="xiaochuan-semi-closed-loop-eight-markets"),
        seller_case=SellerCase.objects.annotate(figure_count=Count("figures"))
        .order_by("-figure_count", "pk")
        .first(),
    )


@pytest.fixture(scope="session")
def large_snapshot(django_db_setup, django_db_blocker) -> tuple[Snapshot, DataSet]:
    """Ten times the article data, built once per run (tests.snapshots)."""
    with django_db_blocker.unblock():
        return Snapshot.of("large", lambda: make_data_set(scale=10))


@pytest.fixture(scope="module")
def large_data_set(large_snapshot, django_db_blocker) -> Iterator[DataSet]:
    """The large set, copied in once per test module and rolled back after.

    Each test still runs in its own transaction, nested inside this one.
    """
    snapshot, data_set = large_snapshot
    with django_db_blocker.unblock(), transaction.atomic():
        snapshot.restore()
        yield data_set
        transaction.set_rollback(True)


@pytest.fixture
def analyst(db) -> User:
    user = User.objects.create_user(
        "analyst", password="not-a-real-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Analyst"))
    return user


@pytest.fixture
def editor(db) -> User:
    user = User.objects.create_user(
        "editor", password="not-a-real-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def editor_client(editor: User) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(editor)
    return client


@pytest.fixture
def analyst_client(analyst: User) -> Client:
    # The admin's messages are checked in English; readers' pages have their own tests.
    client = Client(headers={"accept-language": "en"})
    client.force_login(analyst)
    return client


@pytest.fixture
def api_client() -> APIClient:
    """An anonymous reader."""
    return APIClient()


def token_client(user: User) -> APIClient:
    """A client signed in with a token; in English, so tests can read the messages."""
    client = APIClient(headers={"Accept-Language": "en"})
    token = Token.objects.create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def analyst_api(analyst: User) -> APIClient:
    """An analyst signed in with a token: add, change and view, never delete."""
    return token_client(analyst)


@pytest.fixture
def editor_api(editor: User) -> APIClient:
    """An editor signed in with a token: an analyst who may also publish."""
    return token_client(editor)


@pytest.fixture
def reader_api(db) -> APIClient:
    """A signed-in user without any permission."""
    return token_client(User.objects.create_user("reader", password="not-a-real-one"))


@pytest.fixture
def admin_api(db) -> APIClient:
    return token_client(
        User.objects.create_superuser("chief", password="not-a-real-password")
    )


#: What a test asks for when it reads or writes the database.
DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """With LOOPWATCH_DATABASE_TESTS_ONLY=1 (the PostgreSQL pass of `make test`), leave
    out the tests that never touch a database: the SQLite pass has run them."""
    if os.environ.get("LOOPWATCH_DATABASE_TESTS_ONLY") != "1":
        return
    kept, left_out = [], []
    for item in items:
        touches_database = item.get_closest_marker("django_db") or (
            DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        )
        (kept if touches_database else left_out).append(item)
    config.hook.pytest_deselected(items=left_out)
    items[:] = kept


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Under CI=true a skipped browser test fails: CI must never pass without them."""
    report = yield
    if (
        os.environ.get("CI") == "true"
        and report.skipped
        and not hasattr(report, "wasxfail")
        and item.get_closest_marker("browser")
    ):
        reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else ""
        report.outcome = "failed"
        report.longrepr = f"Browser test skipped under CI=true. {reason}"
    return report
