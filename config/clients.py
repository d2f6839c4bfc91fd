"""Who a request comes from, seen through the proxies this deployment trusts.

DRF's throttles and django-axes's lockouts both ask here, so a reader throttled by the
API and an analyst locked out of the admin are the same address.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    """The client's address.

    With ``LOOPWATCH_TRUSTED_PROXIES = 0`` (the default) that is ``REMOTE_ADDR``: a
    client can write any ``X-Forwarded-For`` it likes. With N trusted proxies in front,
    each appends the address it was reached from, so the N-th entry from the right is
    the one the outermost trusted proxy saw; entries further left prove nothing.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    trusted = settings.LOOPWATCH_TRUSTED_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not trusted or not forwarded:
        return remote
    hops = [hop.strip() for hop in forwarded.split(",")]
    candidate = hops[-min(trusted, len(hops))]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote
