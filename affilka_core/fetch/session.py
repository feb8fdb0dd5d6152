"""The HTTP sessions the fetcher uses: the address guard mounted, no proxies, our User-Agent, retries
of failed connections, and a log filter that masks tokens.

Statuses (429, 502/503/504) are retried by `page_request`, through the host's pace, not here: a 429
must pause every request to the host, not only the one that got it.
"""

from __future__ import annotations

import logging
import threading
from types import TracebackType
from typing import TYPE_CHECKING, Self

import requests
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from affilka_core.fetch.address_guard import GuardedAdapter
from affilka_core.fetch.deadline import current_watch
from affilka_core.url.masking import mask_url

if TYPE_CHECKING:
    from urllib3.connectionpool import ConnectionPool
    from urllib3.response import BaseHTTPResponse

    from affilka_core.fetch.settings import FetchSettings

__all__ = ["USER_AGENT", "DeadlineRetry", "RedactingFilter", "SessionPerThread", "make_session"]

USER_AGENT = "affilka-url-doctor/0.1 (CasinoFlux Affilka URL check; +https://casinoflux.com)"


class RedactingFilter(logging.Filter):
    """Masks tokens in log records (urllib3 logs request lines, query string included)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is not ours to fix
            return True
        record.msg, record.args = mask_url(message), ()
        return True


_FILTER = RedactingFilter()
for _name in (
    "urllib3",
    "urllib3.connectionpool",
    "urllib3.connection",
    "urllib3.util.retry",
    "affilka_core",
):
    logging.getLogger(_name).addFilter(_FILTER)


class _Session(requests.Session):
    """A session that never reads a redirect's Location itself: `page_request` does, with the guard's
    parser. (requests reads it even with `allow_redirects=False`, and raises on a malformed one.)"""

    def get_redirect_target(self, resp: requests.Response) -> None:
        return None


class DeadlineRetry(Retry):
    """urllib3's retries of a failed connection or read, within the page deadline (`deadline.Watch`): a
    connection the watch cut is not tried again, nor one whose backoff would outlast the time left, and a
    backoff ends when the watch does (a fetch stopped at the report's deadline). Without a watch it is
    urllib3's `Retry`."""

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        retry = super().increment(method, url, response, error, _pool, _stacktrace)
        watch = current_watch()
        if watch is not None and (watch.time_left() <= 0 or retry.get_backoff_time() >= watch.time_left()):
            raise MaxRetryError(_pool, url or "", error) from error  # type: ignore[arg-type]
        return retry

    def _sleep_backoff(self) -> None:
        watch = current_watch()
        if watch is None:
            super()._sleep_backoff()
        elif watch.wait(self.get_backoff_time()):
            raise MaxRetryError(None, "", None)  # type: ignore[arg-type]  # the watch ended meanwhile


def make_session(settings: FetchSettings, *, pool_maxsize: int = 1) -> requests.Session:
    """A session with the address guard, our User-Agent and retries of failed connections; no redirects
    followed and no status retried (`page_request` does that, paced per host).

    A session serves one thread at a time, so one connection per host is all its pool needs."""
    retry = DeadlineRetry(
        total=settings.retries,
        connect=settings.retries,
        read=settings.retries,
        status=0,
        redirect=0,
        allowed_methods=frozenset({"GET"}),
        backoff_factor=settings.backoff,
        backoff_max=settings.backoff_max,
        raise_on_status=False,
        raise_on_redirect=False,
    )
    session = _Session()
    session.trust_env = False  # a proxy from the environment would bypass the address guard
    adapter = GuardedAdapter(
        settings.allow_private_hosts, max_retries=retry, pool_connections=2, pool_maxsize=pool_maxsize
    )
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


class SessionPerThread:
    """One `make_session` per thread that asks, all closed together by `close()`.

    requests does not promise a `Session` is safe to share across threads (its cookie jar and adapters
    are mutated per request), so each fetch worker keeps its own, with the same guard and settings.
    """

    def __init__(self, settings: FetchSettings) -> None:
        self._settings = settings
        self._local = threading.local()
        self._lock = threading.Lock()
        self._sessions: list[requests.Session] = []

    def get(self) -> requests.Session:
        """The calling thread's session, made on its first call."""
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = make_session(self._settings)
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        """Close every session made so far (their threads must be done with them)."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()
