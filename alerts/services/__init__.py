"""What followers are told, and how: every write here goes through these functions.

The record's writers know nothing of followers. Notices are found by reading the
published record itself (``announce_published``), after a write commits and once a
minute (alerts.tasks), so a change made by any writer, an SQL statement typed by hand
included, reaches followers once, and only once it is public.

Laid out by job, each module importing those before it:

- ``following``: what a follower follows (a query of the event list's filters) and
  its description in words;
- ``notices``: the notices found in the published record, and those each follower's
  list shows;
- ``subscriptions``: following by e-mail (addresses, signed links, confirmation,
  leaving, the mails);
- ``webhooks``: following by webhook (registration, the delivery queue, the runner's
  leases and attempts).

Every name is importable from ``alerts.services`` itself, as the views, tasks and
runner do.
"""

from alerts.services.following import (
    FOLLOWED_VALUE_LENGTH,
    FollowedFilter,
    day_of,
    describe_query,
    followable_query,
    followed_fields,
    followed_filters,
    followed_query,
    matching_events,
    offered_choices,
    one_line,
    shown_value,
)
from alerts.services.notices import (
    NOT_NEWS,
    NOT_NEWS_OF_A_QUOTE,
    announce_published,
    pending_notices,
    shown_digest,
)
from alerts.services.subscriptions import (
    CONFIRMATION_MAX_AGE,
    CONFIRMATION_RESEND_AFTER,
    CONFIRMATION_SALT,
    RESERVED_TOP_LEVEL_DOMAINS,
    UNSUBSCRIBE_MAX_AGE,
    UNSUBSCRIBE_SALT,
    FollowRequest,
    absolute,
    confirm,
    confirmation_link,
    link_proof,
    masked_address,
    refuse_undeliverable_address,
    send_confirmation,
    send_mail_to,
    signed_link,
    subscribe,
    subscription_of,
    tell_subscribers,
    unsubscribe,
    unsubscribe_link,
)
from alerts.services.webhooks import (
    attempt_next_delivery,
    check_webhook_address,
    claim_webhook,
    deliver_due,
    delivery_body,
    delivery_lease,
    queue_deliveries,
    register_webhook,
    send_delivery,
    signature,
    webhook_count_failure,
)

__all__ = [
    "FOLLOWED_VALUE_LENGTH",
    "followed_fields",
    "followed_query",
    "matching_events",
    "one_line",
    "offered_choices",
    "FollowedFilter",
    "day_of",
    "shown_value",
    "followed_filters",
    "followable_query",
    "describe_query",
    "NOT_NEWS",
    "NOT_NEWS_OF_A_QUOTE",
    "shown_digest",
    "announce_published",
    "pending_notices",
    "CONFIRMATION_SALT",
    "UNSUBSCRIBE_SALT",
    "CONFIRMATION_MAX_AGE",
    "UNSUBSCRIBE_MAX_AGE",
    "CONFIRMATION_RESEND_AFTER",
    "RESERVED_TOP_LEVEL_DOMAINS",
    "refuse_undeliverable_address",
    "masked_address",
    "absolute",
    "link_proof",
    "signed_link",
    "confirmation_link",
    "unsubscribe_link",
    "subscription_of",
    "send_mail_to",
    "FollowRequest",
    "subscribe",
    "send_confirmation",
    "confirm",
    "unsubscribe",
    "tell_subscribers",
    "check_webhook_address",
    "register_webhook",
    "queue_deliveries",
    "delivery_body",
    "signature",
    "delivery_lease",
    "claim_webhook",
    "attempt_next_delivery",
    "send_delivery",
    "webhook_count_failure",
    "deliver_due",
]
