"""One pace per host: a concurrency limit shared by every caller, a 429 pausing them all, AIMD."""

from __future__ import annotations

import threading
import time

import pytest

from affilka_core.errors import BadSetting
from affilka_core.fetch.pacing import DEFAULT_HOST_CONCURRENCY, HostPace, Pacer
from affilka_core.fetch.settings import FetchSettings


def _hammer(pace: HostPace, workers: int, hold: threading.Event, started: threading.Semaphore) -> list:
    def work():
        with pace.slot():
            started.release()
            hold.wait(5)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    return threads


def test_no_more_requests_than_the_limit_are_in_flight_at_once():
    pace, hold, started = HostPace(3), threading.Event(), threading.Semaphore(0)
    threads = _hammer(pace, 8, hold, started)
    for _ in range(3):
        assert started.acquire(timeout=5)
    assert not started.acquire(timeout=0.2)  # the fourth waits for a slot
    assert pace.in_flight == 3
    hold.set()
    for t in threads:
        t.join(5)
    assert pace.peak == 3 and pace.in_flight == 0


def test_a_429_halves_the_limit_and_successes_grow_it_back_slowly():
    pace = HostPace(8)
    pace.rate_limited(0)
    assert pace.limit == 4
    pace.rate_limited(0)
    assert pace.limit == 2
    for _ in range(2):
        pace.succeeded()
    assert pace.limit == 2  # +1/limit per success: about one slot per round of requests
    for _ in range(200):
        pace.succeeded()
    assert pace.limit == 8  # never above the maximum


def test_the_limit_never_falls_below_one():
    pace = HostPace(2)
    for _ in range(5):
        pace.rate_limited(0)
    assert pace.limit == 1


def test_a_429_pauses_every_caller_of_the_host_until_retry_after_has_passed():
    pace = HostPace(4)
    paused_at = time.monotonic()
    pace.rate_limited(0.3)
    entered: list[float] = []
    waits: list[float] = []

    def caller():
        with pace.slot(on_wait=waits.append):
            entered.append(time.monotonic())

    threads = [threading.Thread(target=caller) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(5)
    assert len(entered) == 3 and min(entered) >= paused_at + 0.3
    assert len(waits) == 3 and all(0 < w <= 0.3 for w in waits)


def test_a_wait_past_the_deadline_raises_timeout():
    pace = HostPace(1)
    pace.rate_limited(30)
    with pytest.raises(TimeoutError), pace.slot(deadline=time.monotonic() + 0.05):
        pass


def test_the_pacer_gives_one_pace_per_host_shared_by_every_caller():
    pacer = Pacer(limit=2)
    assert pacer.host("Primetime.Partners") is pacer.host("primetime.partners")
    assert pacer.host("primetime.partners") is not pacer.host("starzpartners.com")
    assert pacer.host("x.example").max_limit == 2


@pytest.mark.parametrize(("value", "expected"), [("6", 6), ("32", 32), ("", None), (None, None)])
def test_the_host_concurrency_comes_from_the_environment(value, expected):
    env = {} if value is None else {"AFFILKA_HOST_CONCURRENCY": value}
    assert FetchSettings.from_env(env).host_concurrency == (expected or DEFAULT_HOST_CONCURRENCY)


@pytest.mark.parametrize("value", ["0", "999", "many", "2.5"])
def test_a_host_concurrency_out_of_range_or_not_a_whole_number_fails_at_start(value):
    with pytest.raises(BadSetting, match=r"AFFILKA_HOST_CONCURRENCY is .*give requests from 1 to 32"):
        FetchSettings.from_env({"AFFILKA_HOST_CONCURRENCY": value})
