"""Programs follow event lists by webhook: every delivery signed, retried with backoff,
logged, and the webhook disabled after repeated failure; only what is published.

Deliveries are sent by the delivery runner, not by the task that finds them: the tests
run it at once (``services.deliver_due``), or as time passes (``deliver_until_settled``).
"""

import datetime
import hashlib
import hmac
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from alerts import services
from alerts.models import Delivery, Notice, Webhook
from markets.models import ModeEvent, Publication
from markets.services import content_set_publication
from tests.alerts.conftest import deliver_until_settled
from tests.alerts.test_subscriptions import new_event, publish
from tests.conftest import token_client

pytestmark = pytest.mark.usefixtures("article_data")


@pytest.fixture
def program(db):
    """A program with its own API token."""
    return token_client(User.objects.create_user("program", password="not-a-real-one"))


def register(program, receiver, query: str = "market=DE") -> dict:
    answer = program.post(
        "/api/webhooks/", {"url": receiver.url, "query": query}, format="json"
    )
    assert answer.status_code == 201, answer.content
    return answer.json()


def expected_signature(secret: str, request: dict) -> str:
    timestamp = request["headers"]["X-Loopwatch-Timestamp"]
    message = f"{timestamp}.".encode() + request["body"]
    return "sha256=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def test_a_published_event_is_posted_signed_with_the_secret_shown_once(
    program, receiver, committed
):
    registered = register(program, receiver)
    assert len(registered["secret"]) == 64
    assert "secret" not in program.get(f"/api/webhooks/{registered['id']}/").json()
    assert receiver.requests == []  # what was published before is not sent

    event = new_event(committed)
    services.deliver_due()
    assert receiver.requests == []  # a draft is not sent
    publish(event, committed)
    services.deliver_due()

    (request,) = receiver.requests
    assert request["headers"]["X-Loopwatch-Signature"] == expected_signature(
        registered["secret"], request
    )
    assert request["headers"]["Content-Type"] == "application/json"
    (body,) = receiver.bodies()
    assert body["change"] == Notice.Change.PUBLISHED
    assert body["event"]["id"] == event.pk
    assert body["event"]["summary_en"] == event.summary_en
    assert body["event"]["evidence"][0]["quote"] == "半闭环模式全面开放"
    assert str(body["delivery"]) == request["headers"]["X-Loopwatch-Delivery"]

    log = program.get(f"/api/webhooks/{registered['id']}/deliveries/").json()
    assert [(d["state"], d["attempts"], d["response_status"]) for d in log] == [
        ("delivered", 1, 204)
    ]


def test_an_event_of_another_list_is_not_posted(program, receiver, committed):
    register(program, receiver, query="market=US")
    publish(new_event(committed), committed)
    services.deliver_due()
    assert receiver.requests == []


def test_a_failed_delivery_is_retried_each_wait_twice_the_last(
    program, receiver, committed
):
    receiver.statuses = [500, 503, 500, 204]
    register(program, receiver)
    publish(new_event(committed), committed)

    waits = deliver_until_settled()

    assert len(receiver.requests) == 4
    assert waits == [30, 60, 120]
    # Every attempt carries the same delivery, signed afresh.
    assert len({r["headers"]["X-Loopwatch-Delivery"] for r in receiver.requests}) == 1
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.DELIVERED
    assert delivery.attempts == 4
    assert delivery.webhook.failures_in_a_row == 0


def test_a_webhook_is_disabled_after_three_deliveries_fail(
    program, receiver, committed
):
    receiver.statuses = [500]
    registered = register(program, receiver)
    for number in range(3):
        publish(new_event(committed, slug=f"failing-{number}"), committed)
    # Each delivery is tried six times, in order, the endpoint resting between.
    assert len(deliver_until_settled()) == 3 * 6 - 1

    webhook = Webhook.objects.get()
    assert webhook.disabled_at is not None
    assert len(receiver.requests) == 3 * 6
    assert set(Delivery.objects.values_list("state", "error")) == {
        (Delivery.State.FAILED, "HTTP 500")
    }
    assert program.get(f"/api/webhooks/{registered['id']}/").json()["active"] is False

    publish(new_event(committed, slug="after"), committed)
    deliver_until_settled()
    assert len(receiver.requests) == 3 * 6


