"""Decoding pages as they arrive: the Fetch click ends soon after the last byte.

A mock Affilka in its own process (as Affilka is another machine) serves the 51,100-row benchmark report
in 11 pages of 5,000 rows, each request answered after 1 s (`--latency-ms 1000`), about what a real
Affilka takes to build a page of a large report. Measured, best of 3 each, alternating, each run with a
pacer of its own:

- `fetch_receive_s`: receiving the same pages with the same concurrency and no parsing at all
  (`fetch_report`, told the page count so not even page 1 is decoded).
- `fetch_to_frame_s`: `load_live`, from the fetch's start to the frame being ready: every page decoded as
  it arrives, while the next ones download, the frame assembled once the last one is in, the data checks
  and the preview.

`fetch_to_frame_ratio` = the second ÷ the first: what parsing adds to the wait, 1.0 when it costs nothing.
"""

from __future__ import annotations

from typing import Any

from affilka_core.fetch.pacing import Pacer
from affilka_core.fetch.report import fetch_report
from affilka_core.fetch.settings import FetchSettings
from affilka_core.load import load_live
from affilka_core.url.parse import parse_url
from affilka_mock import reports as demo

from .common import timed
from .serve import mock_affilka

LATENCY_MS = 1000
PAGE_SIZE = 5000
PAGES = 11
ROWS = 51_100
REPEAT = 3


def run() -> dict[str, Any]:
    options = {
        "days": (demo.BENCHMARK_TO - demo.BENCHMARK_FROM).days + 1,
        "brands": len(demo.BENCHMARK_BRANDS),
        "campaigns": demo.BENCHMARK_CAMPAIGNS,
        "page_size": PAGE_SIZE,
        "latency_ms": LATENCY_MS,
    }
    with mock_affilka(**options) as url:
        parsed = parse_url(url)
        hosts = frozenset({parsed.netloc})

        def settings() -> FetchSettings:
            return FetchSettings(allow_private_hosts=hosts, pacer=Pacer())

        def receive() -> float:
            seconds, fetched = timed(
                lambda: fetch_report(parsed, settings=settings(), on_page=lambda page, total, body: PAGES)
            )
            if fetched.total_pages != PAGES:
                raise AssertionError(f"expected {PAGES} pages, fetched {fetched.total_pages}")
            return seconds

        def to_frame() -> float:
            seconds, loaded = timed(lambda: load_live(parsed, settings=settings()))
            if len(loaded.frame) != ROWS or loaded.pages != PAGES:
                raise AssertionError(f"expected {ROWS:,} rows in {PAGES} pages, read {len(loaded.frame):,}")
            return seconds

        received, framed = [], []
        for _ in range(REPEAT):
            received.append(receive())
            framed.append(to_frame())
    receive_s, frame_s = min(received), min(framed)
    return {
        "fetch_receive_s": receive_s,
        "fetch_to_frame_s": frame_s,
        "fetch_to_frame_ratio": frame_s / receive_s,
    }
