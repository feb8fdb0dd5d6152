"""One pace per Affilka host for the whole process.

The Streamlit server is one process that many people share, and they check offers on the same program
hosts. Every request to a host (single fetches, their pages, batch checks, every session) takes a slot
from that host's `HostPace`:

- at most `limit` requests at once (default 4, `FetchSettings.host_concurrency`);
- a 429 halves the limit and pauses every request to the host until its Retry-After has passed (`pause`
  says when it was asked for, how long, and when it ends, so nobody claims to have asked meanwhile);
- each success grows the limit back by 1/limit (about one slot per round of requests), so a host that
  rate-limits sees the doctor slow down at once and speed up slowly (additive increase, multiplicative
  decrease, as TCP does).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from affilka_core.budgets import HOST_CONCURRENCY, MAX_RETRY_AFTER

DEFAULT_HOST_CONCURRENCY = int(HOST_CONCURRENCY.default)
# A 429 without Retry-After pauses the host this long.
DEFAULT_PAUSE_S = 2.0

WaitCallback = Callable[[float], None]


class Cancelled(Exception):
    """A wait for a slot was given up because the caller's work was cancelled."""


@dataclass(frozen=True, slots=True)
class Pause:
    """A pause a host asked for with a 429: when (UTC), how many seconds, when it ends (UTC), and the
    seconds left now."""

    asked_at: dt.datetime
    asked_for: float
    until: dt.datetime
    left: float


class HostPace:
    """The pace of one host: a concurrency limit that adapts to 429s, and a pause shared by all."""

    def __init__(
        self,
        limit: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.max_limit = max(1, limit)
        self._limit = float(self.max_limit)
        self._in_flight = 0
        self._peak = 0
        self._paused_until = 0.0
        self._asked: tuple[float, float] | None = None  # (wall time of the 429, seconds it asked for)
        self._clock = clock
        self._wall = wall
        self._cond = threading.Condition()

    @property
    def limit(self) -> int:
        """Requests allowed at once now (at least 1)."""
        return max(1, int(self._limit))

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def peak(self) -> int:
        """The most requests that were ever in flight at once (for tests and the bench)."""
        return self._peak

    def pause_left(self) -> float:
        """Seconds until the host may be asked again (0 when not paused)."""
        with self._cond:
            return max(0.0, self._paused_until - self._clock())

    def pause(self) -> Pause | None:
        """The pause the host is in now, as the 429 that asked for it said it; None when not paused."""
        with self._cond:
            left = self._paused_until - self._clock()
            if left <= 0 or self._asked is None:
                return None
            at, seconds = self._asked
            now = self._wall()
        return Pause(
            asked_at=dt.datetime.fromtimestamp(at, dt.UTC),
            asked_for=seconds,
            until=dt.datetime.fromtimestamp(now + left, dt.UTC),
            left=left,
        )

    @contextmanager
    def slot(
        self,
        on_wait: WaitCallback | None = None,
        *,
        deadline: float | None = None,
        cancelled: threading.Event | None = None,
    ) -> Iterator[None]:
        """Hold one request slot for the host; waits while the host is paused or its limit is reached.

        `on_wait(seconds)` is called once per pause the host asked for, with the seconds left. With a
        `deadline` (on the same clock) a wait that would pass it raises `TimeoutError`; once `cancelled`
        is set (and `wake()` called) a waiting caller raises `Cancelled`."""
        with self._cond:
            told = 0.0
            while True:
                if cancelled is not None and cancelled.is_set():
                    raise Cancelled("the fetch was cancelled while waiting for the host")
                now = self._clock()
                pause = self._paused_until - now
                if pause <= 0 and self._in_flight < self.limit:
                    break
                if deadline is not None and now >= deadline:
                    raise TimeoutError("the host stayed busy or paused past the deadline")
                if pause > 0 and on_wait is not None and self._paused_until != told:
                    told = self._paused_until
                    on_wait(pause)
                timeout = pause if pause > 0 else None
                if deadline is not None:
                    timeout = min(timeout if timeout is not None else deadline - now, deadline - now)
                self._cond.wait(timeout)
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
        try:
            yield
        finally:
            with self._cond:
                self._in_flight -= 1
                self._cond.notify_all()

    def wake(self) -> None:
        """Wake every caller waiting for a slot, so those whose work was cancelled can give up."""
        with self._cond:
            self._cond.notify_all()

    def rate_limited(self, retry_after: float | None) -> float:
        """Record a 429: halve the limit and pause the host; returns the pause in seconds."""
        pause = min(retry_after if retry_after is not None else DEFAULT_PAUSE_S, MAX_RETRY_AFTER)
        with self._cond:
            self._limit = max(1.0, self._limit / 2)
            until = self._clock() + max(pause, 0.0)
            if until >= self._paused_until:
                self._paused_until = until
                self._asked = (self._wall(), max(pause, 0.0))
            self._cond.notify_all()
        return pause

    def succeeded(self) -> None:
        """Record an answered request: grow the limit back by 1/limit, up to the maximum."""
        with self._cond:
            if self._limit < self.max_limit:
                self._limit = min(float(self.max_limit), self._limit + 1.0 / self._limit)
                self._cond.notify_all()


class Pacer:
    """The hosts' paces, one per host name and port, created on first use."""

    def __init__(self, limit: int | None = None) -> None:
        self._limit = limit
        self._hosts: dict[str, HostPace] = {}
        self._lock = threading.Lock()

    def host(self, netloc: str, limit: int = DEFAULT_HOST_CONCURRENCY) -> HostPace:
        """The pace of `netloc` (host[:port], case-insensitive), made on first use with `limit` requests at
        once (this pacer's own limit, when it was given one)."""
        key = netloc.lower()
        with self._lock:
            pace = self._hosts.get(key)
            if pace is None:
                pace = self._hosts[key] = HostPace(self._limit if self._limit is not None else limit)
            return pace


# The process-wide pacer every fetch and batch shares.
PACER = Pacer()
