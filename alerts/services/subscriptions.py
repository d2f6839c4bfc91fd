"""Following by e-mail: addresses refused before any mail, signed links to confirm
and to leave, the subscription's life, and the mails that tell of notices."""

import datetime
import hmac
import ipaddress
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from alerts import throttling
from alerts.models import Frequency, Notice, Subscription
from alerts.services.following import describe_query, followable_query
from alerts.services.notices import announce_published, pending_notices
from markets.models import ModeEvent

CONFIRMATION_SALT = "alerts.subscription.confirm"
UNSUBSCRIBE_SALT = "alerts.subscription.unsubscribe"
#: How long a confirmation link holds.
CONFIRMATION_MAX_AGE = datetime.timedelta(days=7)
#: How long an unsubscribe link holds: every mail carries a new one, so a reader can
#: always leave from the last mails received, while a link seen once does not stay a
#: key to the address for ever.
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=90)
#: A second request to follow the same list waits this long for another e-mail.
CONFIRMATION_RESEND_AFTER = datetime.timedelta(minutes=10)


# --- E-mail --------------------------------------------------------------------------

#: Top-level domains no mail can be delivered to (RFC 2606, RFC 6761, RFC 6762, RFC
#: 8375 and the names networks use inside: .internal, .lan).
RESERVED_TOP_LEVEL_DOMAINS = frozenset(
    {"localhost", "local", "test", "example", "invalid", "internal", "lan", "arpa"}
)


def refuse_undeliverable_address(address: str) -> None:
    """Only an address at a public domain name is mailed: never a machine of the
    site's own network (``a@localhost``, ``a@[127.0.0.1]``, any address literal), a
    single-label name or a reserved domain (``.test``, ``.local``, ``home.arpa``)."""
    domain = address.rpartition("@")[2].strip().rstrip(".").lower()
    labels = domain.split(".")
    try:
        ipaddress.ip_address(domain.strip("[]").removeprefix("ipv6:"))
        literal = True
    except ValueError:
        literal = domain.startswith("[")
    if literal or len(labels) < 2 or labels[-1] in RESERVED_TOP_LEVEL_DOMAINS:
        raise ValidationError(
            _("Mail cannot be delivered there: give an address at a public domain."),
            code="undeliverable",
        )


def masked_address(address: str) -> str:
    """Enough of an address for its reader to know it: ``r…r@example.com``."""
    local, _at, domain = address.rpartition("@")
    shown = f"{local[:1]}…" if len(local) <= 2 else f"{local[0]}…{local[-1]}"
    return f"{shown}@{domain}"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def link_proof(subscription: Subscription) -> str:
    """What a link carries of its subscription besides the number: a digest keyed
    with the site's secret, which tells nothing of the address and matches no other
    subscription."""
    return salted_hmac(
        "alerts.subscription.link", f"{subscription.pk}:{subscription.email}"
    ).hexdigest()[:32]


def signed_link(subscription: Subscription, view: str, salt: str) -> str:
    """A link to ``view`` for this subscription, signed and timed now."""
    token = signing.dumps([subscription.pk, link_proof(subscription)], salt=salt)
    return absolute(reverse(view, args=[token]))


def confirmation_link(subscription: Subscription) -> str:
    return signed_link(subscription, "alerts:confirm", CONFIRMATION_SALT)


def unsubscribe_link(subscription: Subscription) -> str:
    return signed_link(subscription, "alerts:unsubscribe", UNSUBSCRIBE_SALT)


def subscription_of(
    token: str, *, salt: str, max_age: datetime.timedelta
) -> Subscription | None:
    """The subscription a signed link names, or None for a link forged, altered,
    expired or of a subscription since deleted."""
    try:
        pk, proof = signing.loads(token, salt=salt, max_age=max_age)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(pk, int) or not isinstance(proof, str):
        return None
    subscription = Subscription.objects.filter(pk=pk).first()
    if subscription is None:
        return None
    # Links mailed before links carried a digest carry the address itself; they
    # expire as any other (max_age), and none is made any more.
    if hmac.compare_digest(proof, link_proof(subscription)) or (
        "@" in proof and proof == subscription.email
    ):
        return subscription
    return None


