"""What followers are told, and how: every write here goes through these functions.

The record's writers know nothing of followers. Notices are found by reading the
published record itself (``announce_published``), after a write commits and once a
minute (alerts.tasks), so a change made by any writer, an SQL statement typed by hand
included, reaches followers once, and only once it is public.
"""

import datetime
import functools
import hashlib
import hmac
import ipaddress
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import QueryDict
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from alerts import throttling
from alerts.models import Delivery, Frequency, Notice, Subscription, Webhook
from config import outbound
from markets.api.readers import event_rows, represent_events
from markets.filtersets import ModeEventFilterSet
from markets.models import ModeEvent, ShownRevision

#: What a representation carries that is no news to a follower: bookkeeping.
NOT_NEWS = ("publication", "version", "created_at", "updated_at")
#: What a quote shows of its check against the archived text: a source archived again
#: moves where its quotes stand, which tells a follower nothing new about the event.
NOT_NEWS_OF_A_QUOTE = ("verification", "selector")

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


# --- What is followed ----------------------------------------------------------------

#: How much of a filter's label or value a page or a mail shows, on one line.
FOLLOWED_VALUE_LENGTH = 80


@functools.cache
def followed_fields() -> dict[str, tuple[list[str], bool]]:
    """Each filter of the event list, with the query keys it reads (``date`` reads
    ``date_after`` and ``date_before``) and whether it takes several values."""
    form = ModeEventFilterSet(queryset=ModeEvent.objects.none()).form
    fields = {}
    for name, field in form.fields.items():
        widget = field.widget
        if hasattr(widget, "suffixes"):  # django-filter's range widgets
            keys = [widget.suffixed(name, suffix) for suffix in widget.suffixes]
        elif isinstance(widget, forms.MultiWidget):
            keys = [f"{name}{suffix}" for suffix in widget.widgets_names]
        else:
            keys = [name]
        fields[name] = (keys, getattr(widget, "allow_multiple_selected", False))
    return fields


def followed_query(data: QueryDict) -> tuple[str, ModeEventFilterSet]:
    """The event list's filters among ``data``, as a canonical query string, with the
    bound FilterSet that validates them.

    Only the keys a filter reads are kept, each with the one value it reads (the
    last, as Django's forms read it) unless it takes several.
    """
    read = {
        key: several for keys, several in followed_fields().values() for key in keys
    }
    kept = QueryDict(mutable=True)
    for key, several in sorted(read.items()):
        values = [value for value in data.getlist(key) if value]
        if values:
            kept.setlist(key, values if several else values[-1:])
    return kept.urlencode(), ModeEventFilterSet(
        kept, queryset=ModeEvent.objects.published()
    )


def matching_events(query: str, event_ids: Iterable[int]) -> set[int]:
    """Those of ``event_ids`` the event list ``query`` shows to the public."""
    _, filterset = followed_query(QueryDict(query))
    if not filterset.is_valid():
        return set()
    return set(filterset.qs.filter(pk__in=list(event_ids)).values_list("pk", flat=True))


def one_line(text: object, limit: int = FOLLOWED_VALUE_LENGTH) -> str:
    """``text`` as one line a page or a plain-text mail can show: no control or
    format character (newlines, bidi overrides), spaces collapsed, at most ``limit``
    characters."""
    kept = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char
        for char in str(text)
    )
    kept = " ".join(kept.split())
    return kept if len(kept) <= limit else f"{kept[: limit - 1]}…"


def offered_choices(field: forms.Field) -> dict[str, str] | None:
    """The values a filter offers, by their case-folded value, with their labels;
    None for a filter that offers no list (a date, a yes or no)."""
    if isinstance(field, forms.NullBooleanField):
        return None
    choices = getattr(field, "choices", None)
    if choices is None and isinstance(field.widget, forms.Select):
        # A free-text filter drawn as a list (a market, a source): the list is what
        # it means, and what may be followed.
        choices = field.widget.choices
    if choices is None:
        return None
    offered = {}
    # Iterated, never len() or bool(): choices read from the database are a lazy
    # iterator over a callable, which has no length.
    for value, label in choices:
        if isinstance(label, list | tuple):  # a group of choices
            offered |= {str(v).casefold(): str(lbl) for v, lbl in label}
        elif value not in ("", None):
            offered[str(value).casefold()] = str(label)
    return offered


