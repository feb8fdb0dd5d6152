"""How a fetch behaves: timeouts, the page deadline, size caps, retries, concurrency, allowed hosts.

The defaults are plain values; `FetchSettings.from_env()` reads the environment, once, at the edges
(the CLI's start, each run of the app): `AFFILKA_PAGE_DEADLINE` (seconds, 120), `AFFILKA_MAX_BYTES`
(one page, 50 MB), `AFFILKA_MAX_REPORT_BYTES` (all pages after decompression, 200 MB),
`AFFILKA_HOST_CONCURRENCY` (requests in flight to one host, 4) and `AFFILKA_ALLOW_PRIVATE_HOSTS`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from affilka_core.fetch.pacing import DEFAULT_HOST_CONCURRENCY, MAX_HOST_CONCURRENCY, PACER, HostPace, Pacer
from affilka_core.url.allow_list import ALLOW_PRIVATE_HOSTS_ENV, parse_hosts

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_REPORT_BYTES = 200 * 1024 * 1024
DEFAULT_PAGE_DEADLINE = 120.0
# A Retry-After up to this is waited for; a longer one fails at once with `retry_after` set.
DEFAULT_MAX_RETRY_WAIT = 30.0


def _number(env: Mapping[str, str], name: str, default: float, *, minimum: float) -> float:
    try:
        value = float(env.get(name, default))
    except ValueError:
        return default
    return max(value, minimum) if math.isfinite(value) else default


@dataclass(frozen=True)
class FetchSettings:
    """How a fetch behaves (see the module's docstring; `from_env` reads the environment).

    `page_deadline` bounds each attempt at a page from sending the request to its last byte, however
    slowly the bytes come. `concurrency` is the most pages of one report asked for at once; the host's
    pace (`pacer`, the process-wide `pacing.PACER` by default, at most `host_concurrency` requests to
    a host at once) may allow fewer.
    """

    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    page_deadline: float = DEFAULT_PAGE_DEADLINE
    max_bytes: int = DEFAULT_MAX_BYTES
    max_report_bytes: int = DEFAULT_MAX_REPORT_BYTES
    retries: int = 3
    backoff: float = 0.5
    backoff_max: float = 8.0
    max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT
    concurrency: int = 4
    host_concurrency: int = DEFAULT_HOST_CONCURRENCY
    max_pages: int = 1000
    max_redirects: int = 3
    allow_private_hosts: frozenset[str] = frozenset()
    pacer: Pacer | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FetchSettings:
        """The settings the environment (`os.environ` unless `env`) asks for; the defaults otherwise."""
        env = os.environ if env is None else env
        concurrency = _number(env, "AFFILKA_HOST_CONCURRENCY", DEFAULT_HOST_CONCURRENCY, minimum=1)
        return cls(
            page_deadline=_number(env, "AFFILKA_PAGE_DEADLINE", DEFAULT_PAGE_DEADLINE, minimum=0.1),
            max_bytes=int(_number(env, "AFFILKA_MAX_BYTES", DEFAULT_MAX_BYTES, minimum=1)),
            max_report_bytes=int(
                _number(env, "AFFILKA_MAX_REPORT_BYTES", DEFAULT_MAX_REPORT_BYTES, minimum=1)
            ),
            host_concurrency=min(int(concurrency), MAX_HOST_CONCURRENCY),
            allow_private_hosts=parse_hosts(env.get(ALLOW_PRIVATE_HOSTS_ENV, "")),
        )

    def pace(self, netloc: str) -> HostPace:
        """The pace of a host, from `pacer` or the process-wide one."""
        return (self.pacer or PACER).host(netloc, self.host_concurrency)