def send_mail_to(
    subscription: Subscription,
    template: str,
    context: dict[str, Any],
    *,
    described: dict[tuple[str, str], list[tuple[str, str]]] | None = None,
) -> None:
    """The message ``template`` (its _subject.txt and .txt) in the subscriber's
    language, with the one-click unsubscribe headers of RFC 8058, and a new
    unsubscribe link. ``described`` keeps the lists' descriptions by query and
    language, for a batch of messages."""
    unsubscribe = unsubscribe_link(subscription)
    described = {} if described is None else described
    with translation.override(subscription.language):
        key = (subscription.query, subscription.language)
        if key not in described:
            described[key] = describe_query(subscription.query)
        context = {
            **context,
            "subscription": subscription,
            "unsubscribe_link": unsubscribe,
            "site_url": settings.SITE_URL.rstrip("/"),
            "followed": described[key],
        }
        subject = " ".join(
            render_to_string(f"alerts/email/{template}_subject.txt", context).split()
        )
        body = render_to_string(f"alerts/email/{template}.txt", context)
    message = EmailMultiAlternatives(
        subject,
        body,
        to=[subscription.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Content-Language": subscription.language,
        },
    )
    message.send()


@dataclass(frozen=True)
class FollowRequest:
    subscription: Subscription
    #: False when a confirmation was sent moments ago, and none is sent again.
    confirmation_due: bool


def subscribe(
    *, email: str, query: str, frequency: str, language: str
) -> FollowRequest:
    """Ask to follow ``query``: a subscription waiting for its address's confirmation.

    Asking again, confirmed or not, changes how often and in which language; a
    subscription someone left waits for a new confirmation. A confirmation due past
    the limits of alerts.throttling raises MailLimitReached, and nothing is written:
    whoever asks, an address that did not confirm is mailed a few times a day at most.
    """
    email = email.strip().lower()
    refuse_undeliverable_address(email)
    query = followable_query(query)
    now = timezone.now()
    with transaction.atomic():
        subscription, created = Subscription.objects.select_for_update().get_or_create(
            email=email,
            query=query,
            defaults={"frequency": frequency, "language": language},
        )
        subscription.frequency = frequency
        subscription.language = language
        if subscription.unsubscribed_at:
            subscription.confirmed_at = None
            subscription.unsubscribed_at = None
        due = subscription.confirmed_at is None and (
            subscription.confirmation_sent_at is None
            or now - subscription.confirmation_sent_at >= CONFIRMATION_RESEND_AFTER
        )
        if due:
            throttling.ConfirmationsPerAddress(email).count_one()
            throttling.ConfirmationsInAll().count_one()
            subscription.confirmation_sent_at = now
        subscription.save()
    return FollowRequest(subscription, due)


def send_confirmation(subscription: Subscription) -> None:
    send_mail_to(
        subscription,
        "confirm",
        {
            "confirmation_link": confirmation_link(subscription),
            "valid_days": CONFIRMATION_MAX_AGE.days,
        },
    )


def confirm(subscription: Subscription) -> Subscription:
    """The address is the reader's: from now on, it is told of every new notice."""
    with transaction.atomic():
        subscription = Subscription.objects.select_for_update().get(pk=subscription.pk)
        if subscription.unsubscribed_at is None and subscription.confirmed_at:
            return subscription
        # What was published before is no news to it: find it all first.
        announce_published()
        subscription.confirmed_at = timezone.now()
        subscription.unsubscribed_at = None
        subscription.seen_through = Notice.objects.latest_id()
        subscription.save(
            update_fields=["confirmed_at", "unsubscribed_at", "seen_through"]
        )
    return subscription


def unsubscribe(subscription: Subscription) -> Subscription:
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def tell_subscribers(frequency: str) -> int:
    """E-mail each active subscription of ``frequency`` the notices it has not been
    told of; returns how many messages were sent."""
    latest = Notice.objects.latest_id()
    subscriptions = list(
        Subscription.objects.active().filter(
            frequency=frequency, seen_through__lt=latest
        )
    )
    pending = pending_notices(subscriptions, latest)
    shown = {
        event.pk: event
        for event in ModeEvent.objects.public().filter(
            pk__in={n.event_id for notices in pending.values() for n in notices}
        )
    }
    told, passed_over, described = [], [], {}
    for subscription in subscriptions:
        notices = [n for n in pending[subscription.pk] if n.event_id in shown]
        if not notices:
            passed_over.append(subscription.pk)
            continue
        send_mail_to(
            subscription,
            "digest" if frequency == Frequency.DAILY else "notices",
            {"notices": [(notice, shown[notice.event_id]) for notice in notices]},
            described=described,
        )
        # Marked at once: should a later message fail, this one is not sent again.
        Subscription.objects.filter(pk=subscription.pk).update(seen_through=latest)
        told.append(subscription.pk)
    Subscription.objects.filter(pk__in=passed_over).update(seen_through=latest)
    return len(told)
