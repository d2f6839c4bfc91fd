"""Readers follow event lists by e-mail: double opt-in, immediate or daily, in their
language, through a real SMTP server on loopback; only what is published is sent."""

import re
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse

from alerts import services, tasks
from alerts.models import Frequency, Notice, Subscription
from markets.models import Market, ModeEvent, Publication
from markets.services import content_set_publication
from tests.factories import EventEvidenceFactory, ModeEventFactory

pytestmark = pytest.mark.usefixtures("article_data")

LINK = re.compile(r"http://testserver(/follow/[a-z]+/[^/\s]+/)")


def links_in(text: str) -> list[str]:
    return LINK.findall(text)


def follow(
    client,
    mailbox,
    address: str,
    query: str = "market=DE",
    frequency: str = Frequency.IMMEDIATE,
    language: str = "zh-hans",
) -> str:
    """Ask to follow ``query`` as a reader would; the confirmation link mailed."""
    headers = {"accept-language": language}
    page = client.get(f"/follow/?{query}", headers=headers)
    assert page.status_code == 200
    answer = client.post(
        "/follow/",
        {"email": address, "frequency": frequency, "query": query},
        headers=headers,
    )
    assert answer.status_code == 302, answer.content
    (message,) = mailbox.to(address)
    (confirm,) = links_in(mailbox.text(message))
    return confirm


def confirmed(client, mailbox, address: str, **kwargs) -> Subscription:
    confirm = follow(client, mailbox, address, **kwargs)
    assert client.get(confirm).status_code == 200
    mailbox.messages.clear()
    return Subscription.objects.get(email=address)


def new_event(committed, market_code: str = "DE", **fields) -> ModeEvent:
    """An event of a market, with a quote, as an analyst enters it: a draft, committed."""
    with committed():
        event = ModeEventFactory(
            **{
                "publication": Publication.DRAFT,
                "summary_en": "The semi-closed loop opens to every seller.",
                "summary_zh": "半闭环向所有商家开放。",
                **fields,
            }
        )
        event.markets.set([Market.objects.get(code=market_code)])
        EventEvidenceFactory(fact=event, quote="半闭环模式全面开放")
    return event


def publish(event: ModeEvent, committed) -> None:
    with committed():
        content_set_publication(
            records=[event], state=Publication.PUBLISHED, user=None, reason="checked"
        )


def test_the_follow_page_says_what_is_followed(client):
    page = client.get(
        "/follow/?market=DE&mode=semi_closed_loop&page=3",
        headers={"accept-language": "en"},
    )
    text = page.content.decode()
    assert "<dt>Market</dt><dd>Germany</dd>" in text
    assert "Semi-closed loop" in text
    # Only the list's filters are followed, not its page.
    assert 'value="market=DE&amp;mode=semi_closed_loop"' in text
    assert "private" in page["Cache-Control"]


@pytest.mark.parametrize(
    ("language", "followed"),
    [
        ("zh-hans", "<dt>市场</dt><dd>日本</dd>"),
        ("en", "<dt>Market</dt><dd>Japan</dd>"),
    ],
)
def test_a_followed_market_reads_by_its_name_in_the_readers_language(
    client, language, followed
):
    """Not "市场（ISO 代码） JP": the code is the API's parameter, not a reader's word."""
    page = client.get("/follow/?market=jp", headers={"accept-language": language})
    assert followed in page.content.decode()


def test_a_market_page_offers_to_follow_that_market(client):
    page = client.get("/markets/JP/", headers={"accept-language": "zh-hans"})
    assert 'href="/follow/?market=JP"' in page.content.decode()
    follow_page = client.get(
        "/follow/?market=JP", headers={"accept-language": "zh-hans"}
    )
    assert "<dd>日本</dd>" in follow_page.content.decode()


def test_the_footers_follow_page_lets_a_reader_pick_one_market(client):
    """The footer's link follows every event; the page offers to narrow it to one
    market, keeping the other filters."""
    page = client.get("/follow/?mode=closed_loop", headers={"accept-language": "en"})
    text = page.content.decode()
    picker = re.search(
        r'<form class="follow-market" method="get".*?</form>', text, re.S
    )
    assert picker, text
    assert '<input type="hidden" name="mode" value="closed_loop">' in picker.group()
    assert '<option value="JP">JP · Japan</option>' in picker.group()


