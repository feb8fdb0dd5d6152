"""A polite fetcher, over loopback HTTP: no speculative requests, one pace per host shared by every fetch
and batch, and a 429 that pauses every request to the host. Assertions read the server's own record of
the requests (arrival and completion times, requests in flight), never the client's wall clock."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from affilka_core import batch
from affilka_core.errors import NotAskedAgain, RateLimited, ServerError
from affilka_core.fetch.pacing import Pacer
from affilka_core.fetch.report import fetch_report
from affilka_core.fetch.settings import FetchSettings
from affilka_mock.mock_server import MockAffilka
from tests.support import GUIDE_URL, TOKEN, fast_settings

PATH = "/api/client/partner/report.json"
END = dt.date(2026, 3, 31)


def mock(pages: int, **options) -> MockAffilka:
    """A mock whose full-range report has `pages` pages of 4 rows (1 brand, 4 campaigns a day)."""
    return MockAffilka(token=TOKEN, days=pages, campaigns=4, page_size=4, end_date=END, **options)


def settings(server: MockAffilka, pacer: Pacer | None = None, **overrides) -> FetchSettings:
    return fast_settings(server.host_port, pacer=pacer or Pacer(), **overrides)


def page_body(page: int, total: int) -> str:
    row = [{"name": "date", "value": f"2026-04-{page:02d}", "type": "date"}]
    return json.dumps({"total_pages": total, "rows": {"data": [row]}})


# --- no speculative requests ---------------------------------------------------------------------


@pytest.mark.parametrize("pages", [1, 2, 10])
def test_a_report_costs_exactly_one_request_per_page(pages):
    with mock(pages) as server:
        report = fetch_report(server.report_url(), settings=settings(server))
        assert report.total_pages == pages
        assert server.report_requests == pages
        assert sorted(r.page for r in server.log) == list(range(1, pages + 1))


def test_page_one_is_answered_before_any_other_page_is_asked_for():
    with mock(6) as server:
        fetch_report(server.report_url(), settings=settings(server))
        first, *rest = server.log
        assert first.page == 1 and first.number == 1
        assert all(r.arrived >= first.completed for r in rest)


def test_the_other_pages_go_at_most_concurrency_at_a_time():
    with mock(10, slow_ms=300) as server:
        fetch_report(server.report_url(), settings=settings(server, concurrency=3))
        assert server.report_requests == 10
        assert server.max_in_flight == 3


# --- one pace per host ---------------------------------------------------------------------------


def test_two_fetches_to_one_host_together_stay_within_the_host_limit():
    pacer = Pacer()  # each new host gets the settings' host_concurrency
    with mock(10, slow_ms=100) as server:
        fetched: list[int] = []
        shared = settings(server, pacer, host_concurrency=3)

        def fetch() -> None:
            fetched.append(fetch_report(server.report_url(), settings=shared).total_pages)

        threads = [threading.Thread(target=fetch) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert fetched == [10, 10]
        assert server.report_requests == 20
        assert server.max_in_flight == 3  # each fetch alone would have 4 in flight


def test_a_batch_of_offers_on_one_host_stays_within_the_host_limit():
    pacer = Pacer(limit=2)
    with mock(4, slow_ms=100) as server:
        items = [
            batch.BatchItem(i + 1, f"Offer {i + 1}", server.report_url(date_to=END - dt.timedelta(days=i)))
            for i in range(4)
        ]
        rows = batch.fetch_batch(items, concurrency=4, settings=settings(server, pacer))
        assert [r.fetched for r in rows] == [True] * 4
        assert server.report_requests == 4 + 3 + 2 + 1  # each offer's report, page by page
        assert server.max_in_flight == 2


# --- a 429 pauses the host -----------------------------------------------------------------------


def test_a_429_on_one_page_delays_every_other_workers_next_request(threaded_server: HTTPServer):
    """Page 2 gets a 429 with Retry-After: 1 while pages 3-5 are in flight; pages 3-5 are answered only
    once the client has begun waiting, so their workers' next requests must wait out the pause too."""
    told = threading.Event()
    lock = threading.Lock()
    arrivals: list[tuple[int, float]] = []
    limited_at: list[float] = []

    def handler(request: Request) -> Response:
        page = int(request.args["page"])
        with lock:
            arrivals.append((page, time.monotonic()))
            first_time = [p for p, _ in arrivals].count(page) == 1
        if page == 2 and first_time:
            limited_at.append(time.monotonic())  # the answer leaves after this instant
            return Response("slow down", status=429, headers={"Retry-After": "1"})
        if page in (3, 4, 5) and first_time:
            told.wait(5)
        return Response(page_body(page, 10), content_type="application/json")

    threaded_server.expect_request(PATH).respond_with_handler(handler)
    url = GUIDE_URL.replace(
        "https://primetime.partners", f"http://{threaded_server.host}:{threaded_server.port}"
    )
    waits: list[tuple[float, str, int, int]] = []

    def on_wait(seconds: float, reason: str, attempt: int, attempts: int) -> None:
        waits.append((seconds, reason, attempt, attempts))
        told.set()

    hosts = f"{threaded_server.host}:{threaded_server.port}"
    report = fetch_report(url, settings=fast_settings(hosts, pacer=Pacer()), on_wait=on_wait)
    assert report.total_pages == 10 and len(report.pages) == 10
    assert told.is_set() and len(limited_at) == 1
    later = [(page, at) for page, at in arrivals if at > limited_at[0]]
    first_wave = {3, 4, 5}
    next_requests = [at for page, at in later if page not in first_wave]
    assert len(next_requests) >= 6, "page 2's retry and pages 6-10"
    assert min(next_requests) >= limited_at[0] + 1.0
    assert ("429", 1, 3) in {w[1:] for w in waits}, "the worker that got the 429 says it retries"
    assert all(0 < w[0] <= 1.0 for w in waits)


