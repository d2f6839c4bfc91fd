"""nginx in front of the production server (config/proxy/nginx.conf, bin/with-proxy):
it keeps the public's answers, answers 304s, shows a publish within the stated delay,
and never hands a draft or a signed-in answer to the public."""

import http.client
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.processes import ROOT, manage, own_environment, shell

SHARED_CACHE_SECONDS = 2
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
ADDED_DAYS = "date_after=2031-03-01&date_before=2031-04-30"

pytestmark = pytest.mark.proxy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


@dataclass
class ProxiedSite:
    url: str
    environment: dict[str, str]
    #: nginx's cache directory.
    cache: Path
    #: gunicorn's own address, behind nginx.
    upstream: str = ""

    def get(
        self, path: str, headers: dict[str, str] | None = None, *, base: str = ""
    ) -> Answer:
        request = urllib.request.Request(  # noqa: S310
            (base or self.url) + path, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return Answer(response.status, dict(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers), error.read())

    def shell(self, code: str) -> str:
        """Python run by manage.py shell against the served database."""
        return shell(self.environment, code)

    def event_slugs(self, headers: dict[str, str] | None = None) -> list[str]:
        # The days of the events these tests add, so that they stand on the first page.
        answer = self.get(f"/api/mode-events/?format=json&{ADDED_DAYS}", headers)
        assert answer.status == 200
        return [event["slug"] for event in answer.json()["results"]]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310
            return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            # Listening is not answering: a worker busy with its first request, on a
            # machine the rest of the suite keeps busy, is asked again.
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


#: Password guesses at /api/token/ one address may make a minute, in these tests.
TOKEN_GUESSES = 3


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[ProxiedSite]:
    if not os.path.exists(NGINX):
        message = "nginx is not installed (apt-get install nginx-light)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    work = tmp_path_factory.mktemp("proxied")
    environment = own_environment(
        DJANGO_SETTINGS_MODULE="config.settings.prod",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="False",
        DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
        LOOPWATCH_SHARED_CACHE_SECONDS=str(SHARED_CACHE_SECONDS),
        LOOPWATCH_TRUSTED_PROXIES="1",
        # Low enough to see whom a password guess is counted against.
        LOOPWATCH_API_TOKEN_RATE=f"{TOKEN_GUESSES}/minute",
    )
    manage(environment, "migrate", "--noinput", "-v0")
    manage(environment, "load_articles", "-v0")
    manage(environment, "collectstatic", "--noinput", "-v0")
    upstream, proxy = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
    # As bin/with-proxy makes its own: where nginx's workers, run as nobody when the
    # suite runs as root, can reach the cache.
    proxy_files = Path(tempfile.mkdtemp(prefix="loopwatch-proxy."))
    proxy_files.chmod(0o755)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(  # noqa: S603
        [
            str(ROOT / "bin" / "with-proxy"),
            str(gunicorn),
            "config.wsgi",
            "--bind",
            upstream,
            "--workers",
            "2",
        ],
        cwd=ROOT,
        env={
            **environment,
            "PROXY": proxy,
            "UPSTREAM": upstream,
            "PROXY_WORKDIR": str(proxy_files),
        },
        start_new_session=True,
    )
    try:
        wait_until_up(f"http://{upstream}/api/")
        wait_until_up(f"http://{proxy}/api/")
        yield ProxiedSite(
            f"http://{proxy}", environment, proxy_files / "cache", f"http://{upstream}"
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
        shutil.rmtree(proxy_files, ignore_errors=True)


@pytest.mark.parametrize(
    "path", ["/", "/api/status/?as_of=2024-06-01", "/events/feed/"]
)
def test_the_proxy_keeps_what_the_public_reads(site, path):
    first = site.get(path)
    assert first.status == 200
    again = site.get(path)
    assert again.headers["X-Cache-Status"] == "HIT"
    assert again.body == first.body


def test_a_reader_holding_the_answer_gets_a_304_from_the_proxy(site):
    first = site.get("/api/mode-events/")
    answer = site.get("/api/mode-events/", {"If-None-Match": first.headers["ETag"]})
    assert answer.status == 304
    assert answer.body == b""


def test_a_publish_shows_within_the_stated_delay_and_a_draft_never(site):
    site.shell(
        "from markets.models import ModeEvent\n"
        "event = ModeEvent(slug='proxy-check', mode='semi_closed_loop', kind='launch',"
        " status_set='live', scope='none', date='2031-03-01', date_precision='day',"
        " summary_en='Check.')\n"
        "event.full_clean()\n"
        "event.save()"
    )
    for _ in range(3):
        assert "proxy-check" not in site.event_slugs()
    site.shell(
        "from markets.models import ModeEvent\n"
        "event = ModeEvent.objects.get(slug='proxy-check')\n"
        "event.publication = 'published'\n"
        "event.save()"
    )
    published_at = time.monotonic()
    while "proxy-check" not in site.event_slugs():
        assert time.monotonic() - published_at < SHARED_CACHE_SECONDS + 3
        time.sleep(0.2)


def test_a_signed_in_answer_never_reaches_the_public(site):
    token = site.shell(
        "from django.contrib.auth.models import Group, User\n"
        "from rest_framework.authtoken.models import Token\n"
        "user, _ = User.objects.get_or_create(username='proxy-analyst', is_staff=True)\n"
        "user.groups.add(Group.objects.get(name='Analyst'))\n"
        "from markets.models import ModeEvent\n"
        "event = ModeEvent(slug='proxy-draft', mode='closed_loop', kind='launch',"
        " status_set='live', scope='none', date='2031-04-01', date_precision='day',"
        " summary_en='Draft.')\n"
        "event.full_clean()\n"
        "event.save()\n"
        "print(Token.objects.get_or_create(user=user)[0].key)"
    )
    signed_in = {"Authorization": f"Token {token}"}
    analyst = site.get("/api/mode-events/?format=json", signed_in)
    assert analyst.headers["Cache-Control"] == "private, no-cache"
    assert "proxy-draft" in site.event_slugs(signed_in)
    for _ in range(3):
        assert "proxy-draft" not in site.event_slugs()


def kept_by_the_proxy(cache: Path) -> tuple[int, int]:
    """How many answers nginx keeps on disk, and their bytes."""
    files = [path for path in cache.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def first_answer(site: ProxiedSite, path: str) -> Answer:
    """The proxy's answer itself, a redirect not followed."""
    connection = http.client.HTTPConnection(
        site.url.removeprefix("http://"), timeout=10
    )
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return Answer(response.status, dict(response.headers), response.read())
    finally:
        connection.close()


def test_junk_query_keys_do_not_fill_the_proxys_cache(site):
    """Random tracking tags on a page: each a redirect to the page's own address, which
    nginx does not keep; the page itself is kept once and served from the cache."""
    assert site.get("/markets/").status == 200
    files_before, bytes_before = kept_by_the_proxy(site.cache)
    junk = [
        first_answer(site, f"/markets/?utm_source={secrets.token_hex(8)}")
        for _ in range(200)
    ]
    files_after, bytes_after = kept_by_the_proxy(site.cache)
    print(
        f"200 junk keys: statuses {sorted({answer.status for answer in junk})}, "
        f"{sum(answer.headers['X-Cache-Status'] == 'MISS' for answer in junk)} MISS, "
        f"{files_after - files_before} answers and {bytes_after - bytes_before} bytes "
        "more in the cache"
    )
    assert {answer.status for answer in junk} == {302}
    assert {answer.headers["Location"] for answer in junk} == {"/markets/"}
    assert files_after - files_before <= 1  # the page's own entry, if it had expired
    followed = [site.get(answer.headers["Location"]) for answer in junk]
    from_the_cache = [
        answer for answer in followed if answer.headers["X-Cache-Status"] != "MISS"
    ]
    assert len(from_the_cache) >= 195


def test_junk_query_keys_on_static_files_share_the_files_entry(site):
    static = first_answer(site, "/favicon.ico").headers["Location"]
    assert site.get(static).status == 200
    files_before, _ = kept_by_the_proxy(site.cache)
    answers = [site.get(f"{static}?v={secrets.token_hex(8)}") for _ in range(20)]
    assert {answer.status for answer in answers} == {200}
    assert kept_by_the_proxy(site.cache)[0] == files_before
    assert all(answer.headers["X-Cache-Status"] == "HIT" for answer in answers)


def guess_password(site: ProxiedSite, base: str, forwarded_for: str) -> int:
    request = urllib.request.Request(  # noqa: S310
        f"{base}/api/token/",
        data=b"username=nobody&password=wrong",
        headers={"X-Forwarded-For": forwarded_for},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_a_client_on_the_machine_reaching_gunicorn_directly_cannot_forge_its_address(
    site,
):
    """nginx reaches gunicorn from an address of its own (bin/with-proxy), the only
    one whose X-Forwarded-For is believed: a client on loopback that goes around it
    is counted as itself, however many addresses it claims."""
    answers = [
        guess_password(site, site.upstream, f"198.51.100.{number}")
        for number in range(TOKEN_GUESSES + 2)
    ]
    assert answers[:TOKEN_GUESSES] == [400] * TOKEN_GUESSES
    assert answers[TOKEN_GUESSES:] == [429, 429]