@dataclass(frozen=True)
class FollowedFilter:
    name: str
    label: str
    #: What the filter keeps, in words; empty when the value is not one it knows.
    shown: str
    #: Why the value cannot be followed; empty when it can.
    problem: str = ""


def day_of(moment: datetime.date | None) -> str:
    """The day of a range's end, as the reader wrote it: a date range's field cleans
    it to the first or last moment of that day."""
    if isinstance(moment, datetime.datetime):
        moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
        moment = moment.date()
    return moment.isoformat() if moment else ""


def shown_value(field: forms.Field, value: object) -> tuple[str, str]:
    """A filter's cleaned ``value`` in words, or why it is not a value it knows."""
    if isinstance(value, slice):  # a range of dates
        start, stop = (day_of(end) for end in (value.start, value.stop))
        if start and stop:
            return _("%(start)s to %(stop)s") % {"start": start, "stop": stop}, ""
        if start:
            return _("from %(start)s") % {"start": start}, ""
        return _("until %(stop)s") % {"stop": stop}, ""
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No")), ""
    if isinstance(value, datetime.date):
        return value.isoformat(), ""
    items = list(value) if isinstance(value, list | tuple | QuerySet) else [value]
    offered = offered_choices(field)
    if offered is None:
        return ", ".join(str(item) for item in items), ""
    shown = []
    for item in items:
        key = str(getattr(item, "pk", item)).casefold()
        if key not in offered and str(item).casefold() not in offered:
            return "", str(_("Not one of the values this list offers."))
        shown.append(offered.get(key) or offered[str(item).casefold()])
    return ", ".join(shown), ""


def followed_filters(query: str) -> list[FollowedFilter]:
    """Each filter ``query`` sets, in the FilterSet's order: its label, its value in
    words, or the reason it cannot be followed.

    The words are the list's own labels (a choice's, a market's name), a date or a yes
    or no, never text copied from the query: whatever a reader typed in the address
    never reaches a page or a mail.
    """
    _query, filterset = followed_query(QueryDict(query))
    form = filterset.form
    form.is_valid()
    fields = followed_fields()
    found = []
    for name, field in form.fields.items():
        if not any(key in filterset.data for key in fields[name][0]):
            continue
        if name in form.errors:
            shown, problem = "", one_line(" ".join(form.errors[name]), 200)
        else:
            shown, problem = shown_value(field, form.cleaned_data.get(name))
        found.append(
            FollowedFilter(name, one_line(field.label), one_line(shown), problem)
        )
    return found


def followable_query(query: str) -> str:
    """``query`` as it is followed (canonical), or a ValidationError saying which
    filter cannot be followed: an invalid value, or one the list does not offer (a
    market or a source that is not published)."""
    problems = "; ".join(
        f"{followed.label}: {followed.problem}"
        for followed in followed_filters(query)
        if followed.problem
    )
    if problems:
        raise ValidationError(
            _("These filters cannot be followed: %(problems)s"),
            code="invalid_filters",
            params={"problems": problems},
        )
    return followed_query(QueryDict(query))[0]


def describe_query(query: str) -> list[tuple[str, str]]:
    """The followed filters as (label, value) for people, each on one line."""
    return [
        (followed.label, followed.shown or str(_("(not a valid value)")))
        for followed in followed_filters(query)
    ]


# --- Notices ---------------------------------------------------------------------------


def shown_digest(representation: dict[str, Any]) -> str:
    news = {key: value for key, value in representation.items() if key not in NOT_NEWS}
    if "evidence" in news:
        news["evidence"] = [
            {
                key: value
                for key, value in quote.items()
                if key not in NOT_NEWS_OF_A_QUOTE
            }
            for quote in news["evidence"]
        ]
    return hashlib.sha256(orjson.dumps(news, option=orjson.OPT_SORT_KEYS)).hexdigest()


