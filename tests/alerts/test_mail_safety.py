"""The follow page cannot be turned against a stranger's inbox or the site's readers:
every filter can be followed and is mailed in the list's own words, on one line;
unasked-for mail is limited per address, per client and in all; links carry no
address and end; only public domains are mailed."""

import base64
import datetime
import re
from unittest import mock

import pytest
from django.core import signing
from django.http import QueryDict
from django.urls import reverse

from alerts import services
from alerts.models import Subscription
from alerts.services.following import FOLLOWED_BY_NAME
from markets.filtersets import ModeEventFilterSet
from markets.models import Source
from tests.alerts.test_subscriptions import links_in

pytestmark = pytest.mark.usefixtures("article_data")

ENGLISH = {"accept-language": "en"}
DAY = 24 * 3600


def post_follow(client, address: str, query: str, remote: str = "127.0.0.1"):
    return client.post(
        "/follow/",
        {"email": address, "frequency": "immediate", "query": query},
        headers=ENGLISH,
        REMOTE_ADDR=remote,
    )


def confirmed(client, mailoutbox, address: str) -> Subscription:
    assert post_follow(client, address, "market=DE").status_code == 302
    (confirm,) = links_in(mailoutbox[-1].body)
    assert client.get(confirm).status_code == 200
    mailoutbox.clear()
    return Subscription.objects.get(email=address)


# --- Every filter can be followed -----------------------------------------------------


def a_value_of(name: str) -> str:
    """A value the event list offers for the filter ``name``, as its query."""
    return {
        "mode": "mode=semi_closed_loop",
        "kind": "kind=launch",
        "status": "status=live",
        "market": "market=DE",
        "region": "region=europe",
        "date": "date_after=2020-01-01&date_before=2026-06-30",
        "source": f"source={Source.objects.published().first().slug}",
        "disputed": "disputed=false",
    }[name]


def test_every_filter_of_the_event_list_has_a_value_to_follow():
    assert set(ModeEventFilterSet.base_filters) == {
        "mode",
        "kind",
        "status",
        "market",
        "region",
        "date",
        "source",
        "disputed",
    }


@pytest.mark.parametrize("name", list(ModeEventFilterSet.base_filters))
def test_following_any_filter_renders_the_page_and_sends_the_mail(
    client, mailoutbox, name
):
    """``/follow/?region=europe`` was a 500 (region's choices, read from the database,
    have no length) and a posted follow of a region never sent its mail."""
    query = a_value_of(name)
    # A market reads by its name, under "Market" (FOLLOWED_BY_NAME).
    label = str(
        FOLLOWED_BY_NAME.get(name, (ModeEventFilterSet.base_filters[name].label,))[0]
    )

    page = client.get(f"/follow/?{query}", headers=ENGLISH)
    assert page.status_code == 200
    assert f"<dt>{label}</dt>" in page.content.decode()

    answer = post_follow(client, f"{name}@example.com", query)
    assert answer.status_code == 302, answer.content
    (message,) = mailoutbox
    (line,) = [
        line for line in message.body.splitlines() if line.startswith(f"  {label}: ")
    ]
    assert "not a valid value" not in line


def test_following_a_region_names_it_in_the_readers_words(client, mailoutbox):
    answer = post_follow(client, "europe@example.com", "region=europe")
    assert answer.status_code == 302
    assert "  Region: Europe\n" in mailoutbox[0].body
    assert services.describe_query("date_after=2020-01-01") == [
        ("Date between", "from 2020-01-01")
    ]
    assert services.describe_query("disputed=true&region=europe") == [
        ("Region", "Europe"),
        ("Disputed", "Yes"),
    ]


# --- Reader-supplied text ---------------------------------------------------------------

EVIL = "\n\nURGENT: your account is locked, sign in at http://evil.example/login"


@pytest.mark.parametrize("name", ["source", "market", "region", "mode"])
def test_a_filter_value_not_offered_is_refused_at_the_form_and_never_mailed(
    client, mailoutbox, name
):
    query = QueryDict(mutable=True)
    query[name] = EVIL
    answer = post_follow(client, "victim@example.com", query.urlencode())
    assert answer.status_code == 200
    assert set(answer.context["form"].errors) == {"query"}
    assert mailoutbox == []
    assert not Subscription.objects.exists()