def test_one_delivery_delivered_resets_the_count_of_failures(
    program, receiver, committed
):
    receiver.statuses = [500, 500, 500, 500, 500, 500, 204]
    register(program, receiver)
    publish(new_event(committed, slug="fails"), committed)
    deliver_until_settled()
    assert Webhook.objects.get().failures_in_a_row == 1
    publish(new_event(committed, slug="arrives"), committed)
    deliver_until_settled()
    assert Webhook.objects.get().failures_in_a_row == 0


def test_a_change_written_in_sql_is_delivered_within_the_minute(program, receiver):
    from alerts import tasks

    register(program, receiver)
    event = ModeEvent.objects.public().filter(markets__code="DE").first()
    ModeEvent.objects.filter(pk=event.pk).update(summary_en="Said again.")
    tasks.announce_every_minute()
    services.deliver_due()
    (body,) = receiver.bodies()
    assert body["change"] == Notice.Change.UPDATED
    assert body["event"]["summary_en"] == "Said again."


@override_settings(WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/hook",
        "http://localhost/hook",
        "http://10.0.0.8/hook",
        "http://[::1]/hook",
        "http://169.254.169.254/latest/meta-data/",
    ],
)
def test_an_address_into_a_private_network_is_refused(program, url):
    answer = program.post("/api/webhooks/", {"url": url}, format="json")
    assert answer.status_code == 400
    assert "private network" in answer.json()["url"][0]
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"url": "ftp://example.com/hook"}, "url"),
        ({"url": "not an address"}, "url"),
        ({"url": "https://example.com/hook", "query": "mode=nope"}, "query"),
        ({"url": "https://example.com/hook", "query": "date_after=tomorrow"}, "query"),
    ],
)
def test_bad_input_is_refused_field_by_field(program, data, field):
    answer = program.post("/api/webhooks/", data, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) == {field}
    assert not Webhook.objects.exists()


def test_webhooks_are_their_owners_own(program, api_client, receiver):
    registered = register(program, receiver)
    assert api_client.post(
        "/api/webhooks/", {"url": receiver.url}, format="json"
    ).status_code in (401, 403)
    other = token_client(User.objects.create_user("other", password="not-a-real-one"))
    assert other.get("/api/webhooks/").json() == []
    assert other.get(f"/api/webhooks/{registered['id']}/").status_code == 404
    assert other.delete(f"/api/webhooks/{registered['id']}/").status_code == 404
    assert program.delete(f"/api/webhooks/{registered['id']}/").status_code == 204
    assert not Webhook.objects.exists()


def test_the_deliveries_log_reads_in_a_fixed_number_of_queries(
    program, receiver, committed, django_assert_max_num_queries
):
    registered = register(program, receiver, query="")
    for number in range(5):
        publish(new_event(committed, slug=f"logged-{number}"), committed)
    services.deliver_due()
    with django_assert_max_num_queries(4):
        log = program.get(f"/api/webhooks/{registered['id']}/deliveries/").json()
    assert len(log) == 5


def test_an_event_withdrawn_before_its_retry_is_not_sent_again(
    program, receiver, committed
):
    receiver.statuses = [500, 204]
    register(program, receiver)
    event = new_event(committed)
    publish(event, committed)
    services.deliver_due()
    ModeEvent.objects.filter(pk=event.pk).update(publication=Publication.DRAFT)

    deliver_until_settled()

    assert len(receiver.requests) == 1
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.WITHDRAWN
    assert delivery.webhook.failures_in_a_row == 0


ISSUE_PAYLOADS = [
    "http://127.0.0.1:9101\\@8.8.8.8/",
    "http://localhost:9101\\@8.8.8.8/",
    "localhost:9101\\@8.8.8.8",
    "http://127.0.0.1:9101@8.8.8.8/",
    "http://[::127.0.0.1]/hook",
    "http://[64:ff9b::7f00:1]/hook",
    "http://[2002:7f00:1::]/hook",
    "http://[::ffff:127.0.0.1]/hook",
    "http://[64:ff9b:1::7f00:1]/hook",
    "http://2130706433/hook",
]


@override_settings(WEBHOOKS_ALLOW_PRIVATE_ADDRESSES=False)
@pytest.mark.parametrize("url", ISSUE_PAYLOADS)
def test_webhook_url_with_backslash_userinfo_or_embedded_private_address_is_refused(
    program, url
):
    answer = program.post("/api/webhooks/", {"url": url}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) == {"url"}
    assert not Webhook.objects.exists()


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:9101\\@8.8.8.8/", "http://user@127.0.0.1:9101/"]
)
def test_webhook_url_with_backslash_userinfo_is_refused_where_private_is_allowed(
    program, url
):
    answer = program.post("/api/webhooks/", {"url": url}, format="json")
    assert answer.status_code == 400
    assert set(answer.json()) == {"url"}
    assert not Webhook.objects.exists()