def announce_published() -> list[Notice]:
    """A notice for every published event the public sees anew, or changed, since the
    last notice of it.

    Only events whose shown revision (raised by the database on every write to what
    the event shows) moved since they were last looked at are drawn again; of those,
    only the ones whose public representation differs are news.
    """
    revision = Coalesce(
        Subquery(
            ShownRevision.objects.filter(
                listed=ModeEvent._meta.label_lower, row_id=OuterRef("pk")
            ).values("number")[:1]
        ),
        0,
    )
    last = Notice.objects.filter(event=OuterRef("pk")).order_by("-pk")
    with transaction.atomic():
        candidates = {
            row["pk"]: row
            for row in ModeEvent.objects.published()
            .annotate(
                revision=revision,
                last_notice=Subquery(last.values("pk")[:1]),
                last_revision=Subquery(last.values("revision")[:1]),
                last_shown=Subquery(last.values("shown")[:1]),
            )
            .filter(Q(last_notice__isnull=True) | Q(revision__gt=F("last_revision")))
            .values("pk", "revision", "last_notice", "last_shown")
            .order_by("pk")
        }
        if not candidates:
            return []
        representations = represent_events(
            event_rows(ModeEvent.objects.filter(pk__in=candidates), public=True)
        )
        found, looked_at = [], []
        for representation in sorted(representations, key=lambda r: r["id"]):
            row = candidates[representation["id"]]
            digest = shown_digest(representation)
            if digest == row["last_shown"]:
                looked_at.append((row["last_notice"], row["revision"]))
                continue
            found.append(
                Notice(
                    event_id=row["pk"],
                    revision=row["revision"],
                    change=Notice.Change.UPDATED
                    if row["last_notice"]
                    else Notice.Change.PUBLISHED,
                    shown=digest,
                    event_json=representation,
                )
            )
        for notice_id, number in looked_at:
            Notice.objects.filter(pk=notice_id).update(revision=number)
        return Notice.objects.bulk_create(found)


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


def pending_notices(followers: Sequence[Subscription | Webhook], latest: int) -> dict:
    """For each follower, the notices after its last one up to ``latest`` that its
    list shows, read once for all: {follower pk: [Notice]}."""
    if not followers:
        return {}
    since = min(follower.seen_through for follower in followers)
    notices = list(
        Notice.objects.after(since).filter(pk__lte=latest).select_related("event")
    )
    events = {notice.event_id for notice in notices}
    shown_by_query = {
        query: matching_events(query, events)
        for query in {follower.query for follower in followers}
    }
    return {
        follower.pk: [
            notice
            for notice in notices
            if notice.pk > follower.seen_through
            and notice.event_id in shown_by_query[follower.query]
        ]
        for follower in followers
    }


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


# --- Webhooks --------------------------------------------------------------------------
#
# Deliveries are rows, not tasks: the database is the queue and its only record. The
# delivery runner (alerts.runner, `manage.py run_deliveries`) is a pool of threads of
# its own, apart from the task runner that sends e-mail, so that mail never waits
# behind a slow endpoint. Each thread takes the least recently served webhook that
# is due, has a pending delivery, and whose owner has no other webhook being sent to
# (``claim_webhook``): one endpoint at a time per account, the accounts in turn, so
# one account's hanging endpoints hold one thread and every other account's
# deliveries go on. The webhook is leased, not locked: a runner killed mid-attempt
# leaves a lease that runs out, and its delivery, still pending, is taken up again.


def check_webhook_address(url: str) -> None:
    """Refuse (RefusedDestination, a ValidationError) an address deliveries may not
    go to: the outbound rules (config.outbound), with private networks allowed only
    where the deployment says so (development, tests)."""
    outbound.validate_url(url, allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES)


