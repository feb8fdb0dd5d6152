"""What the mock's report endpoint saw: every report request's arrival and completion (time.monotonic()),
the page it asked for and how many report requests were in flight; and a gate that holds them in flight.

Tests of a client's pacing read these server-side facts instead of timing the client.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """One report request as the server saw it; times are `time.monotonic()` seconds in the server's
    process (the test's own, for an in-process mock)."""

    number: int  # 1 for the first report request the server received, and so on
    page: int | None  # the `page` asked for (1 when absent), None when it is not a whole number
    arrived: float
    completed: float  # just before the answer went out: the client cannot have it earlier
    in_flight: int  # report requests in flight when this one arrived, itself included
    status: int  # the HTTP status answered; 0 if none was sent


class Traffic:
    """Thread-safe account of report requests: arrivals, what is in flight, completed records, the gate."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._arrivals = 0
        self._in_flight = 0
        self._max_in_flight = 0
        self._per_page: dict[int | None, int] = {}
        self._log: list[ReportRequest] = []
        self._open = threading.Event()
        self._open.set()

    def arrive(self, page: int | None) -> tuple[int, int, float, int]:
        """Count a report request in: its number, its number among requests for `page`, its arrival
        time and the requests in flight now (itself included)."""
        with self._changed:
            arrived = time.monotonic()
            self._arrivals += 1
            self._per_page[page] = self._per_page.get(page, 0) + 1
            self._in_flight += 1
            self._max_in_flight = max(self._max_in_flight, self._in_flight)
            self._changed.notify_all()
            return self._arrivals, self._per_page[page], arrived, self._in_flight

    def complete(self, number: int, page: int | None, arrived: float, in_flight: int, status: int) -> None:
        """Count a report request out and record it."""
        with self._changed:
            record = ReportRequest(number, page, arrived, time.monotonic(), in_flight, status)
            self._in_flight -= 1
            self._log.append(record)
            self._changed.notify_all()

    def pass_gate(self) -> None:
        """Wait while the gate is held."""
        self._open.wait()

    def hold(self) -> None:
        """Hold report requests that arrive from now on in flight until `release()`."""
        self._open.clear()

    def release(self) -> None:
        """Let held report requests, and those to come, be answered."""
        self._open.set()

    def wait_until(self, condition: Callable[[Traffic], bool], timeout: float) -> bool:
        """Block until `condition(self)` holds (re-checked at every arrival and completion) or `timeout`
        seconds pass; whether it holds."""
        with self._changed:
            return self._changed.wait_for(lambda: condition(self), timeout)

    @property
    def arrivals(self) -> int:
        with self._changed:
            return self._arrivals

    @property
    def in_flight(self) -> int:
        with self._changed:
            return self._in_flight

    @property
    def max_in_flight(self) -> int:
        with self._changed:
            return self._max_in_flight

    @property
    def log(self) -> list[ReportRequest]:
        """Completed report requests, in order of arrival: a snapshot."""
        with self._changed:
            return sorted(self._log, key=lambda r: r.number)