def test_a_stored_list_with_reader_text_is_mailed_on_one_labelled_line(mailoutbox):
    """A subscription written before the form refused such values: its mail still
    carries none of the text, on a line of its own or as a link."""
    subscription = Subscription.objects.create(
        email="victim@example.com",
        query=f"source={EVIL}&market=DE",
        language="en",
    )
    services.send_confirmation(subscription)
    (message,) = mailoutbox
    assert not any(
        line.lstrip().startswith("URGENT") for line in message.body.splitlines()
    )
    assert "evil.example" not in message.body
    assert "  Source (slug): (not a valid value)\n" in message.body
    assert "  Market: Germany\n" in message.body


def test_one_line_strips_controls_and_caps_length():
    assert services.one_line("a\r\n\tb\u202e\x07c  d") == "a b c d"
    assert len(services.one_line("x" * 500)) == services.FOLLOWED_VALUE_LENGTH


# --- Mail flood -------------------------------------------------------------------------


def test_a_hundred_follows_of_one_address_send_at_most_three_mails(client, mailoutbox):
    """100 follows of one address, each for another list and from another client,
    sent 100 confirmation mails; past the third the answer is 429 and nothing is sent."""
    answers = [
        post_follow(
            client,
            "stranger@example.com",
            f"date_after=2020-01-{day:02d}&date_before=2026-{month:02d}-01",
            remote=f"203.0.113.{number}",
        ).status_code
        for number, (day, month) in enumerate(
            (day, month) for day in range(1, 11) for month in range(1, 11)
        )
    ]
    assert len(mailoutbox) == 3
    assert answers[:3] == [302] * 3
    assert set(answers[3:]) == {429}
    assert Subscription.objects.count() == 3


def test_a_hundred_follows_from_one_client_for_one_address_send_three_mails(
    client, mailoutbox
):
    """The flood as it was found: one client, one address, 100 lists."""
    first = datetime.date(2020, 1, 1)
    answers = [
        post_follow(
            client,
            "stranger@example.com",
            f"date_after={first + datetime.timedelta(days=day)}",
        ).status_code
        for day in range(100)
    ]
    assert len(mailoutbox) == 3
    assert answers[:3] == [302] * 3
    assert set(answers[3:]) == {429}


def test_plus_tags_and_capitals_are_the_same_mailbox(client, mailoutbox):
    for number, address in enumerate(
        ["s@example.com", "S+1@Example.com", "s+2@example.com", "s+3@example.com"]
    ):
        post_follow(client, address, "market=DE", remote=f"203.0.113.{number}")
    assert len(mailoutbox) == 3


def test_one_client_is_told_to_try_later_past_ten_follows(client, mailoutbox):
    answers = [
        post_follow(client, f"reader{number}@example.com", "market=DE")
        for number in range(12)
    ]
    assert [answer.status_code for answer in answers] == [302] * 10 + [429] * 2
    assert len(mailoutbox) == 10
    refused = answers[-1]
    assert int(refused["Retry-After"]) > 0
    assert "Please try again later" in refused.content.decode()
    assert "Nothing was sent" in refused.content.decode()


def test_the_hourly_ceiling_holds_whoever_asks(client, mailoutbox, settings):
    settings.LOOPWATCH_CONFIRMATIONS_PER_HOUR = "5/hour"
    answers = [
        post_follow(
            client, f"reader{n}@example.com", "market=DE", remote=f"203.0.113.{n}"
        ).status_code
        for n in range(8)
    ]
    assert answers == [302] * 5 + [429] * 3
    assert len(mailoutbox) == 5