def register_webhook(*, owner: Any, url: str, query: str) -> Webhook:
    """A webhook following ``query`` from now on: what was published before is not
    sent to it. Refused (ValidationError on ``url``) for an address deliveries may
    not go to, or past WEBHOOKS_PER_OWNER active webhooks of one account."""
    try:
        check_webhook_address(url)
    except ValidationError as error:
        raise ValidationError({"url": error.messages}) from None
    with transaction.atomic():
        # Registrations of one account, one at a time (PostgreSQL; SQLite writes
        # one at a time anyway), so two at once cannot both pass the count.
        type(owner).objects.select_for_update().filter(pk=owner.pk).first()
        if (
            Webhook.objects.active().filter(owner=owner).count()
            >= settings.WEBHOOKS_PER_OWNER
        ):
            raise ValidationError(
                {
                    "url": _(
                        "An account may have %(limit)d active webhooks; delete one "
                        "first."
                    )
                    % {"limit": settings.WEBHOOKS_PER_OWNER}
                },
                code="too_many",
            )
        announce_published()
        return Webhook.objects.create(
            owner=owner, url=url, query=query, seen_through=Notice.objects.latest_id()
        )


def queue_deliveries() -> list[int]:
    """A pending delivery for each notice each active webhook follows and has not
    had; the ids of the deliveries made. The delivery runner sends them."""
    latest = Notice.objects.latest_id()
    with transaction.atomic():
        webhooks = list(
            Webhook.objects.active().select_for_update().filter(seen_through__lt=latest)
        )
        pending = pending_notices(webhooks, latest)
        made = Delivery.objects.bulk_create(
            [
                Delivery(webhook=webhook, notice=notice)
                for webhook in webhooks
                for notice in pending[webhook.pk]
            ]
        )
        Webhook.objects.filter(pk__in=[webhook.pk for webhook in webhooks]).update(
            seen_through=latest
        )
    return [delivery.pk for delivery in made]


def delivery_body(delivery: Delivery) -> bytes:
    """What is POSTed, and signed: ``delivery``, the same on every attempt, is the
    key a receiver drops a repeat by (deliveries are at least once)."""
    notice = delivery.notice
    return orjson.dumps(
        {
            "delivery": delivery.pk,
            "notice": notice.pk,
            "change": notice.change,
            "found_at": notice.found_at,
            "event": notice.event_json,
        }
    )


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 of the timestamp, a dot and the body, under the webhook's secret:
    what the X-Loopwatch-Signature header carries, as ``sha256=<hex>``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"sha256={mac.hexdigest()}"


def delivery_lease() -> datetime.timedelta:
    """How long a runner holds an endpoint: past any attempt's deadline, so a lease
    runs out only when its runner died."""
    return datetime.timedelta(seconds=settings.OUTBOUND_TOTAL_TIMEOUT + 50)