def test_a_429_in_one_fetch_pauses_another_fetch_to_the_same_host():
    pacer = Pacer()
    with mock(1, rate_limit=1, retry_after=1) as server:
        first = threading.Thread(target=fetch_report, args=(server.report_url(),), kwargs={
            "settings": settings(server, pacer)
        })  # fmt: skip
        first.start()
        assert server.wait_until(lambda m: len(m.log) == 1, timeout=10)
        limited = server.log[0]
        assert limited.status == 429
        pace = pacer.host(server.host_port)
        deadline = time.monotonic() + 10
        while pace.pause_left() == 0 and time.monotonic() < deadline:
            time.sleep(0.01)  # until the first fetch has read its 429
        assert pace.pause_left() > 0, "the 429 should pause the host"
        fetch_report(server.report_url(), settings=settings(server, pacer))
        first.join(10)
        later = server.log[1:]
        assert len(later) == 2 and all(r.status == 200 for r in later)
        assert all(r.arrived >= limited.completed + 1.0 for r in later)


def test_a_429_halves_the_hosts_concurrency():
    pacer = Pacer(limit=4)
    with mock(1, rate_limit=1, retry_after=0) as server:
        fetch_report(server.report_url(), settings=settings(server, pacer))
        assert server.report_requests == 2
        assert pacer.host(server.host_port).limit == 2


def test_a_long_retry_after_is_not_waited_for_and_travels_with_the_error():
    with mock(1, rate_limit=5, retry_after=45) as server:
        with pytest.raises(RateLimited, match="wait 45 s") as info:
            fetch_report(server.report_url(), settings=settings(server))
        assert info.value.retry_after == 45.0
        assert server.report_requests == 1


def test_a_fetch_to_a_host_paused_for_long_fails_at_once_with_the_wait_left():
    pacer = Pacer()
    with mock(1, rate_limit=5, retry_after=45) as server:
        with pytest.raises(RateLimited):
            fetch_report(server.report_url(), settings=settings(server, pacer))
        with pytest.raises(
            NotAskedAgain, match=r"^Not asked again: at \d\d:\d\d UTC Affilka asked to wait 45 s"
        ) as info:
            fetch_report(server.report_url(), settings=settings(server, pacer))
        assert info.value.asked_for == 45.0
        assert info.value.retry_after is not None and 30 < info.value.retry_after <= 45
        assert server.report_requests == 1


def test_a_server_error_carries_its_retry_after(httpserver: HTTPServer):
    httpserver.expect_request(PATH).respond_with_data("busy", status=503, headers={"Retry-After": "0"})
    url = GUIDE_URL.replace("https://primetime.partners", f"http://{httpserver.host}:{httpserver.port}")
    waits: list[tuple[float, str, int, int]] = []
    with pytest.raises(ServerError) as info:
        fetch_report(
            url,
            settings=fast_settings(f"{httpserver.host}:{httpserver.port}", pacer=Pacer(), retries=2),
            on_wait=lambda *w: waits.append(w),
        )
    assert info.value.retry_after == 0.0 and info.value.status == 503
    assert waits == [(0.0, "503", 1, 2), (0.0, "503", 2, 2)]
    assert len(httpserver.log) == 3


@pytest.mark.parametrize(
    ("header", "seconds"),
    [("8", 8.0), (" 120 ", 120.0), ("1.5", 1.5), ("soon", None), ("", None), ("-5", None), (None, None)],
)
def test_retry_after_is_read_in_seconds(header, seconds):
    from affilka_core.fetch.page import retry_after_seconds

    assert retry_after_seconds(header) == seconds


def test_retry_after_as_an_http_date_is_the_seconds_until_then():
    from email.utils import formatdate

    from affilka_core.fetch.page import retry_after_seconds

    seconds = retry_after_seconds(formatdate(time.time() + 60, usegmt=True))
    assert seconds is not None and 55 <= seconds <= 60
