"""Fetching pages concurrently: 10 pages from the mock Affilka with 100 ms latency per request.

Affilka pages a big report (5,000 rows a page by default), and each request waits on the network and on
Affilka's database, not on our CPU. `affilka_core.fetch.report.fetch_report` asks for page 1 alone (it
says how many pages there are; no request is ever sent past the last page), then the rest `concurrency`
at a time.

Measured, best of 5 each, alternating: `fetch_report` with `FetchSettings(concurrency=1)` and with
`concurrency=4`, each run with a pacer of its own so no host pace carries over between runs. The ideal
with 4 at a time is (1 + ⌈9/4⌉) / 10 = 0.4 of the serial time (`fetch_parallel_ideal_ratio`); the
measured ratio adds the per-request overhead on top. `fetch_requests` counts the requests the mock
received in the last parallel run: 10, one per page.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from affilka_core.fetch.pacing import Pacer
from affilka_core.fetch.report import fetch_report
from affilka_core.fetch.settings import FetchSettings
from affilka_mock.mock_server import MockAffilka

from .common import timed

PAGES = 10
LATENCY_MS = 100
PARALLEL = 4
REPEAT = 5


def run() -> dict[str, Any]:
    # 10 days × 1 brand × 8 campaigns = 80 rows, 8 a page: 10 pages. Small pages, so latency dominates.
    with MockAffilka(
        days=10, brands=1, campaigns=8, page_size=8, latency_ms=LATENCY_MS, end_date=dt.date(2025, 12, 31)
    ) as mock:
        url = mock.report_url()
        hosts = frozenset({mock.host_port})

        def fetch(concurrency: int) -> float:
            # A fresh pacer per run: the process-wide one would carry the host's pace between runs.
            settings = FetchSettings(concurrency=concurrency, allow_private_hosts=hosts, pacer=Pacer())
            seconds, report = timed(lambda: fetch_report(url, settings=settings))
            if report.total_pages != PAGES or len(report.pages) != PAGES:
                raise AssertionError(f"expected {PAGES} pages, fetched {len(report.pages)}")
            return seconds

        fetch(PARALLEL)  # warm-up: imports, the mock's row cache, the first connection
        serial, parallel = [], []
        for _ in range(REPEAT):
            serial.append(fetch(1))
            before = mock.report_requests
            parallel.append(fetch(PARALLEL))
            requests = mock.report_requests - before
    serial_s, parallel_s = min(serial), min(parallel)
    return {
        "fetch_pages": PAGES,
        "fetch_latency_ms": LATENCY_MS,
        "fetch_serial_s": serial_s,
        "fetch_parallel_s": parallel_s,
        "fetch_parallel_ratio": parallel_s / serial_s,
        "fetch_parallel_ideal_ratio": (1 + math.ceil((PAGES - 1) / PARALLEL)) / PAGES,
        "fetch_requests": requests,
    }
