"""Every outbound request goes through config.outbound: an address is read once,
resolved once, refused unless public, and connected to exactly as checked.

Refusals are tested by validation, never by sending: only loopback receives anything.
"""

import contextlib
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator

import pytest
from django.test import override_settings

from config import outbound
from tests.alerts.conftest import hanging_endpoint, receiver  # noqa: F401

PUBLIC = "93.184.215.14"


def resolving_to(monkeypatch, *answers: str) -> list[str]:
    """getaddrinfo answers each of ``answers`` in turn (the last one after); the
    hosts looked up, in order."""
    looked_up: list[str] = []
    queue = list(answers)
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if not host.endswith(".example"):
            return real(host, port, *args, **kwargs)
        looked_up.append(host)
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", getaddrinfo)
    return looked_up


@pytest.mark.parametrize(
    "url",
    [
        # urllib reads 8.8.8.8 as the host, urllib3 127.0.0.1 (the payloads).
        "http://127.0.0.1:9101\\@8.8.8.8/",
        "http://localhost:9101\\@8.8.8.8/",
        "localhost:9101\\@8.8.8.8",
        "http://127.0.0.1\\@8.8.8.8/hook",
        # User information, with or without the backslash.
        "http://8.8.8.8@127.0.0.1/",
        "http://user:pass@example.com/",
        "http://127.0.0.1:9101@8.8.8.8/",
        # Spaces, control characters, non-ASCII, zones, no host, other schemes.
        "http://127.0.0.1 @8.8.8.8/",
        "http://example.com/\r\nX-Injected: 1",
        "http://exämple.com/",
        "http://[fe80::1%25eth0]/",
        "http:///hook",
        "ftp://example.com/",
        "file:///etc/passwd",
        "gopher://127.0.0.1:25/",
        "//example.com/",
        "http://example.com:99999/",
        "http://example.com:0/",
    ],
)
@pytest.mark.parametrize("allow_private", [False, True])
def test_an_address_read_two_ways_or_not_plainly_is_refused(url, allow_private):
    with pytest.raises(outbound.RefusedDestination):
        outbound.validate_url(url, allow_private=allow_private)
    with pytest.raises(outbound.RefusedDestination):
        outbound.check_destination(url, allow_private=allow_private)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.1.2.3",
        "0.0.0.0",  # noqa: S104
        "10.0.0.8",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "192.0.0.8",
        "198.18.0.1",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        # IPv6 forms that carry a private IPv4 address.
        "::127.0.0.1",
        "::8.8.8.8",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "64:ff9b::7f00:1",
        "64:ff9b::a9fe:a9fe",
        "64:ff9b:1::7f00:1",
        "64:ff9b:1::808:808",
        "2002:7f00:1::",
        "2002:a00:1::1",
        "2001:0:4136:e378:8000:63bf:3fff:fdd2",
        "2001:db8::1",
    ],
)
def test_an_address_outside_the_public_internet_is_refused(monkeypatch, address):
    resolving_to(monkeypatch, address)
    with pytest.raises(outbound.RefusedDestination) as refused:
        outbound.validate_url("http://receiver.example/hook")
    assert refused.value.code == "private"


@pytest.mark.parametrize(
    "url",
    [
        "http://[::127.0.0.1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::]/",
        "http://127.0.0.1:8000/hook",
        "http://127.1/",
        "http://2130706433/",
        "http://0x7f000001/",
        "http://017700000001/",
        "http://localhost/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_a_private_address_written_as_a_literal_is_refused(url):
    with pytest.raises(outbound.RefusedDestination) as refused:
        outbound.validate_url(url)
    assert refused.value.code == "private"


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"],
)
def test_a_public_address_is_taken(monkeypatch, address):
    resolving_to(monkeypatch, address)
    destination = outbound.check_destination("https://receiver.example/a?b=c#d")
    assert destination.address == address
    assert (destination.host, destination.port, destination.target) == (
        "receiver.example",
        443,
        "/a?b=c",
    )


def test_a_host_resolving_to_any_private_address_is_refused(monkeypatch):
    def getaddrinfo(host, port, *args, **kwargs):
        assert host == "receiver.example"
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", (PUBLIC, port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port)),
        ]

    monkeypatch.setattr(outbound.socket, "getaddrinfo", getaddrinfo)
    with pytest.raises(outbound.RefusedDestination):
        outbound.check_destination("http://receiver.example/")


class RecordedConnection:
    """Stands for urllib3's connection: where it was asked to connect, no more."""

    made: list[tuple[str, int]] = []

    def __init__(self, host, port, **kwargs):
        RecordedConnection.made.append((host, port))
        self.sock = None

    def connect(self):
        raise ConnectionRefusedError("recorded, not connected")

    def close(self):
        pass


