"""Memory per browser session: what one more person costs the one process that serves everyone.

`streamlit run app.py` serves headless Chromium sessions (Playwright, Debian's Chromium) one after another;
each fetches the 51,100-row benchmark report from a mock Affilka (in its own process, 11 pages), opens
Performance, then Data, and stays open, as a support person's tab does. The server's resident memory
(`VmRSS`) is read once each session has settled.

`session_mb` is the growth per session over sessions 2 to 10, in MiB: the first pays for imports, caches
and the allocator's arenas once; every later one is what a session holds (its report, its cached
aggregates, what its pages keep). `session_rss_mb` lists the readings.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests

from affilka_mock import reports as demo
from tests.app.browser import CHROMIUM, CHROMIUM_ARGS

from .serve import ROOT, mock_affilka

SESSIONS = 10
PAGES = 11
ROWS = "51,100 rows"
TIMEOUT_MS = 120_000
SETTLE_S = 2.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def _app(host_port: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {**os.environ, "AFFILKA_ALLOW_PRIVATE_HOSTS": host_port}
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    app = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/_stcore/health", timeout=1).ok:
                return app, base
        except requests.ConnectionError:
            time.sleep(0.3)
    app.kill()
    raise RuntimeError("streamlit did not start")


def _session(browser: Any, base: str, url: str) -> Any:
    """One person's tab: paste, fetch, Performance, Data; left open."""
    from playwright.sync_api import expect

    page = browser.new_context(viewport={"width": 1400, "height": 1600}).new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(base)
    page.get_by_role("textbox", name="Affilka report URL").fill(url)
    page.get_by_role("button", name="Check URL").click()
    page.get_by_role("button", name="Fetch report").click()
    expect(page.get_by_text(f"Fetched {PAGES} pages: {ROWS}")).to_be_visible(timeout=TIMEOUT_MS)
    page.get_by_role("link", name="Open Performance").click()
    expect(page.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("heading", name="Funnel")).to_be_attached(timeout=TIMEOUT_MS)
    page.get_by_test_id("stSidebar").get_by_role("link", name="Data").click()
    expect(page.get_by_text(f"of {ROWS.split()[0]} rows")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.locator("[data-testid='stDataFrame']").first).to_be_visible(timeout=TIMEOUT_MS)
    return page


def run() -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM} (set CHROMIUM_PATH)")
    options = {
        "days": (demo.BENCHMARK_TO - demo.BENCHMARK_FROM).days + 1,
        "brands": len(demo.BENCHMARK_BRANDS),
        "campaigns": demo.BENCHMARK_CAMPAIGNS,
        "page_size": 5000,
    }
    readings: list[float] = []
    with mock_affilka(**options) as url:
        app, base = _app(url.split("/")[2])
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    tabs = []
                    for _ in range(SESSIONS):
                        tabs.append(_session(browser, base, url))
                        time.sleep(SETTLE_S)  # the run that drew Data has ended, its garbage is freed
                        readings.append(_rss_mib(app.pid))
                finally:
                    browser.close()
        finally:
            app.kill()
            app.wait()
    return {
        "session_mb": (readings[-1] - readings[0]) / (SESSIONS - 1),
        "session_rss_mb": [round(r, 1) for r in readings],
        "session_first_mb": readings[0],
    }
