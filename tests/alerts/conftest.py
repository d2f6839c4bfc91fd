"""A real SMTP server and a real webhook receiver on loopback, for the followers' tests."""

import datetime
import email
import email.policy
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection
from django.db.models import Min
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from alerts import services
from alerts.models import Delivery, Webhook


@dataclass
class Mailbox:
    """What the loopback SMTP server received, as parsed messages."""

    messages: list[EmailMessage] = field(default_factory=list)
    port: int = 0

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        message = email.message_from_bytes(
            envelope.content, policy=email.policy.default
        )
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [
            m for m in self.messages if address.lower() in m["X-Envelope-To"].lower()
        ]

    @staticmethod
    def text(message: EmailMessage) -> str:
        return message.get_body(preferencelist=("plain",)).get_content()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_on_loopback() -> Iterator[Mailbox]:
    """An SMTP server on a free loopback port, for as long as the block runs."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    mailbox.port = controller.port
    try:
        yield mailbox
    finally:
        controller.stop()


@pytest.fixture
def smtp_server(settings) -> Iterator[Mailbox]:
    """Mail goes out through SMTP to a server on loopback, as in production."""
    with smtp_on_loopback() as mailbox:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = mailbox.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        yield mailbox


@dataclass
class Receiver:
    """A webhook's receiving end: answers with ``statuses`` in turn (the last one
    after), and keeps every request."""

    url: str = ""
    statuses: list[int] = field(default_factory=lambda: [204])
    requests: list[dict] = field(default_factory=list)

    def answer(self) -> int:
        return self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]

    def bodies(self) -> list[dict]:
        return [json.loads(request["body"]) for request in self.requests]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    received = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.requests.append({"headers": dict(self.headers), "body": body})
            self.send_response(received.answer())
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    received.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield received
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class HangingEndpoint:
    """A webhook's address whose server takes every connection and never answers;
    the connections it holds."""

    url: str = ""
    held: list[socket.socket] = field(default_factory=list)


@contextmanager
def hanging_endpoint() -> Iterator[HangingEndpoint]:
    """A hanging endpoint on loopback, for as long as the block runs."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    endpoint = HangingEndpoint(f"http://127.0.0.1:{listener.getsockname()[1]}/hook")

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            endpoint.held.append(connection)

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield endpoint
    finally:
        listener.close()
        for connection in endpoint.held:
            connection.close()


def deliver_until_settled(since: datetime.datetime | None = None) -> list[int]:
    """Run the delivery runner as time passes, each time an endpoint is next due,
    until no active webhook has a delivery pending; the waits, in seconds, between
    one round of attempts and the next."""
    now, waits = since or timezone.now(), []
    services.deliver_due(now)
    while (
        due := Webhook.objects.active()
        .filter(deliveries__state=Delivery.State.PENDING)
        .aggregate(due=Min("next_attempt_at"))["due"]
    ):
        assert due > now, "a due delivery was left behind"
        waits.append(round((due - now).total_seconds()))
        now = due
        services.deliver_due(now)
    return waits


@pytest.fixture(autouse=True)
def empty_task_queue() -> Iterator[None]:
    """Tasks run at once in tests (config.settings.test); retries wait in the
    schedule until a test runs them."""
    assert settings.HUEY["immediate"]
    HUEY.flush()
    yield
    HUEY.flush()


def run_scheduled(since: datetime.datetime) -> list[int]:
    """Run every task waiting in the schedule as soon as it is due, as the runner
    would; the waits, in seconds, each from the attempt before (the first from
    ``since``, a time of the task runner's clock)."""
    waits, ran_at = [], since
    while due := HUEY.read_schedule(datetime.datetime.max):
        for task in due:
            waits.append(round((task.eta - ran_at).total_seconds()))
            # Huey times a retry from the clock when the attempt fails.
            ran_at = HUEY._get_timestamp()
            HUEY.execute(task, timestamp=task.eta)
    return waits


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks,
) -> Callable[[], AbstractContextManager[None]]:
    """A block whose writes count as committed: what they left for after the commit
    runs, and is then forgotten, as a real commit forgets it (the test's own
    transaction never commits)."""

    @contextmanager
    def block() -> Iterator[None]:
        start = len(connection.run_on_commit)
        with django_capture_on_commit_callbacks(execute=True):
            yield
        del connection.run_on_commit[start:]

    return block
