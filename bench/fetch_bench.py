"""Fetching pages concurrently: 10 pages from the mock Affilka with 100 ms latency per request.

Affilka pages a big report (5,000 rows a page by default), and each request waits on the network and on
Affilka's database, not on our CPU. `affilka_core.fetch.fetch_report` asks for pages 1..concurrency
together (page 1 says how many pages there are; speculative pages past the end are dropped), then the
rest `concurrency` at a time.

Measured, best of 5 each, alternating: `fetch_report` with `FetchSettings(concurrency=1)` and with
`concurrency=4`. The ideal with 4 at a time is ⌈10/4⌉ / 10 = 0.3 of the serial time
(`fetch_parallel_ideal_ratio`); the measured ratio adds the per-request overhead on top.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from affilka_core.fetch import FetchSettings, fetch_report
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
            settings = FetchSettings(concurrency=concurrency, allow_private_hosts=hosts)
            seconds, report = timed(lambda: fetch_report(url, settings=settings))
            if report.total_pages != PAGES or len(report.pages) != PAGES:
                raise AssertionError(f"expected {PAGES} pages, fetched {len(report.pages)}")
            return seconds

        fetch(PARALLEL)  # warm-up: imports, the mock's row cache, the first connection
        serial, parallel = [], []
        for _ in range(REPEAT):
            serial.append(fetch(1))
            parallel.append(fetch(PARALLEL))
    serial_s, parallel_s = min(serial), min(parallel)
    return {
        "fetch_pages": PAGES,
        "fetch_latency_ms": LATENCY_MS,
        "fetch_serial_s": serial_s,
        "fetch_parallel_s": parallel_s,
        "fetch_parallel_ratio": parallel_s / serial_s,
        "fetch_parallel_ideal_ratio": math.ceil(PAGES / PARALLEL) / PAGES,
    }
