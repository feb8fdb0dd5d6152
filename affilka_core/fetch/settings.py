"""How a fetch behaves: timeouts, the page deadline, size caps, retries, concurrency, allowed hosts.

The defaults read the environment: `AFFILKA_PAGE_DEADLINE` (seconds, 120), `AFFILKA_MAX_BYTES` (one
page, 50 MB), `AFFILKA_MAX_REPORT_BYTES` (all pages after decompression, 200 MB) and
`AFFILKA_ALLOW_PRIVATE_HOSTS`; `AFFILKA_HOST_CONCURRENCY` is read by `pacing`.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from .allow_list import env_hosts
from .pacing import PACER, HostPace, Pacer

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_REPORT_BYTES",
    "DEFAULT_PAGE_DEADLINE",
    "FetchSettings",
]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_REPORT_BYTES = 200 * 1024 * 1024
DEFAULT_PAGE_DEADLINE = 120.0
# A Retry-After up to this is waited for; a longer one fails at once with `retry_after` set.
DEFAULT_MAX_RETRY_WAIT = 30.0


def _env_number(name: str, default: float, *, minimum: float) -> float:
    try:
        value = float(os.environ.get(name, default))
    except ValueError:
        return default
    return max(value, minimum) if math.isfinite(value) else default


def _env_max_bytes() -> int:
    return int(_env_number("AFFILKA_MAX_BYTES", DEFAULT_MAX_BYTES, minimum=1))


def _env_max_report_bytes() -> int:
    return int(_env_number("AFFILKA_MAX_REPORT_BYTES", DEFAULT_MAX_REPORT_BYTES, minimum=1))


def _env_page_deadline() -> float:
    return _env_number("AFFILKA_PAGE_DEADLINE", DEFAULT_PAGE_DEADLINE, minimum=0.1)


@dataclass(frozen=True)
class FetchSettings:
    """How a fetch behaves; the defaults read the environment (see the module's docstring).

    `page_deadline` bounds each attempt at a page from sending the request to its last byte, however
    slowly the bytes come. `concurrency` is the most pages of one report asked for at once; the host's
    pace (`pacer`, the process-wide `pacing.PACER` by default) may allow fewer.
    """

    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    page_deadline: float = field(default_factory=_env_page_deadline)
    max_bytes: int = field(default_factory=_env_max_bytes)
    max_report_bytes: int = field(default_factory=_env_max_report_bytes)
    retries: int = 3
    backoff: float = 0.5
    backoff_max: float = 8.0
    max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT
    concurrency: int = 4
    max_pages: int = 1000
    max_redirects: int = 3
    allow_private_hosts: frozenset[str] = field(default_factory=env_hosts)
    pacer: Pacer | None = field(default=None, compare=False, repr=False)

    def pace(self, netloc: str) -> HostPace:
        """The pace of a host, from `pacer` or the process-wide one."""
        return (self.pacer or PACER).host(netloc)