@pytest.mark.parametrize(
    ("language", "leave"), [("zh-hans", "一键退订链接"), ("en", "link to unsubscribe")]
)
def test_after_asking_and_confirming_the_page_leads_back_and_says_how_to_leave(
    client, smtp_server, language, leave
):
    headers = {"accept-language": language}
    asked = client.post(
        "/follow/",
        {"email": "back@example.com", "frequency": "daily", "query": "market=JP"},
        headers=headers,
        follow=True,
    )
    (confirm,) = links_in(smtp_server.text(smtp_server.to("back@example.com")[0]))
    confirmed = client.get(confirm, headers=headers)
    for page in (asked, confirmed):
        text = page.content.decode()
        assert 'href="/markets/JP/"' in text
        assert 'href="/events/?market=JP"' in text
        assert leave in text
        assert "<dd>日本</dd>" in text or "<dd>Japan</dd>" in text


def test_asking_sends_a_confirmation_and_nothing_else_until_it_is_opened(
    client, smtp_server, committed
):
    confirm = follow(client, smtp_server, "Reader@Example.com", language="en")
    subscription = Subscription.objects.get()
    assert subscription.email == "reader@example.com"
    assert subscription.confirmed_at is None

    publish(
        new_event(committed),
        committed,
    )
    assert len(smtp_server.messages) == 1  # the confirmation only

    page = client.get(confirm)
    assert page.status_code == 200
    subscription.refresh_from_db()
    assert subscription.is_active
    # What was published before it confirmed is no news to it.
    assert subscription.seen_through == Notice.objects.latest_id()


def test_the_confirmation_is_in_the_readers_language(client, smtp_server):
    follow(client, smtp_server, "zh@example.com", language="zh-hans")
    follow(client, smtp_server, "en@example.com", language="en")
    (chinese,) = smtp_server.to("zh@example.com")
    (english,) = smtp_server.to("en@example.com")
    assert "确认" in chinese["Subject"]
    assert "confirm" in english["Subject"]
    assert "市场" in smtp_server.text(chinese)
    assert "Market: Germany" in smtp_server.text(english)


def test_asking_twice_sends_one_confirmation_and_says_the_same(client, smtp_server):
    follow(client, smtp_server, "twice@example.com")
    again = client.post(
        "/follow/",
        {"email": "twice@example.com", "frequency": "daily", "query": "market=DE"},
    )
    assert again.url == f"{reverse('alerts:asked')}?market=DE"
    assert len(smtp_server.to("twice@example.com")) == 1
    assert Subscription.objects.get().frequency == Frequency.DAILY


def test_a_published_change_is_mailed_at_once_in_the_readers_language(
    client, smtp_server, committed
):
    confirmed(client, smtp_server, "en@example.com", language="en")
    confirmed(client, smtp_server, "zh@example.com", language="zh-hans")
    confirmed(client, smtp_server, "us@example.com", query="market=US")
    event = new_event(committed)

    publish(event, committed)

    (english,) = smtp_server.to("en@example.com")
    assert "The semi-closed loop opens to every seller." in english["Subject"]
    body = smtp_server.text(english)
    assert "New: The semi-closed loop opens to every seller." in body
    assert "“半闭环模式全面开放”" in body
    assert f"http://testserver{event.get_absolute_url()}" in body
    (chinese,) = smtp_server.to("zh@example.com")
    assert "半闭环向所有商家开放。" in chinese["Subject"]
    assert smtp_server.to("us@example.com") == []

    # A change of what the public sees of it is news again; a save that changes
    # nothing shown is not.
    with committed():
        event.summary_en = "The semi-closed loop opens to all sellers."
        event.save()
    with committed():
        event.save()
    english_messages = smtp_server.to("en@example.com")
    assert len(english_messages) == 2
    assert "Changed: The semi-closed loop opens to all sellers." in smtp_server.text(
        english_messages[1]
    )


def test_drafts_are_never_sent(client, smtp_server, committed):
    confirmed(client, smtp_server, "reader@example.com")
    event = new_event(committed)
    with committed():
        event.summary_en = "Still a draft."
        event.save()
    tasks.announce_every_minute()
    assert smtp_server.messages == []
    assert not Notice.objects.filter(event=event).exists()

    # Published, then back to draft before anyone looked: still nothing.
    ModeEvent.objects.filter(pk=event.pk).update(publication=Publication.PUBLISHED)
    ModeEvent.objects.filter(pk=event.pk).update(publication=Publication.DRAFT)
    tasks.announce_every_minute()
    assert smtp_server.messages == []


def test_a_change_written_in_sql_reaches_followers_within_the_minute(
    client, smtp_server
):
    subscription = confirmed(client, smtp_server, "reader@example.com")
    event = ModeEvent.objects.public().filter(markets__code="DE").first()
    # No save(), no signal: the database's own revision of the row tells.
    ModeEvent.objects.filter(pk=event.pk).update(summary_zh="新的摘要")

    tasks.announce_every_minute()

    (message,) = smtp_server.to(subscription.email)
    assert "新的摘要" in smtp_server.text(message)
    tasks.announce_every_minute()
    assert len(smtp_server.to(subscription.email)) == 1


