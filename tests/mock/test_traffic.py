"""The mock's record of report requests, for pacing tests: arrival and completion times, pages, requests in
flight, the hold gate, Retry-After and a rate limit aimed at one page. Real HTTP from real threads."""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterator

import pytest
import requests

from affilka_mock.mock_server import MockAffilka, ReportRequest
from tests.support import TOKEN

TIMEOUT = 10


def get(url: str) -> requests.Response:
    return requests.get(url, timeout=TIMEOUT, allow_redirects=False)


def in_threads(*urls: str) -> list[threading.Thread]:
    threads = [threading.Thread(target=get, args=(url,), daemon=True) for url in urls]
    for thread in threads:
        thread.start()
    return threads


@pytest.fixture
def mock() -> Iterator[MockAffilka]:
    """Three days, two campaigns, two rows a page: three pages."""
    with MockAffilka(token=TOKEN, days=3, campaigns=2, page_size=2) as server:
        yield server


def test_each_report_request_is_logged_with_its_page_status_and_times(mock):
    before = time.monotonic()
    for page in (1, 2, 3):
        get(mock.report_url(page=page))
    get(mock.base_url + "/users/sign_in")
    log = mock.log
    assert [(r.number, r.page, r.status) for r in log] == [(1, 1, 200), (2, 2, 200), (3, 3, 200)]
    assert all(before <= r.arrived <= r.completed <= time.monotonic() for r in log)
    assert log[0].completed <= log[1].arrived  # one after the other
    assert [r.in_flight for r in log] == [1, 1, 1] and mock.max_in_flight == 1
    assert mock.report_requests == 3 and mock.in_flight == 0


def test_log_records_are_frozen(mock):
    get(mock.report_url())
    with pytest.raises(dataclasses.FrozenInstanceError):
        mock.log[0].page = 2  # type: ignore[misc]


def test_the_page_logged_is_the_one_asked_for(mock):
    get(mock.report_url(extra={"page": None}))
    get(mock.report_url(extra={"page": "two"}))
    get(mock.report_url(page=7))
    assert [(r.page, r.status) for r in mock.log] == [(1, 200), (None, 422), (7, 200)]


def test_answers_that_are_not_reports_are_logged_with_their_status():
    with MockAffilka(token=TOKEN, days=2, rate_limit=1) as server:
        get(server.report_url())
        get(server.report_url(token="0" * 32))
        get(server.report_url())
    assert [r.status for r in server.log] == [429, 302, 200]


def test_held_requests_stay_in_flight_together_until_released(mock):
    mock.hold()
    threads = in_threads(*(mock.report_url(page=p) for p in (1, 2, 3)))
    assert mock.wait_until(lambda m: m.in_flight == 3)
    assert mock.log == []  # none answered while held
    released = time.monotonic()
    mock.release()
    for thread in threads:
        thread.join(TIMEOUT)
    log = mock.log
    assert sorted(r.in_flight for r in log) == [1, 2, 3]
    assert mock.max_in_flight == 3 and mock.in_flight == 0
    assert all(r.arrived < released <= r.completed for r in log)
    assert sorted(r.page for r in log) == [1, 2, 3] and {r.status for r in log} == {200}


def test_max_in_flight_keeps_the_peak_after_requests_complete(mock):
    mock.hold()
    threads = in_threads(mock.report_url(page=1), mock.report_url(page=2))
    assert mock.wait_until(lambda m: m.in_flight == 2)
    mock.release()
    for thread in threads:
        thread.join(TIMEOUT)
    get(mock.report_url(page=3))
    assert mock.max_in_flight == 2 and mock.log[-1].in_flight == 1


def test_wait_until_says_false_when_the_state_is_not_reached(mock):
    get(mock.report_url())
    assert mock.wait_until(lambda m: m.report_requests == 1, timeout=1)
    assert not mock.wait_until(lambda m: m.in_flight == 1, timeout=0.2)


def test_closing_the_server_lets_held_requests_go():
    server = MockAffilka(token=TOKEN, days=2)
    server.hold()
    (thread,) = in_threads(server.report_url())
    assert server.wait_until(lambda m: m.in_flight == 1)
    server.close()
    thread.join(TIMEOUT)
    assert not thread.is_alive()


def test_slow_ms_keeps_report_requests_in_flight():
    with MockAffilka(token=TOKEN, days=2, slow_ms=200) as server:
        get(server.report_url())
    (record,) = server.log
    assert record.completed - record.arrived >= 0.2


def test_log_is_a_list_of_report_request_records(mock):
    get(mock.report_url())
    assert isinstance(mock.log, list) and all(isinstance(r, ReportRequest) for r in mock.log)
    assert mock.log is not mock.log  # a snapshot each time


# --- Rate limits ---------------------------------------------------------------------------------------


def test_retry_after_sets_the_429s_header():
    with MockAffilka(token=TOKEN, days=2, rate_limit=1, retry_after=7) as server:
        response = get(server.report_url())
    assert response.status_code == 429 and response.headers["Retry-After"] == "7"


def test_rate_limit_page_rate_limits_only_that_page(mock):
    with MockAffilka(
        token=TOKEN, days=3, campaigns=2, page_size=2, rate_limit=1, rate_limit_page=2
    ) as server:
        statuses = [get(server.report_url(page=p)).status_code for p in (1, 2, 3, 2)]
    assert statuses == [200, 429, 200, 200]
    assert [(r.page, r.status) for r in server.log] == [(1, 200), (2, 429), (3, 200), (2, 200)]


def test_server_errors_follow_the_requests_that_pass_a_page_rate_limit():
    with MockAffilka(
        token=TOKEN, days=3, page_size=2, rate_limit=1, rate_limit_page=2, server_errors=1
    ) as server:
        statuses = [get(server.report_url(page=p)).status_code for p in (2, 1, 2)]
    assert statuses == [429, 503, 200]


def test_a_request_answered_is_never_counted_in_flight_when_the_next_one_arrives(mock):
    for _ in range(20):
        get(mock.report_url())
    assert {r.in_flight for r in mock.log} == {1} and mock.max_in_flight == 1


def test_in_flight_never_exceeds_the_clients_own_concurrency(mock):
    def worker(page: int) -> None:
        for _ in range(10):
            get(mock.report_url(page=page))

    threads = [threading.Thread(target=worker, args=(p,), daemon=True) for p in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    assert len(mock.log) == 20 and mock.max_in_flight <= 2
    assert max(r.in_flight for r in mock.log) == mock.max_in_flight
