"""A deadline per page that holds while bytes trickle: a watchdog shuts the connection when it passes.

A socket timeout bounds each read, not their sum, so a server sending one byte a second never trips it.
Each attempt at a page therefore runs inside a `Watch`: the connections the attempt opens or reuses
register their sockets with it (the guarded connection class in `address_guard` does, in the thread
that makes the request), and when the time is up the watch shuts those sockets down. The blocked read
returns at once and the attempt fails; the caller sees `watch.expired` and reports a timeout.

A cut is final: urllib3 retries a failed read or connection (`session.DeadlineRetry`), but never once the
watch has ended, and never with a backoff that would outlast it (`time_left`, `wait`).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from types import TracebackType

__all__ = ["Watch", "current_watch", "watch_socket"]

_CURRENT = threading.local()


def _shut(sock: socket.socket) -> None:
    # The plain socket's shutdown, also for a TLS socket: it wakes a blocked read in another thread
    # without touching the TLS state that thread is using.
    with contextlib.suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class Watch:
    """Shuts the registered sockets down `seconds` after entering, unless left first.

    `expire()` ends it early (a cancelled fetch); `expired` says whether it ended one way or the other."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._ended = threading.Event()
        self._started = time.monotonic()
        self._timer = threading.Timer(max(seconds, 0.0), self.expire)
        self._timer.daemon = True

    def add(self, sock: socket.socket) -> None:
        """Watch one more socket (shut at once when the time is already up)."""
        with self._lock:
            self._sockets.append(sock)
            late = self.expired
        if late:
            _shut(sock)

    def expire(self) -> None:
        """End the watch now: shut down every socket registered so far, and any registered later."""
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        self._ended.set()
        for sock in sockets:
            _shut(sock)

    def time_left(self) -> float:
        """Seconds until the watch ends (0 once it has ended, however it ended)."""
        if self.expired:
            return 0.0
        return max(0.0, self.seconds - (time.monotonic() - self._started))

    def wait(self, seconds: float) -> bool:
        """Sleep `seconds`, or until the watch ends if sooner; True when it has ended."""
        return self._ended.wait(max(seconds, 0.0))

    def __enter__(self) -> Watch:
        _CURRENT.watch = self
        self._started = time.monotonic()
        self._timer.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._timer.cancel()
        _CURRENT.watch = None
        with self._lock:
            self._sockets.clear()


def current_watch() -> Watch | None:
    """The calling thread's current watch, if it is inside one."""
    return getattr(_CURRENT, "watch", None)


def watch_socket(sock: socket.socket | None) -> None:
    """Register a socket with the calling thread's current watch, if there is one."""
    watch: Watch | None = getattr(_CURRENT, "watch", None)
    if watch is not None and sock is not None:
        watch.add(sock)