def test_the_limit_holds_without_a_request(client, mailoutbox):
    """The service counts, not the page: a follow asked from code is held to the same
    limit, and one refused leaves nothing written."""
    from alerts.throttling import MailLimitReached

    confirmed(client, mailoutbox, "reader@example.com")
    for day in (1, 2):
        asked = services.subscribe(
            email="reader@example.com",
            query=f"date_after=2020-01-0{day}",
            frequency="daily",
            language="en",
        )
        assert asked.confirmation_due
    with pytest.raises(MailLimitReached):
        services.subscribe(
            email="reader@example.com",
            query="date_after=2020-01-03",
            frequency="daily",
            language="en",
        )
    assert Subscription.objects.count() == 3


# --- Links and addresses ----------------------------------------------------------------


def payload_of(link: str) -> str:
    token = link.rstrip("/").rsplit("/", 1)[1]
    encoded = token.split(":")[0].lstrip(".")
    return base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode(
        "latin-1"
    )


def test_links_carry_no_address(client, mailoutbox):
    post_follow(client, "private.reader@example.com", "market=DE")
    (message,) = mailoutbox
    for link in [*links_in(message.body), message.extra_headers["List-Unsubscribe"]]:
        assert "private" not in payload_of(link.strip("<>"))
        assert "example" not in payload_of(link.strip("<>"))


def test_an_unsubscribe_link_holds_ninety_days_then_ends(client, mailoutbox):
    subscription = confirmed(client, mailoutbox, "reader@example.com")
    link = services.unsubscribe_link(subscription).removeprefix("http://testserver")
    now = signing.time.time()
    with mock.patch("django.core.signing.time.time", return_value=now + 91 * DAY):
        assert client.get(link).status_code == 404
        assert client.post(link).status_code == 404
    subscription.refresh_from_db()
    assert subscription.is_active
    with mock.patch("django.core.signing.time.time", return_value=now + 89 * DAY):
        answer = client.post(link, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    subscription.refresh_from_db()
    assert not subscription.is_active
    # The page shows the address masked: the link travels in headers.
    assert "reader@example.com" not in answer.content.decode()
    assert "r…r@example.com" in answer.content.decode()


def test_a_link_mailed_with_the_address_inside_still_unsubscribes_until_it_expires(
    client, mailoutbox
):
    subscription = confirmed(client, mailoutbox, "reader@example.com")
    old = signing.dumps(
        [subscription.pk, subscription.email],
        salt=services.UNSUBSCRIBE_SALT,
        compress=True,
    )
    link = reverse("alerts:unsubscribe", args=[old])
    assert client.get(link).status_code == 200
    subscription.refresh_from_db()
    assert not subscription.is_active
    # Another subscription's number with this address's proof leads nowhere.
    forged = signing.dumps([subscription.pk + 1, "x"], salt=services.UNSUBSCRIBE_SALT)
    assert client.get(reverse("alerts:unsubscribe", args=[forged])).status_code == 404


@pytest.mark.parametrize(
    "address",
    [
        "a@localhost",
        "a@[127.0.0.1]",
        "a@[IPv6:::1]",
        "a@[8.8.8.8]",
        "a@intranet",
        "a@mail.localhost",
        "a@printer.local",
        "a@site.test",
        "a@www.example",
        "a@nowhere.invalid",
        "a@db.internal",
        "a@nas.lan",
        "a@router.home.arpa",
    ],
)
def test_an_undeliverable_address_is_refused_at_the_form(client, mailoutbox, address):
    answer = post_follow(client, address, "market=DE")
    assert answer.status_code == 200
    assert set(answer.context["form"].errors) == {"email"}
    assert mailoutbox == []
    assert not Subscription.objects.exists()


def test_an_address_at_a_public_domain_is_mailed(client, mailoutbox):
    assert (
        post_follow(client, "reader@mail.example.org", "market=DE").status_code == 302
    )
    assert len(mailoutbox) == 1


def test_the_link_holder_cannot_read_the_address_on_the_confirmed_page(
    client, mailoutbox
):
    post_follow(client, "reader@example.com", "market=DE")
    (confirm,) = links_in(mailoutbox[0].body)
    page = client.get(confirm, headers=ENGLISH).content.decode()
    assert "reader@example.com" not in page
    assert re.search(r"r…r@example\.com will be told", page)
