"""The hosts an operator allows although they are not public (`AFFILKA_ALLOW_PRIVATE_HOSTS`, a comma-
separated list of `host` or `host:port`): a local mock, a staging server. They may also use plain http.

Kept free of any HTTP library, so checking a URL without fetching it stays quick to start.
"""

from __future__ import annotations

from collections.abc import Collection

ALLOW_PRIVATE_HOSTS_ENV = "AFFILKA_ALLOW_PRIVATE_HOSTS"


def parse_hosts(text: str) -> frozenset[str]:
    """A comma-separated `AFFILKA_ALLOW_PRIVATE_HOSTS` value as the exceptions it lists, lower-cased."""
    return frozenset(h.strip().lower() for h in text.split(",") if h.strip())


def allowed(host: str, port: int | None, allow: Collection[str]) -> bool:
    """Whether `host` (or `host:port`) is one of the listed exceptions."""
    host = host.strip("[]").lower()
    return host in allow or f"{host}:{port}" in allow or f"[{host}]:{port}" in allow
