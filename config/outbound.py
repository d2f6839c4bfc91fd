"""Every HTTP request the site sends out goes through one door: ``send``.

An address given by someone outside (a webhook's) must not turn the server against
the network it stands in (SSRF). The rule holds by construction, not by a list of
payloads:

1. **Parsed once, strictly.** Only ``http`` and ``https``; printable ASCII only (a
   host in another script is written in punycode); no backslash, no user
   information (``user@``), no IPv6 zone; and urllib's reading and urllib3's reading
   of the address must agree on scheme, host and port, or it is refused. Any port is
   allowed: the address it leads to is what is checked, and a public address is
   public on every port.
2. **Resolved once.** Every address the host resolves to must be public: not
   loopback, private, link-local, shared (CGNAT), multicast, reserved or
   unspecified, and no IPv6 form that embeds such an IPv4 address (mapped
   ``::ffff:0:0/96``, compatible ``::/96``, NAT64 ``64:ff9b::/96`` and the local-use
   ``64:ff9b:1::/48``, 6to4 ``2002::/16``, Teredo ``2001::/32``).
3. **Connected to exactly the address checked**, the host name given only as the
   Host header and, over TLS, as the name sent (SNI) and verified in the
   certificate. A second look-up, by which a name could be rebound to another
   address between check and connection, never happens.
4. **No redirects** (a 3xx is an answer like any other), short timeouts (connect,
   each read, and a deadline for the whole exchange), and at most
   OUTBOUND_MAX_RESPONSE_BYTES of the answer read, never decompressed.

Deployments that send to a receiver on their own machine (development, tests) pass
``allow_private=True``: then the addresses are not checked, but the parse rules hold.
"""

import contextlib
import ipaddress
import socket
import ssl
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.client import HTTPException
from urllib.parse import urlsplit

import urllib3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from urllib3.connection import HTTPConnection, HTTPSConnection

DEFAULT_PORTS = {"http": 80, "https": 443}
#: What a host name may hold once written in ASCII (IDNA); IPv6 literals aside.
HOST_NAME_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-._")
MAX_URL_LENGTH = 2000

#: Stands for the IPv4 address in its last 32 bits (RFC 6052): judged by that one.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
#: Not public, though Python 3.11's ``is_global`` says otherwise.
NOT_PUBLIC_IPV4 = tuple(
    ipaddress.ip_network(network)
    for network in ("0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15")
)
NOT_PUBLIC_IPV6 = tuple(
    ipaddress.ip_network(network)
    for network in (
        "::/96",  # IPv4-compatible, deprecated
        "64:ff9b:1::/48",  # NAT64 for local use
        "2001::/32",  # Teredo: carries an IPv4 server and client
        "2001:db8::/32",  # documentation
    )
)


class RefusedDestination(ValidationError):
    """An address the site will not send to; its message says why, for the person
    who gave it."""


class SendFailed(Exception):
    """The exchange did not complete: no connection, a timeout, a broken answer."""


@dataclass(frozen=True)
class Destination:
    """An address read once and resolved once: where ``send`` connects."""

    scheme: str
    #: The host as written (lower case, IPv6 without brackets): the Host header, and
    #: the name a TLS certificate must hold.
    host: str
    port: int
    #: The path and query, as sent on the request line.
    target: str
    #: The IP address checked, and the only one connected to.
    address: str

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return (
            host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"
        )


@dataclass(frozen=True)
class Answer:
    status: int
    #: At most OUTBOUND_MAX_RESPONSE_BYTES of the body, as sent (not decompressed).
    body: bytes


def refuse(message: str, code: str) -> RefusedDestination:
    return RefusedDestination(message, code=code)