def test_a_host_rebound_after_the_check_is_connected_to_as_checked(monkeypatch):
    """DNS rebinding: the name answers a public address when checked and loopback
    after; it is looked up once, and the connection goes to the address checked."""
    looked_up = resolving_to(monkeypatch, PUBLIC, "127.0.0.1")
    RecordedConnection.made = []
    monkeypatch.setattr(outbound, "HTTPConnection", RecordedConnection)
    with pytest.raises(outbound.SendFailed):
        outbound.send("POST", "http://rebind.example:8080/hook", body=b"{}")
    assert looked_up == ["rebind.example"]
    assert RecordedConnection.made == [(PUBLIC, 8080)]


def test_a_host_rebound_to_loopback_before_the_check_is_never_connected_to(
    monkeypatch,
):
    looked_up = resolving_to(monkeypatch, "127.0.0.1", PUBLIC)
    RecordedConnection.made = []
    monkeypatch.setattr(outbound, "HTTPConnection", RecordedConnection)
    with pytest.raises(outbound.RefusedDestination):
        outbound.send("POST", "http://rebind.example/hook", body=b"{}")
    assert looked_up == ["rebind.example"]
    assert RecordedConnection.made == []


def test_the_request_goes_to_the_checked_address_with_the_name_as_host(
    monkeypatch,
    receiver,  # noqa: F811
):
    """Where private addresses are allowed, a name that resolves to loopback and
    then elsewhere still reaches the loopback receiver, named in the Host header."""
    port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
    looked_up = resolving_to(monkeypatch, "127.0.0.1", "198.51.100.7")
    answer = outbound.send(
        "POST",
        f"http://rebind.example:{port}/hook?x=1",
        body=b"{}",
        headers={"Content-Type": "application/json"},
        allow_private=True,
    )
    assert answer.status == 204
    assert looked_up == ["rebind.example"]
    (request,) = receiver.requests
    assert request["headers"]["Host"] == f"rebind.example:{port}"


def test_a_redirect_is_an_answer_not_followed(receiver):  # noqa: F811
    receiver.statuses = [302]
    answer = outbound.send("POST", receiver.url, body=b"{}", allow_private=True)
    assert answer.status == 302
    assert len(receiver.requests) == 1


@pytest.fixture
def talker() -> Iterator[tuple[str, threading.Event]]:
    """A loopback server answering 200 with a body of 1 MB."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    done = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(
                b"HTTP/1.1 200 OK\r\nContent-Length: 1048576\r\n\r\n" + b"x" * 1048576
            )
            done.wait(5)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/", done
    finally:
        done.set()
        listener.close()


def test_no_more_of_an_answer_is_read_than_the_cap(talker):
    url, done = talker
    with override_settings(OUTBOUND_MAX_RESPONSE_BYTES=1000):
        answer = outbound.send("GET", url, allow_private=True)
    assert answer.status == 200
    assert len(answer.body) == 1000


@override_settings(
    OUTBOUND_CONNECT_TIMEOUT=0.5, OUTBOUND_READ_TIMEOUT=0.5, OUTBOUND_TOTAL_TIMEOUT=1
)
def test_an_endpoint_that_never_answers_is_given_up_within_the_read_timeout():
    with hanging_endpoint() as hanging:
        started = time.monotonic()
        with pytest.raises(outbound.SendFailed):
            outbound.send("POST", hanging.url, body=b"{}", allow_private=True)
        assert time.monotonic() - started < 1.5


@pytest.fixture
def trickler() -> Iterator[str]:
    """A loopback server that answers one header byte every 0.2 s, forever."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def serve() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(b"HTTP/1.1 200 OK\r\nX-Slow: ")
            while not stop.wait(0.2):
                try:
                    connection.sendall(b"a")
                except OSError:
                    return

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        stop.set()
        listener.close()


@override_settings(OUTBOUND_READ_TIMEOUT=1, OUTBOUND_TOTAL_TIMEOUT=1.5)
def test_an_endpoint_that_answers_byte_by_byte_is_cut_at_the_deadline(trickler):
    started = time.monotonic()
    with pytest.raises(outbound.SendFailed):
        outbound.send("POST", trickler, body=b"{}", allow_private=True)
    assert time.monotonic() - started < 2.5


@pytest.fixture
def tls_receiver(tmp_path) -> Iterator[str]:
    """An https receiver on loopback whose certificate no authority signed; its
    address, by name."""
    key, certificate = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(  # noqa: S603
        [  # noqa: S607
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certificate, key)
    # Where the sender will connect: the first address "localhost" resolves to.
    family, *_, (address, *_) = socket.getaddrinfo(
        "localhost", 0, type=socket.SOCK_STREAM
    )[0]
    listener = socket.socket(family)
    listener.bind((address, 0))
    listener.listen(8)

    def serve() -> None:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection, contextlib.suppress(OSError, ssl.SSLError):
            context.wrap_socket(connection, server_side=True)

    threading.Thread(target=serve, daemon=True).start()
    try:
        yield f"https://localhost:{listener.getsockname()[1]}/hook"
    finally:
        listener.close()


def test_a_certificate_no_authority_signed_is_refused(tls_receiver):
    with pytest.raises(outbound.SendFailed) as failed:
        outbound.send("POST", tls_receiver, body=b"{}", allow_private=True)
    assert "CERTIFICATE_VERIFY_FAILED" in str(failed.value)
