"""Who a request comes from, seen through the proxies this deployment trusts.

DRF's throttles and django-axes's lockouts both ask here, so a reader throttled by the
API and an analyst locked out of the admin are the same address.
"""

import functools
import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.cache
def proxy_networks(addresses: Iterable[str]) -> tuple[Network, ...]:
    """``LOOPWATCH_PROXY_ADDRESSES`` as networks: an address or a CIDR block each."""
    try:
        return tuple(
            ipaddress.ip_network(address, strict=False) for address in addresses
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"LOOPWATCH_PROXY_ADDRESSES: {error}") from error


def is_trusted_proxy(address: str) -> bool:
    try:
        found = ipaddress.ip_address(address)
    except ValueError:
        return False
    networks = proxy_networks(tuple(settings.LOOPWATCH_PROXY_ADDRESSES))
    return any(found in network for network in networks)


def client_ip(request: HttpRequest) -> str:
    """The client's address.

    With ``LOOPWATCH_TRUSTED_PROXIES = 0`` (the default) that is ``REMOTE_ADDR``: a
    client can write any ``X-Forwarded-For`` it likes. With N trusted proxies in front,
    each appends the address it was reached from. The chain is walked from the right,
    one entry per proxy, and an entry is believed only when the address that handed it
    on is one of the proxies' own (``LOOPWATCH_PROXY_ADDRESSES``): a client reaching
    the application directly, around the proxies, is its own ``REMOTE_ADDR`` whatever
    header it writes, and entries further left than N prove nothing.
    """
    address = request.META.get("REMOTE_ADDR", "")
    hops = [
        hop.strip()
        for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if hop.strip()
    ]
    for _ in range(settings.LOOPWATCH_TRUSTED_PROXIES):
        if not hops or not is_trusted_proxy(address):
            break
        try:
            address = str(ipaddress.ip_address(hops.pop()))
        except ValueError:
            # A proxy handed on what is no address: the proxy's own is all we know.
            break
    return address