def claim_webhook(now: datetime.datetime | None = None) -> int | None:
    """Lease the next endpoint to send to, and return its id; None when no endpoint
    is due.

    The least recently served of the active webhooks that have a pending delivery,
    are not resting after a failure (``next_attempt_at``), not leased, and whose
    owner has no other webhook leased. The lease is taken by a conditional UPDATE:
    of two runners that pick the same webhook, one gets it.
    """
    now = now or timezone.now()
    free = Q(leased_until__isnull=True) | Q(leased_until__lte=now)
    busy_owners = Webhook.objects.filter(leased_until__gt=now).values("owner")
    candidates = list(
        Webhook.objects.active()
        .filter(free, Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(owner__in=busy_owners)
        .filter(
            Exists(
                Delivery.objects.filter(
                    webhook=OuterRef("pk"), state=Delivery.State.PENDING
                )
            )
        )
        .order_by(F("served_at").asc(nulls_first=True), "pk")
        .values_list("pk", flat=True)[:10]
    )
    for webhook_id in candidates:
        taken = (
            Webhook.objects.filter(free, pk=webhook_id)
            .exclude(owner__in=busy_owners)
            .update(leased_until=now + delivery_lease())
        )
        if taken:
            return webhook_id
    return None


def attempt_next_delivery(
    webhook_id: int, now: datetime.datetime | None = None
) -> Delivery | None:
    """POST the oldest pending delivery of a webhook leased by ``claim_webhook``,
    signed; log the attempt on it, and release the webhook.

    A failed attempt rests the endpoint WEBHOOK_RETRY_DELAY seconds, twice that
    after the next, and so on: none of its deliveries is tried before then. A
    delivery still failing after WEBHOOK_DELIVERY_RETRIES retries has failed, and a
    webhook whose deliveries failed WEBHOOK_FAILURES_BEFORE_DISABLED times in a row
    is disabled, its pending deliveries withdrawn.
    """
    now = now or timezone.now()
    webhook = Webhook.objects.filter(pk=webhook_id).first()
    if webhook is None:  # deleted by its owner meanwhile
        return None
    delivery = (
        webhook.deliveries.filter(state=Delivery.State.PENDING)
        .select_related("notice")
        .order_by("pk")
        .first()
    )
    released = {"leased_until": None, "served_at": now}
    if delivery is None:
        Webhook.objects.filter(pk=webhook_id).update(**released)
        return None
    if not ModeEvent.objects.public().filter(pk=delivery.notice.event_id).exists():
        delivery.state = Delivery.State.WITHDRAWN
        delivery.error = "The event is no longer public."
        delivery.save(update_fields=["state", "error"])
        Webhook.objects.filter(pk=webhook_id).update(**released)
        return delivery
    body = delivery_body(delivery)
    timestamp = str(int(time.time()))
    # Logged before it is sent: a runner killed in the middle leaves the attempt
    # counted, and the delivery pending for the next runner.
    delivery.attempts += 1
    delivery.attempted_at = now
    delivery.save(update_fields=["attempts", "attempted_at"])
    try:
        answer = outbound.send(
            "POST",
            webhook.url,
            body=body,
            headers={
                "Content-Type": "application/json",
                "User-Agent": "Loopwatch-Webhooks/1",
                "X-Loopwatch-Delivery": str(delivery.pk),
                "X-Loopwatch-Timestamp": timestamp,
                "X-Loopwatch-Signature": signature(webhook.secret, timestamp, body),
            },
            allow_private=settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES,
        )
        delivery.response_status = answer.status
        delivery.error = "" if 200 <= answer.status < 300 else f"HTTP {answer.status}"
    except (outbound.SendFailed, ValidationError) as error:
        delivery.response_status = None
        delivery.error = "; ".join(getattr(error, "messages", [str(error)]))[:2000]
    if not delivery.error:
        delivery.state = Delivery.State.DELIVERED
        delivery.delivered_at = timezone.now()
        delivery.save()
        Webhook.objects.filter(pk=webhook_id).update(
            failures_in_a_row=0, next_attempt_at=None, **released
        )
        return delivery
    rest = datetime.timedelta(
        seconds=settings.WEBHOOK_RETRY_DELAY * 2 ** (delivery.attempts - 1)
    )
    if delivery.attempts > settings.WEBHOOK_DELIVERY_RETRIES:
        delivery.state = Delivery.State.FAILED
    delivery.save()
    with transaction.atomic():
        Webhook.objects.filter(pk=webhook_id).update(
            next_attempt_at=now + rest, **released
        )
        if delivery.state == Delivery.State.FAILED:
            webhook_count_failure(webhook_id, now)
    return delivery


def webhook_count_failure(webhook_id: int, now: datetime.datetime) -> None:
    """One more delivery failed in a row; past WEBHOOK_FAILURES_BEFORE_DISABLED the
    webhook is disabled, and what it had pending withdrawn."""
    Webhook.objects.filter(pk=webhook_id).update(
        failures_in_a_row=F("failures_in_a_row") + 1
    )
    disabled = Webhook.objects.filter(
        pk=webhook_id,
        failures_in_a_row__gte=settings.WEBHOOK_FAILURES_BEFORE_DISABLED,
        disabled_at__isnull=True,
    ).update(disabled_at=now)
    if disabled:
        Delivery.objects.filter(
            webhook_id=webhook_id, state=Delivery.State.PENDING
        ).update(state=Delivery.State.WITHDRAWN, error="The webhook was disabled.")


def deliver_due(now: datetime.datetime | None = None) -> int:
    """Attempt, one after another, every delivery due at ``now``, each endpoint once;
    how many attempts were made. What one thread of the runner does, at once: for
    the tests and for `manage.py run_deliveries --once`."""
    attempted = 0
    while (webhook_id := claim_webhook(now)) is not None:
        attempt_next_delivery(webhook_id, now)
        attempted += 1
    return attempted