def parse_destination(url: str) -> tuple[str, str, int, str]:
    """``url`` as (scheme, host, port, target), or RefusedDestination: the parse
    rules, with no look-up."""
    if not isinstance(url, str) or not 0 < len(url) <= MAX_URL_LENGTH:
        raise refuse(_("Give an http or https address."), "invalid")
    if any(not "!" <= character <= "~" for character in url):
        raise refuse(
            _(
                "Write the address without spaces, in plain ASCII (a host name in "
                "another script in its xn-- form)."
            ),
            "invalid",
        )
    if "\\" in url:
        raise refuse(_("The address may not hold a backslash."), "invalid")
    try:
        split = urlsplit(url)
        scheme, hostname, port = split.scheme.lower(), split.hostname, split.port
        parsed = urllib3.util.parse_url(url)
    except ValueError:
        raise refuse(_("Give an http or https address."), "invalid") from None
    if scheme not in DEFAULT_PORTS:
        raise refuse(_("Give an http or https address."), "invalid")
    if "@" in split.netloc or parsed.auth is not None:
        raise refuse(
            _("The address may not hold a user name or password (user@host)."),
            "invalid",
        )
    if not hostname or "%" in hostname:
        raise refuse(_("Give the address's host."), "invalid")
    host = hostname.lower()
    if ":" in host:
        try:
            host = str(ipaddress.IPv6Address(host))
        except ValueError:
            raise refuse(_("Give the address's host."), "invalid") from None
    elif not set(host) <= HOST_NAME_CHARACTERS:
        raise refuse(_("Give the address's host."), "invalid")
    if port == 0:
        raise refuse(_("Give a port between 1 and 65535."), "invalid")
    port = port or DEFAULT_PORTS[scheme]
    # Both readings must see the same place, or a check could pass one and the
    # connection follow the other.
    their_host = (parsed.host or "").lower().strip("[]")
    if ":" in their_host:
        try:
            their_host = str(ipaddress.IPv6Address(their_host))
        except ValueError:
            their_host = ""
    if (
        (parsed.scheme or "").lower() != scheme
        or their_host != host
        or (parsed.port or DEFAULT_PORTS[scheme]) != port
    ):
        raise refuse(_("The address is ambiguous; write it plainly."), "ambiguous")
    target = (split.path or "/") + (f"?{split.query}" if split.query else "")
    return scheme, host, port, target


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """Whether ``address`` is on the public internet; an IPv6 address that stands
    for an IPv4 one is judged by that one."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        if address in NAT64:
            return is_public(ipaddress.IPv4Address(address.packed[-4:]))
        if address.sixtofour is not None:
            return is_public(address.sixtofour)
        if any(address in network for network in NOT_PUBLIC_IPV6):
            return False
    elif any(address in network for network in NOT_PUBLIC_IPV4):
        return False
    return not (
        not address.is_global
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def resolve(host: str, port: int, *, allow_private: bool) -> str:
    """The one address of ``host`` to connect to, looked up once: refused unless
    every address it resolves to is public (or ``allow_private``)."""
    try:
        found = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except (OSError, UnicodeError):
        raise refuse(
            _("The address's host name does not resolve."), "unresolved"
        ) from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise refuse(_("The address's host name does not resolve."), "unresolved")
    if not allow_private:
        for address in addresses:
            if not is_public(ipaddress.ip_address(address.split("%")[0])):
                raise refuse(_("The address points into a private network."), "private")
    return addresses[0]


def check_destination(url: str, *, allow_private: bool = False) -> Destination:
    """``url`` parsed and resolved, once, with the address to connect to; or
    RefusedDestination."""
    scheme, host, port, target = parse_destination(url)
    address = resolve(host, port, allow_private=allow_private)
    return Destination(scheme, host, port, target, address)


def validate_url(url: str, *, allow_private: bool = False) -> None:
    """Refuse (RefusedDestination) an address ``send`` would refuse today: what a
    form or serializer calls for an address kept to send to later. Where private
    addresses are allowed, only the parse rules apply: the host is looked up when
    something is sent."""
    scheme, host, port, target = parse_destination(url)
    if not allow_private:
        resolve(host, port, allow_private=False)


def send(
    method: str,
    url: str,
    *,
    body: bytes = b"",
    headers: Mapping[str, str] | None = None,
    allow_private: bool = False,
) -> Answer:
    """Send one request to ``url`` as the rules above allow; the answer, whatever its
    status. Raises RefusedDestination, or SendFailed when no answer came in time."""
    destination = check_destination(url, allow_private=allow_private)
    return exchange(destination, method, body=body, headers=headers or {})


def exchange(
    destination: Destination,
    method: str,
    *,
    body: bytes,
    headers: Mapping[str, str],
) -> Answer:
    """The request sent to ``destination.address`` and only there."""
    connect_timeout = settings.OUTBOUND_CONNECT_TIMEOUT
    if destination.scheme == "https":
        connection: HTTPConnection = HTTPSConnection(
            destination.address,
            destination.port,
            timeout=connect_timeout,
            server_hostname=destination.host,
            assert_hostname=destination.host,
            cert_reqs=ssl.CERT_REQUIRED,
        )
    else:
        connection = HTTPConnection(
            destination.address, destination.port, timeout=connect_timeout
        )
    # A receiver that answers one byte at a time would slip past the read timeout,
    # which holds per read: past the deadline, the socket is shut under it.
    passed = threading.Event()
    deadline = threading.Timer(
        settings.OUTBOUND_TOTAL_TIMEOUT, cut, (connection, passed)
    )
    deadline.daemon = True
    try:
        deadline.start()
        connection.connect()
        connection.sock.settimeout(settings.OUTBOUND_READ_TIMEOUT)
        connection.request(
            method,
            destination.target,
            body=body,
            headers={**headers, "Host": destination.host_header},
            preload_content=False,
            decode_content=False,
        )
        response = connection.getresponse()
        content = response.read(
            settings.OUTBOUND_MAX_RESPONSE_BYTES, decode_content=False
        )
    except (urllib3.exceptions.HTTPError, HTTPException, OSError) as error:
        if passed.is_set():
            raise SendFailed(too_late()) from error
        raise SendFailed(str(error) or type(error).__name__) from error
    finally:
        deadline.cancel()
        connection.close()
    # An answer cut short at the deadline may still parse: it does not count.
    if passed.is_set():
        raise SendFailed(too_late())
    return Answer(status=response.status, body=content)


def too_late() -> str:
    return f"No complete answer within {settings.OUTBOUND_TOTAL_TIMEOUT} s."


def cut(connection: HTTPConnection, passed: threading.Event) -> None:
    passed.set()
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
