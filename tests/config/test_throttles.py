"""Throttles and lockouts count real clients, through the proxies the site trusts, in a
store every process shares; a locked-out sign-in says when it lifts."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory, override_settings
from django.utils import timezone

from config.clients import client_ip
from markets.api.throttling import AnonReadThrottle, TokenThrottle
from tests.factories import MarketFactory

pytestmark = pytest.mark.django_db

PASSWORD = "not-a-real-password"  # noqa: S105


@pytest.fixture
def anon_rate_3(monkeypatch) -> None:
    monkeypatch.setattr(AnonReadThrottle, "THROTTLE_RATES", {"anon": "3/minute"})


@pytest.fixture
def token_rate_3(monkeypatch) -> None:
    monkeypatch.setattr(TokenThrottle, "THROTTLE_RATES", {"token": "3/minute"})


def address_of(trusted: int, forwarded: str | None, remote: str = "10.0.0.1") -> str:
    """The client address seen behind ``trusted`` proxies, all of them in 10.0.0.0/8."""
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    with override_settings(
        LOOPWATCH_TRUSTED_PROXIES=trusted, LOOPWATCH_PROXY_ADDRESSES=["10.0.0.0/8"]
    ):
        return client_ip(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("trusted", "forwarded", "client"),
    [
        # No proxy trusted: whatever the client writes, its own connection decides.
        (0, "203.0.113.9", "10.0.0.1"),
        (0, None, "10.0.0.1"),
        # One proxy (nginx) appends the address it was reached from; a forged entry
        # to its left changes nothing.
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        # A load balancer, then nginx: the second entry from the right.
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.2", "203.0.113.9"),
        (2, "203.0.113.9", "203.0.113.9"),
        (1, "not-an-address", "10.0.0.1"),
        (1, "2001:db8::1", "2001:db8::1"),
        # Two trusted, but the entry nginx was handed did not come from the load
        # balancer: the client wrote it, and is the address nginx saw.
        (2, "6.6.6.6, 203.0.113.9", "203.0.113.9"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies_only(
    trusted, forwarded, client
):
    assert address_of(trusted, forwarded) == client


@pytest.mark.parametrize("trusted", [1, 2])
def test_a_client_reaching_the_app_directly_cannot_forge_its_forwarded_address(
    trusted,
):
    forged = "198.51.100.7, 10.0.0.2"
    assert address_of(trusted, forged, remote="203.0.113.50") == "203.0.113.50"


def test_proxy_addresses_may_be_blocks():
    with override_settings(
        LOOPWATCH_TRUSTED_PROXIES=1, LOOPWATCH_PROXY_ADDRESSES=["fd00::/8"]
    ):
        request = RequestFactory().get(
            "/", REMOTE_ADDR="fd12::5", HTTP_X_FORWARDED_FOR="203.0.113.9"
        )
        assert client_ip(request) == "203.0.113.9"


def test_anonymous_readers_are_throttled_past_the_configured_rate(
    api_client, anon_rate_3
):
    MarketFactory(code="DE")
    statuses = [api_client.get("/api/markets/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert int(api_client.get("/api/markets/").headers["Retry-After"]) > 0


def test_a_forged_forwarded_for_does_not_dodge_the_throttle(api_client, anon_rate_3):
    statuses = [
        api_client.get(
            "/api/markets/", headers={"x-forwarded-for": f"198.51.100.{n}"}
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


@override_settings(LOOPWATCH_TRUSTED_PROXIES=1)
def test_behind_a_proxy_each_reader_has_their_own_count(api_client, anon_rate_3):
    def as_reader(address: str) -> int:
        return api_client.get(
            "/api/markets/", headers={"x-forwarded-for": address}
        ).status_code

    assert [as_reader("198.51.100.1") for _ in range(4)] == [200, 200, 200, 429]
    assert as_reader("198.51.100.2") == 200


def test_analysts_are_not_throttled_like_anonymous_readers(analyst_api, anon_rate_3):
    statuses = {analyst_api.get("/api/markets/").status_code for _ in range(6)}
    assert statuses == {200}


def test_the_rates_come_from_settings(settings):
    rates = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]
    assert rates == AnonReadThrottle.THROTTLE_RATES
    assert set(rates) == {"anon", "token"}


def test_throttle_counts_are_kept_in_the_database_by_default(api_client, settings):
    database_cache = {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "loopwatch_shared_cache",
    }
    with override_settings(CACHES={**settings.CACHES, "shared": database_cache}):
        call_command("createcachetable", verbosity=0)
        api_client.get("/api/markets/")
        with connection.cursor() as cursor:
            cursor.execute("SELECT cache_key FROM loopwatch_shared_cache")
            keys = [key for (key,) in cursor.fetchall()]
        caches["shared"].clear()
    assert keys == [":1:throttle_anon_127.0.0.1"]


def test_token_requests_are_throttled_per_address(analyst, api_client, token_rate_3):
    def ask() -> int:
        return api_client.post(
            "/api/token/", {"username": "analyst", "password": PASSWORD}
        ).status_code

    assert [ask() for _ in range(4)] == [200, 200, 200, 429]


def test_the_api_token_lockout_is_a_429_saying_when_it_lifts(
    analyst, api_client, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        wrong = api_client.post("/api/token/", {"username": "analyst", "password": "x"})
        assert wrong.status_code == 400
    locking = api_client.post(
        "/api/token/",
        {"username": "analyst", "password": "x"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    right = api_client.post(
        "/api/token/",
        {"username": "analyst", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    for response in (locking, right):
        assert response.status_code == 429
        body = response.json()
        assert set(body) == {"detail", "lifts_at"}
        assert "Try again after" in body["detail"]
        assert 3500 < int(response.headers["Retry-After"]) <= 3601
    assert "token" not in right.json()
    in_chinese = api_client.post(
        "/api/token/",
        {"username": "analyst", "password": PASSWORD},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert "之后再试" in in_chinese.json()["detail"]


def test_the_admin_lockout_says_when_it_lifts(analyst, client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "analyst", "password": "wrong"})
    response = client.post(
        "/admin/login/",
        {"username": "analyst", "password": PASSWORD},
        headers={"accept-language": "en"},
    )
    assert response.status_code == 429
    assert "Try again after" in response.content.decode()
    assert int(response.headers["Retry-After"]) > 3500
    assert "_auth_user_id" not in client.session


@override_settings(LOOPWATCH_TRUSTED_PROXIES=1)
def test_behind_a_proxy_the_lockout_is_per_analyst_address_not_per_proxy(
    analyst, client, settings
):
    attacker = {"x-forwarded-for": "198.51.100.66"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/", {"username": "analyst", "password": "x"}, headers=attacker
        )
    locked = client.post(
        "/admin/login/",
        {"username": "analyst", "password": PASSWORD},
        headers=attacker,
    )
    assert locked.status_code == 429
    response = client.post(
        "/admin/login/",
        {"username": "analyst", "password": PASSWORD},
        headers={"x-forwarded-for": "203.0.113.9"},
    )
    assert response.status_code == 302


@override_settings(LOOPWATCH_TRUSTED_PROXIES=1)
def test_a_locked_out_client_reaching_the_app_directly_cannot_forge_another_address(
    analyst, client, api_client, settings, anon_rate_3
):
    """Around nginx, straight to gunicorn: the header is the client's own writing, and
    the lockout and the throttle both count its real address."""
    direct = {"REMOTE_ADDR": "203.0.113.50"}
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/",
            {"username": "analyst", "password": "x"},
            headers={"x-forwarded-for": f"198.51.100.{n}"},
            **direct,
        )
    forged = client.post(
        "/admin/login/",
        {"username": "analyst", "password": PASSWORD},
        headers={"x-forwarded-for": "198.51.100.200"},
        **direct,
    )
    assert forged.status_code == 429
    statuses = [
        api_client.get(
            "/api/markets/", headers={"x-forwarded-for": f"198.51.100.{n}"}, **direct
        ).status_code
        for n in range(4)
    ]
    assert statuses == [200, 200, 200, 429]


def test_lockouts_are_counted_in_the_shared_cache_not_in_the_database(
    analyst, api_client, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api_client.post("/api/token/", {"username": "analyst", "password": "x"})
    assert not AccessAttempt.objects.exists()
    again = api_client.post(
        "/api/token/", {"username": "analyst", "password": PASSWORD}
    )
    assert again.status_code == 429
    # Held there alone (Redis in the PostgreSQL half of the suite): cleared, it lifts.
    caches["shared"].clear()
    assert (
        api_client.post(
            "/api/token/", {"username": "analyst", "password": PASSWORD}
        ).status_code
        == 200
    )


def test_the_lockout_lifts_a_cool_off_after_the_last_failure(
    analyst, api_client, settings
):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        refused = api_client.post(
            "/api/token/", {"username": "analyst", "password": "x"}
        )
    lifts_at = datetime.datetime.fromisoformat(refused.json()["lifts_at"])
    expected = timezone.now() + datetime.timedelta(hours=settings.AXES_COOLOFF_TIME)
    assert abs((lifts_at - expected).total_seconds()) < 5