@override_settings(WEBHOOKS_PER_OWNER=5)
def test_a_sixth_webhook_of_one_account_is_refused(program, receiver):
    for _ in range(5):
        register(program, receiver)
    answer = program.post("/api/webhooks/", {"url": receiver.url}, format="json")
    assert answer.status_code == 400
    assert "5" in answer.json()["url"][0]
    assert Webhook.objects.count() == 5
    # Another account has its own five.
    other = token_client(User.objects.create_user("other", password="not-a-real-one"))
    assert register(other, receiver)


def test_a_delivery_left_pending_by_a_killed_runner_is_delivered_by_the_sweep(
    program, receiver, committed
):
    """A runner killed mid-attempt leaves its lease on the endpoint and the delivery
    pending with no attempt logged: once the lease runs out, it is sent."""
    register(program, receiver)
    publish(new_event(committed), committed)
    killed_at = timezone.now()
    assert services.claim_webhook(killed_at) is not None  # then the runner dies
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == (Delivery.State.PENDING, 0)

    assert services.deliver_due(killed_at + datetime.timedelta(seconds=5)) == 0
    assert services.deliver_due(killed_at + services.delivery_lease()) == 1

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (Delivery.State.DELIVERED, 1)
    (body,) = receiver.bodies()
    assert body["delivery"] == delivery.pk


def test_an_endpoint_resting_after_a_failed_attempt_holds_its_other_deliveries(
    program, receiver, committed
):
    receiver.statuses = [500, 204]
    register(program, receiver)
    first, second = (
        new_event(committed, slug="first"),
        new_event(committed, slug="second"),
    )
    publish(first, committed)
    publish(second, committed)
    now = timezone.now()

    assert services.deliver_due(now) == 1  # the first fails; the second waits
    assert services.deliver_due(now + datetime.timedelta(seconds=29)) == 0
    assert services.deliver_due(now + datetime.timedelta(seconds=30)) == 2

    assert [body["event"]["id"] for body in receiver.bodies()] == [
        first.pk,
        first.pk,
        second.pk,
    ]
    assert set(Delivery.objects.values_list("state", flat=True)) == {
        Delivery.State.DELIVERED
    }


def test_an_account_being_delivered_to_leaves_the_runner_to_other_accounts(
    program, receiver, committed
):
    """One endpoint per account at a time: while one of an account's webhooks is
    being sent to, the runner's other threads serve every other account first."""
    for _ in range(5):
        register(program, receiver)
    other = token_client(User.objects.create_user("other", password="not-a-real-one"))
    theirs = register(other, receiver)
    publish(new_event(committed), committed)
    now = timezone.now()

    busy = services.claim_webhook(now)
    assert Webhook.objects.get(pk=busy).owner.username == "program"
    assert services.claim_webhook(now) == theirs["id"]
    assert services.claim_webhook(now) is None  # the first account waits its turn


def test_a_dead_endpoint_is_tried_a_bounded_number_of_times_whatever_its_backlog(
    program, receiver, committed
):
    """Ten events published at once to an endpoint that always fails: it is tried
    six times for the first delivery, six for each of the next two, then disabled,
    and the rest are withdrawn unsent; not ten deliveries retried side by side."""
    receiver.statuses = [500]
    register(program, receiver)
    events = [new_event(committed, slug=f"bulk-{number}") for number in range(10)]
    with committed():
        content_set_publication(
            records=events, state=Publication.PUBLISHED, user=None, reason="bulk"
        )

    deliver_until_settled()

    assert len(receiver.requests) == 3 * 6
    assert Webhook.objects.get().disabled_at is not None
    assert sorted(Delivery.objects.values_list("state", flat=True)) == sorted(
        [Delivery.State.FAILED] * 3 + [Delivery.State.WITHDRAWN] * 7
    )


def test_the_delivery_runner_command_sends_what_is_due(program, receiver, committed):
    register(program, receiver)
    publish(new_event(committed), committed)
    out = io.StringIO()
    call_command("run_deliveries", "--once", stdout=out)
    assert out.getvalue().strip() == "1 attempt(s) made."
    assert Delivery.objects.get().state == Delivery.State.DELIVERED