def test_a_market_renamed_is_no_news_of_its_events(client, smtp_server):
    confirmed(client, smtp_server, "reader@example.com")
    Market.objects.filter(code="DE").update(name_en="Germany (Federal Republic)")
    assert services.announce_published() == []


def test_the_daily_digest_gathers_the_days_changes(client, smtp_server, committed):
    subscription = confirmed(
        client, smtp_server, "daily@example.com", frequency=Frequency.DAILY
    )
    assert subscription.frequency == Frequency.DAILY
    first, second = (
        new_event(committed),
        new_event(committed, slug="second", summary_en="Another one."),
    )
    publish(first, committed)
    publish(second, committed)
    assert smtp_server.to(subscription.email) == []

    tasks.send_daily_digests()

    (digest,) = smtp_server.to(subscription.email)
    body = smtp_server.text(digest)
    assert "2" in digest["Subject"]
    assert first.summary_zh in body and "Another one." not in body
    assert body.count("http://testserver/events/") == 2
    tasks.send_daily_digests()
    assert len(smtp_server.to(subscription.email)) == 1


def test_one_click_unsubscribes_by_link_and_by_the_mail_clients_post(
    client, smtp_server, committed
):
    subscription = confirmed(client, smtp_server, "reader@example.com")
    publish(
        new_event(committed),
        committed,
    )
    (message,) = smtp_server.to(subscription.email)
    (unsubscribe,) = links_in(smtp_server.text(message))
    assert message["List-Unsubscribe"].strip() == f"<http://testserver{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page = client.get(unsubscribe)
    assert page.status_code == 200
    subscription.refresh_from_db()
    assert not subscription.is_active
    publish(
        new_event(committed, slug="later"),
        committed,
    )
    assert len(smtp_server.to(subscription.email)) == 1

    # RFC 8058: the mail client POSTs, with no CSRF token, and so unsubscribes too.
    Subscription.objects.filter(pk=subscription.pk).update(unsubscribed_at=None)
    csrf_checking = client.__class__(enforce_csrf_checks=True)
    answer = csrf_checking.post(unsubscribe, {"List-Unsubscribe": "One-Click"})
    assert answer.status_code == 200
    subscription.refresh_from_db()
    assert not subscription.is_active


def test_a_link_altered_or_expired_does_nothing(client, smtp_server):
    confirm = follow(client, smtp_server, "reader@example.com")
    assert client.get(confirm.replace("/confirm/", "/unsubscribe/")).status_code == 404
    assert client.get(confirm[:-3] + "xx/").status_code == 404
    week_and_a_day = signing.time.time() + 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=week_and_a_day):
        assert client.get(confirm).status_code == 404
    assert Subscription.objects.get().confirmed_at is None


def test_bad_input_is_refused_field_by_field(client, smtp_server):
    answer = client.post(
        "/follow/",
        {"email": "not an address", "frequency": "hourly", "query": "mode=nope"},
        headers={"accept-language": "en"},
    )
    assert answer.status_code == 200
    errors = answer.context["form"].errors
    assert set(errors) == {"email", "frequency", "query"}
    assert "Mode" in errors["query"][0]
    assert Subscription.objects.count() == 0
    assert smtp_server.messages == []


def test_telling_many_subscribers_reads_each_notice_once(
    client, smtp_server, django_assert_max_num_queries, committed
):
    event = new_event(committed)
    for number in range(12):
        Subscription.objects.create(
            email=f"reader{number}@example.com",
            query="market=DE" if number % 2 else "mode=semi_closed_loop",
            language="en",
            confirmed_at="2026-01-01T00:00Z",
            seen_through=Notice.objects.latest_id(),
        )
    ModeEvent.objects.filter(pk=event.pk).update(publication=Publication.PUBLISHED)
    services.announce_published()
    # The notices, the two lists' matches and words, the events, and one update per
    # message.
    with django_assert_max_num_queries(10 + 12):
        assert services.tell_subscribers(Frequency.IMMEDIATE) == 12
    assert len(smtp_server.messages) == 12


def test_the_page_after_confirming_lets_the_reader_leave_at_once(client, smtp_server):
    confirm = follow(client, smtp_server, "oops@example.com")
    page = client.get(confirm, headers={"accept-language": "en"}).content.decode()
    subscription = Subscription.objects.get(email="oops@example.com")
    leave = re.search(r'<form class="leave" method="post" action="([^"]+)">', page)
    assert leave and "Stop following these events" in page
    # A form without a CSRF token: the signed link is the proof, as in every e-mail.
    assert client.post(leave[1]).status_code == 200
    subscription.refresh_from_db()
    assert not subscription.is_active
