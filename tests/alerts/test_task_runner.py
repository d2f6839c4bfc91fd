"""The task runner as `make run` and `make serve` start it (bin/with-tasks): a process
of its own, its queue in a file, its mail through an SMTP server on loopback."""

import os
import secrets
import signal
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage

import pytest

from tests.alerts.conftest import Mailbox, smtp_on_loopback
from tests.processes import ROOT, manage, own_environment, shell


@dataclass
class Deployment:
    environment: dict[str, str]
    mailbox: Mailbox

    def shell(self, code: str) -> str:
        return shell(self.environment, code)

    def mail_to(self, address: str, count: int, seconds: float = 90) -> list:
        """The first ``count`` messages to ``address``, once the runner sent them."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if len(received := self.mailbox.to(address)) >= count:
                return received
            time.sleep(0.2)
        raise AssertionError(f"{count} message(s) to {address} within {seconds} s")


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[Deployment]:
    work = tmp_path_factory.mktemp("tasks")
    with smtp_on_loopback() as mailbox:
        environment = own_environment(
            DJANGO_SETTINGS_MODULE="config.settings.prod",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=f"sqlite:///{work / 'db.sqlite3'}",
            TASKS_FILE=str(work / "tasks.sqlite3"),
            EMAIL_URL=f"smtp://127.0.0.1:{mailbox.port}",
            SITE_URL="https://loopwatch.example",
        )
        manage(environment, "migrate", "--noinput", "-v0")
        manage(environment, "load_articles", "-v0")
        runner = subprocess.Popen(  # noqa: S603
            [str(ROOT / "bin" / "with-tasks"), "sleep", "infinity"],
            cwd=ROOT,
            env=environment,
            start_new_session=True,
        )
        try:
            yield Deployment(environment, mailbox)
        finally:
            os.killpg(runner.pid, signal.SIGTERM)
            runner.wait(timeout=20)


def body(message: EmailMessage) -> str:
    return Mailbox.text(message)


def test_the_runner_sends_the_confirmation_then_each_published_change(deployment):
    # The site's part, as the follow page does it: ask, and queue the confirmation.
    deployment.shell(
        "from alerts import services, tasks\n"
        "asked = services.subscribe(email='reader@example.com', query='market=DE',"
        " frequency='immediate', language='en')\n"
        "tasks.send_confirmation(asked.subscription.pk)\n"
    )
    (confirmation,) = deployment.mail_to("reader@example.com", 1)
    assert "https://loopwatch.example/follow/confirm/" in body(confirmation)

    deployment.shell(
        "from alerts import services\n"
        "from alerts.models import Subscription\n"
        "services.confirm(Subscription.objects.get())\n"
    )
    # An editor's change, in a draft first: nothing is sent until it is published.
    deployment.shell(
        "from markets.models import ModeEvent, Publication\n"
        "from markets.services import content_set_publication\n"
        "event = ModeEvent.objects.public().filter(markets__code='DE').first()\n"
        "(event,) = content_set_publication(records=[event],"
        " state=Publication.DRAFT, user=None, reason='rewording')\n"
        "event.summary_en = 'Reworded while a draft.'\n"
        "event.save()\n"
    )
    time.sleep(3)
    assert len(deployment.mailbox.to("reader@example.com")) == 1
    deployment.shell(
        "from markets.models import ModeEvent, Publication\n"
        "from markets.services import content_set_publication\n"
        "event = ModeEvent.objects.get(summary_en='Reworded while a draft.')\n"
        "content_set_publication(records=[event], state=Publication.PUBLISHED,"
        " user=None, reason='checked')\n"
    )
    _, notice = deployment.mail_to("reader@example.com", 2)
    assert "Reworded while a draft." in notice["Subject"]
    assert "https://loopwatch.example/events/" in body(notice)
    assert (
        notice["List-Unsubscribe"]
        .strip()
        .startswith("<https://loopwatch.example/follow/unsubscribe/")
    )
