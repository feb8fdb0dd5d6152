"""The address guard: only public addresses are fetched, checked before and on every connection.

A host that is, or resolves to, a private, loopback, link-local or metadata address is refused, and
each new connection checks its peer again, so DNS rebinding cannot slip past the first check.
`AFFILKA_ALLOW_PRIVATE_HOSTS` lists `host[:port]` exceptions (the mock server in tests and demos).
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from .errors import BlockedAddress, ConnectionFailed

__all__ = ["GuardedAdapter", "allowed", "check_host", "env_hosts", "is_public_address"]


def env_hosts() -> frozenset[str]:
    """The `AFFILKA_ALLOW_PRIVATE_HOSTS` exceptions, lower-cased."""
    raw = os.environ.get("AFFILKA_ALLOW_PRIVATE_HOSTS", "")
    return frozenset(h.strip().lower() for h in raw.split(",") if h.strip())


def is_public_address(address: str) -> bool:
    """Whether an IP address is globally routable (not private, loopback, link-local, multicast,
    reserved, unspecified or shared, IPv4-mapped IPv6 included)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def allowed(host: str, port: int | None, allow: frozenset[str]) -> bool:
    """Whether `host` (or `host:port`) is one of the listed exceptions."""
    host = host.strip("[]").lower()
    return host in allow or f"{host}:{port}" in allow or f"[{host}]:{port}" in allow


def check_host(host: str, port: int | None, allow: frozenset[str] | None = None) -> None:
    """Refuse a host that is, or resolves to, a non-public address, unless allowed.

    Raises `BlockedAddress`, or `ConnectionFailed` when the name does not resolve.
    """
    allow = env_hosts() if allow is None else allow
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

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        if not allowed(self.host, self.port, self.allow_private_hosts):
            peer = sock.getpeername()[0]
            if not is_public_address(peer):
                sock.close()
                raise BlockedAddress(f"{self.host} connected to {peer}, a non-public address; refused.")
        return sock


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
