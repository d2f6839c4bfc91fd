"""Anonymous reads come from the streaming replica, everything else from the primary
(config/replicas.py), against the real replica bin/with-postgres starts beside the
primary: with the replica's replay paused, the public sees the record as the replica
has it while an analyst reads their own write; once replayed, the public sees it too."""

import json
import os
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import psycopg
import pytest

from tests.processes import manage, own_environment, shell

DATABASE = "loopwatch_routing"

pytestmark = [
    # Kept in the PostgreSQL half of `make test`, which alone has a replica.
    pytest.mark.django_db,
    pytest.mark.skipif(
        not os.environ.get("REPLICA_DATABASE_URL"),
        reason="no replica (bin/with-postgres starts one)",
    ),
]


def socket_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["host"][0]


def connect(url: str, database: str) -> psycopg.Connection:
    return psycopg.connect(
        dbname=database, user="postgres", host=socket_of(url), autocommit=True
    )


class Site:
    def __init__(self) -> None:
        self.primary_socket = socket_of(os.environ["DATABASE_URL"])
        self.replica_socket = socket_of(os.environ["REPLICA_DATABASE_URL"])
        self.environment = own_environment(
            DJANGO_SETTINGS_MODULE="config.settings.dev",
            DATABASE_URL=f"postgres://postgres@/{DATABASE}?host={self.primary_socket}",
            REPLICA_DATABASE_URL=(
                f"postgres://postgres@/{DATABASE}?host={self.replica_socket}"
            ),
        )

    def manage(self, *arguments: str) -> str:
        return manage(self.environment, *arguments)

    def shell(self, code: str) -> str:
        return shell(self.environment, code)

    def market_codes(self, token: str | None = None) -> list[str]:
        """The markets the API lists, asked in a fresh process: anonymously, or with an
        analyst's token."""
        headers = f"{{'authorization': 'Token {token}'}}" if token else "{}"
        return json.loads(
            self.shell(
                "import json\n"
                "from django.test import Client\n"
                f"client = Client(headers={headers})\n"
                "response = client.get('/api/markets/?format=json',"
                " HTTP_HOST='localhost')\n"
                "assert response.status_code == 200, response.content\n"
                "print(json.dumps([m['code'] for m in response.json()['results']]))"
            )
        )


def replayed(primary: psycopg.Connection, replica: psycopg.Connection) -> bool:
    (written,) = primary.execute("SELECT pg_current_wal_lsn()").fetchone()
    (replayed_to,) = replica.execute(
        "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [written]
    ).fetchone()
    return replayed_to


def wait_for_replay(primary, replica, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not replayed(primary, replica):
        assert time.monotonic() < deadline, "the replica did not catch up"
        time.sleep(0.1)


@pytest.fixture(scope="module")
def site() -> Iterator[Site]:
    with connect(os.environ["DATABASE_URL"], "postgres") as server:
        server.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        server.execute(f"CREATE DATABASE {DATABASE}")
    site = Site()
    site.manage("migrate", "--noinput", "-v0")
    site.manage("load_articles", "-v0")
    with (
        connect(site.environment["DATABASE_URL"], DATABASE) as primary,
        connect(site.environment["REPLICA_DATABASE_URL"], DATABASE) as replica,
    ):
        wait_for_replay(primary, replica)
        site.primary, site.replica = primary, replica
        yield site
        replica.execute("SELECT pg_wal_replay_resume()")


def test_the_public_reads_the_replica_and_an_analyst_their_own_write(site):
    token = site.shell(
        "from django.contrib.auth.models import Group, User\n"
        "from rest_framework.authtoken.models import Token\n"
        "user = User.objects.create_user('routing-analyst', is_staff=True)\n"
        "user.groups.add(Group.objects.get(name='Analyst'))\n"
        "print(Token.objects.create(user=user).key)"
    )
    wait_for_replay(site.primary, site.replica)
    assert "LU" not in site.market_codes()
    site.replica.execute("SELECT pg_wal_replay_pause()")
    site.shell(
        "from markets.models import Market, Region\n"
        "Market.objects.create(code='LU', name_zh='卢森堡', name_en='Luxembourg',"
        " region=Region.objects.order_by('pk').first(), publication='published')"
    )
    # The replica has not replayed the write: the public does not see it yet, the
    # analyst who made it does.
    assert "LU" not in site.market_codes()
    assert "LU" in site.market_codes(token)
    site.replica.execute("SELECT pg_wal_replay_resume()")
    wait_for_replay(site.primary, site.replica)
    assert "LU" in site.market_codes()


def test_an_analysts_write_through_the_api_goes_to_the_primary(site):
    token = site.shell(
        "from django.contrib.auth.models import Group, User\n"
        "from rest_framework.authtoken.models import Token\n"
        "user = User.objects.create_user('routing-editor', is_staff=True)\n"
        "user.groups.add(Group.objects.get(name='Analyst'))\n"
        "print(Token.objects.create(user=user).key)"
    )
    site.replica.execute("SELECT pg_wal_replay_pause()")
    status = site.shell(
        "from django.test import Client\n"
        f"client = Client(headers={{'authorization': 'Token {token}'}})\n"
        "response = client.post('/api/markets/', {'code': 'MC', 'name_zh': '摩纳哥',"
        " 'name_en': 'Monaco', 'region': 'europe'}, content_type='application/json', HTTP_HOST='localhost')\n"
        "print(response.status_code, response.content.decode())"
    )
    assert status.startswith("201"), status
    query = "SELECT count(*) FROM markets_market WHERE code = 'MC'"
    assert site.primary.execute(query).fetchone() == (1,)
    assert site.replica.execute(query).fetchone() == (0,)
    site.replica.execute("SELECT pg_wal_replay_resume()")
    wait_for_replay(site.primary, site.replica)
    assert site.replica.execute(query).fetchone() == (1,)
