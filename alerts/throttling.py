"""How often the site may be made to mail an address that has not confirmed it wants mail.

Counted as the API's throttles count (markets.api.throttling: DRF's rate throttle, in
the cache every process shares), per client address, per recipient and in all. The
rates are settings (LOOPWATCH_FOLLOW_REQUESTS_PER_CLIENT, LOOPWATCH_CONFIRMATIONS_PER_ADDRESS,
LOOPWATCH_CONFIRMATIONS_PER_HOUR), written as DRF writes them: "3/day".
"""

import hashlib
import math

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from markets.api.throttling import SharedCounts


class MailLimitReached(Exception):
    """Nothing is sent: a limit on unasked-for mail is reached for now."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"try again in {retry_after} s")
        self.retry_after = retry_after


class MailLimit(SharedCounts, SimpleRateThrottle):
    """One rate, counted for one ``ident`` (a client, a recipient, or everyone)."""

    #: The setting holding the rate.
    setting = ""

    def __init__(self, ident: str) -> None:
        self.ident = ident
        super().__init__()

    def get_rate(self) -> str:
        return getattr(settings, self.setting)

    def get_cache_key(self, request: object, view: object) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.ident}

    def count_one(self) -> None:
        """Count one more, or raise ``MailLimitReached`` (and count nothing)."""
        if not self.allow_request(None, None):
            raise MailLimitReached(math.ceil(self.wait() or self.duration))


class FollowRequestsPerClient(MailLimit):
    """Requests to follow by e-mail, from one client address."""

    scope = "follow-client"
    setting = "LOOPWATCH_FOLLOW_REQUESTS_PER_CLIENT"


class ConfirmationsPerAddress(MailLimit):
    """Confirmation mails to one recipient, whatever it was asked to follow."""

    scope = "confirmation-address"
    setting = "LOOPWATCH_CONFIRMATIONS_PER_ADDRESS"

    def __init__(self, address: str) -> None:
        # The mailbox, not its spelling: "a+1@x" and "A@x" reach the same reader. Kept
        # as a digest: the cache holds no addresses.
        local, _, domain = address.strip().lower().rpartition("@")
        mailbox = f"{local.partition('+')[0]}@{domain}"
        super().__init__(hashlib.sha256(mailbox.encode()).hexdigest())


class ConfirmationsInAll(MailLimit):
    """Confirmation mails to anyone: a ceiling however many clients ask."""

    scope = "confirmation-all"
    setting = "LOOPWATCH_CONFIRMATIONS_PER_HOUR"

    def __init__(self) -> None:
        super().__init__("all")
