"""The address guard: only public addresses are fetched, checked before and on every connection.

A host that is, or resolves to, a private, loopback, link-local or metadata address is refused, and
each new connection checks its peer again, so DNS rebinding cannot slip past the first check. IPv6
forms that carry an IPv4 address (IPv4-mapped, 6to4, Teredo, NAT64) are judged by that address, and
site-local `fec0::/10` is refused. `AFFILKA_ALLOW_PRIVATE_HOSTS` lists `host[:port]` exceptions (the
mock server in tests and demos).

Every URL is read once, by `parse_target`, with the parser the connection itself uses (urllib3's); the
guard checks that reading and the request is sent to the URL rebuilt from it, so the guard and the
connection cannot disagree on the host or port.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import LocationParseError
from urllib3.util import parse_url

from affilka_core.errors import BlockedAddress, ConnectionFailed
from affilka_core.fetch.deadline import watch_socket
from affilka_core.url.allow_list import allowed

_SITE_LOCAL = ipaddress.ip_network("fec0::/10")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def is_public_address(address: str) -> bool:
    """Whether an IP address is globally routable (not private, loopback, link-local, multicast,
    reserved, unspecified, shared or site-local). An IPv6 address carrying an IPv4 one (IPv4-mapped,
    6to4, Teredo's server and client, NAT64) is public only if that IPv4 address is too."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return _is_public(ip.ipv4_mapped)
        if ip in _SITE_LOCAL:
            return False
        embedded = [ip.sixtofour] if ip.sixtofour is not None else list(ip.teredo or ())
        if ip in _NAT64:
            embedded.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
        if not all(_is_public(v4) for v4 in embedded if v4 is not None):
            return False
    return _is_public(ip)


@dataclass(frozen=True, slots=True)
class Target:
    """A URL as the connection will read it: `url` is rebuilt from the parts the guard checks."""

    scheme: str
    host: str  # IPv6 literals keep their brackets
    port: int | None
    url: str

    @property
    def effective_port(self) -> int:
        """The port connected to: the explicit one, else the scheme's."""
        return self.port or (443 if self.scheme == "https" else 80)


def parse_target(url: str) -> Target:
    """Read a URL once, as urllib3 will, refusing what parsers read differently.

    Backslashes, whitespace and control characters, userinfo (`user@`), a port outside 1-65535, a
    broken IPv6 literal or a scheme other than http(s) raise `ConnectionFailed`."""
    if any(c == "\\" or c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in url):
        raise ConnectionFailed("The address holds a backslash, a space or a control character; not used.")
    try:
        parts = parse_url(url)
    except (LocationParseError, ValueError, UnicodeError):
        raise ConnectionFailed(
            "The address cannot be read (a bad port or IPv6 literal?); not used."
        ) from None
    if parts.scheme not in ("http", "https") or not parts.host:
        raise ConnectionFailed("The address is not an http(s) address with a host; not used.")
    if parts.auth is not None:
        raise ConnectionFailed("The address holds a user name (user@host); not used.")
    if parts.port is not None and not 0 < parts.port < 65536:
        raise ConnectionFailed(f"The address has an invalid port ({parts.port}); not used.")
    return Target(parts.scheme, parts.host, parts.port, parts.url)


def check_host(host: str, port: int | None, allow: frozenset[str] = frozenset()) -> None:
    """Refuse a host that is, or resolves to, a non-public address, unless allowed (`allow`:
    `FetchSettings.allow_private_hosts`).

    Raises `BlockedAddress`, or `ConnectionFailed` when the name does not resolve.
    """
    if allowed(host, port, allow):
        return
    bare = host.strip("[]")
    try:
        infos = socket.getaddrinfo(bare, port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise ConnectionFailed(
            f"The host name {host} does not resolve: check it is spelled as in the browser."
        ) from None
    for info in infos:
        address = str(info[4][0])
        if not is_public_address(address):
            raise BlockedAddress(
                f"{host} resolves to {address}, a private, loopback, link-local or metadata address; "
                "it is not fetched."
            )


class _GuardMixin:
    """Checks the peer of every new connection, so DNS rebinding cannot slip past `check_host`."""

    host: str
    port: int
    allow_private_hosts: frozenset[str] = frozenset()

    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        if not allowed(self.host, self.port, self.allow_private_hosts):
            peer = sock.getpeername()[0]
            if not is_public_address(peer):
                sock.close()
                raise BlockedAddress(f"{self.host} connected to {peer}, a non-public address; refused.")
        watch_socket(sock)  # the page deadline can cut a trickling connection (`deadline`)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        watch_socket(self.sock)  # a reused connection: new ones register in `_new_conn`
        super().request(*args, **kwargs)  # type: ignore[misc]


class _GuardedHTTPConnection(_GuardMixin, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardMixin, HTTPSConnection):
    pass


class GuardedAdapter(HTTPAdapter):
    """A requests adapter whose connections check their peer address (`allow` lists exceptions)."""

    def __init__(self, allow: frozenset[str], **kwargs: Any) -> None:
        self._allow = allow
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        allow = self._allow

        class HTTPPool(HTTPConnectionPool):
            ConnectionCls = type("Conn", (_GuardedHTTPConnection,), {"allow_private_hosts": allow})

        class HTTPSPool(HTTPSConnectionPool):
            ConnectionCls = type("Conn", (_GuardedHTTPSConnection,), {"allow_private_hosts": allow})

        self.poolmanager.pool_classes_by_scheme = {"http": HTTPPool, "https": HTTPSPool}
