"""How a fetch behaves: timeouts, deadlines, size and row caps, retries, concurrency, allowed hosts, and
the batch's budgets.

The defaults are plain values (each budget's home is `affilka_core.budgets`); `FetchSettings.from_env()`
reads the environment, once, at the edges (the CLI's start, each run of the app): every variable of
`budgets.ENVIRONMENT` and `AFFILKA_ALLOW_PRIVATE_HOSTS`. A value out of range, or not a number, raises
`BadSetting` there, saying which variable and what it accepts.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field

from affilka_core.budgets import (
    BATCH_DEADLINE,
    BATCH_URLS,
    HOST_CONCURRENCY,
    MAX_PAGES,
    PAGE_BYTES,
    PAGE_DEADLINE,
    REPORT_BYTES,
    REPORT_DEADLINE,
    REPORT_DEADLINE_PAGES,
    REPORT_ROWS,
)
from affilka_core.fetch.pacing import DEFAULT_HOST_CONCURRENCY, PACER, HostPace, Pacer
from affilka_core.url.allow_list import ALLOW_PRIVATE_HOSTS_ENV, parse_hosts

DEFAULT_MAX_BYTES = int(PAGE_BYTES.default)
DEFAULT_MAX_REPORT_BYTES = int(REPORT_BYTES.default)
DEFAULT_PAGE_DEADLINE = PAGE_DEADLINE.default
# A Retry-After up to this is waited for; a longer one fails at once with `retry_after` set.
DEFAULT_MAX_RETRY_WAIT = 30.0


@dataclass(frozen=True)
class FetchSettings:
    """How a fetch behaves (see the module's docstring; `from_env` reads the environment).

    `page_deadline` bounds each attempt at a page from sending the request to its last byte, however
    slowly the bytes come; `report_deadline` every page of a report together (None: `REPORT_DEADLINE_PAGES`
    page deadlines, see `whole_report_deadline`). `concurrency` is the most pages of one report asked for
    at once; the host's pace (`pacer`, the process-wide `pacing.PACER` by default, at most
    `host_concurrency` requests to a host at once) may allow fewer. `max_rows` caps a report's rows
    (fetched or read from a file), counted before they are decoded; `max_batch_urls` and
    `batch_deadline` bound a batch.
    """

    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    page_deadline: float = DEFAULT_PAGE_DEADLINE
    report_deadline: float | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_report_bytes: int = DEFAULT_MAX_REPORT_BYTES
    retries: int = 3
    backoff: float = 0.5
    backoff_max: float = 8.0
    max_retry_wait: float = DEFAULT_MAX_RETRY_WAIT
    concurrency: int = 4
    host_concurrency: int = DEFAULT_HOST_CONCURRENCY
    max_pages: int = MAX_PAGES
    max_rows: int = int(REPORT_ROWS.default)
    max_batch_urls: int = int(BATCH_URLS.default)
    batch_deadline: float = BATCH_DEADLINE.default
    max_redirects: int = 3
    allow_private_hosts: frozenset[str] = frozenset()
    pacer: Pacer | None = field(default=None, compare=False, repr=False)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> FetchSettings:
        """The settings the environment (`os.environ` unless `env`) asks for; the defaults otherwise.
        Raises `BadSetting` for a value out of range or not a number."""
        env = os.environ if env is None else env
        page_deadline = PAGE_DEADLINE.read(env)
        return cls(
            page_deadline=page_deadline,
            report_deadline=REPORT_DEADLINE.read(env, REPORT_DEADLINE_PAGES * page_deadline),
            max_bytes=int(PAGE_BYTES.read(env)),
            max_report_bytes=int(REPORT_BYTES.read(env)),
            host_concurrency=int(HOST_CONCURRENCY.read(env)),
            max_rows=int(REPORT_ROWS.read(env)),
            max_batch_urls=int(BATCH_URLS.read(env)),
            batch_deadline=BATCH_DEADLINE.read(env),
            allow_private_hosts=parse_hosts(env.get(ALLOW_PRIVATE_HOSTS_ENV, "")),
        )

    @property
    def whole_report_deadline(self) -> float:
        """Seconds every page of one report may take together: `report_deadline`, else
        `REPORT_DEADLINE_PAGES` page deadlines."""
        if self.report_deadline is not None:
            return self.report_deadline
        return REPORT_DEADLINE_PAGES * self.page_deadline

    def pace(self, netloc: str) -> HostPace:
        """The pace of a host, from `pacer` or the process-wide one."""
        return (self.pacer or PACER).host(netloc, self.host_concurrency)
