"""Fetching a report over HTTP, safely: the URL comes from a user, the body from a stranger.

- Only public addresses (`address_guard`): every connection (redirects and retries included) is
  checked after DNS resolution, so a host that resolves to a private, loopback, link-local or
  metadata address is refused even if its name looks public. `AFFILKA_ALLOW_PRIVATE_HOSTS` lists
  `host[:port]` exceptions (the mock server in tests and demos); those may also use http.
- Retries with urllib3's `Retry` on 429/502/503/504, honouring a bounded `Retry-After`.
- Connect and read timeouts, plus a deadline per page, so a trickling server cannot hang a call.
- The body is streamed and cut at `AFFILKA_MAX_BYTES` (default 50 MB).
- Redirects are never followed blindly: a sign-in page means the token is bad; other redirects are
  followed only to the same host, through the same guard.
- Pages 2..N are fetched concurrently (bounded) and returned in page order, each worker thread with a
  session of its own: requests does not promise that one session is safe to share across threads.
The token never appears in an exception, a log record or a returned string.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from urllib3.util.retry import Retry

from .address_guard import GuardedAdapter, allowed, check_host, env_hosts, is_public_address
from .decode import total_pages
from .errors import (
    AffilkaError,
    BlockedAddress,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    NotFound,
    NotJSON,
    RateLimited,
    Rejected,
    ServerError,
    TooLarge,
    Unauthorized,
)
from .url import AffilkaUrl, mask_url, parse_url, with_page

log = logging.getLogger(__name__)

USER_AGENT = "affilka-url-doctor/0.1 (CasinoFlux Affilka URL check; +https://casinoflux.com)"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
RETRY_STATUSES = (429, 502, 503, 504)
RETRY_AFTER_MAX = 10.0
_SIGN_IN_HINTS = ("sign_in", "signin", "sign-in", "login", "log_in", "/session", "/auth")
_CHUNK = 256 * 1024


def _env_max_bytes() -> int:
    try:
        return max(1, int(os.environ.get("AFFILKA_MAX_BYTES", DEFAULT_MAX_BYTES)))
    except ValueError:
        return DEFAULT_MAX_BYTES


@dataclass(frozen=True)
class FetchSettings:
    """How a fetch behaves. Defaults read `AFFILKA_MAX_BYTES` and `AFFILKA_ALLOW_PRIVATE_HOSTS`."""

    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    page_deadline: float = 120.0
    max_bytes: int = field(default_factory=_env_max_bytes)
    retries: int = 3
    backoff: float = 0.5
    backoff_max: float = 8.0
    concurrency: int = 4
    prefetch: bool = True
    max_pages: int = 1000
    max_redirects: int = 3
    allow_private_hosts: frozenset[str] = field(default_factory=env_hosts)


@dataclass(frozen=True)
class FetchedReport:
    """Every page of a report, raw, in page order. `url` is masked."""

    url: str
    pages: tuple[bytes, ...]
    total_pages: int
    seconds: float

    @property
    def size(self) -> int:
        """Bytes received over all pages."""
        return sum(len(p) for p in self.pages)


ProgressCallback = Callable[[int, int], None]


class _Retry(Retry):
    """A Retry whose `Retry-After` wait is bounded: a server asking for an hour gets seconds."""

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), RETRY_AFTER_MAX)


# --- the token never reaches a log record --------------------------------------------------------


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


# --- one page ------------------------------------------------------------------------------------


def make_session(settings: FetchSettings, *, pool_maxsize: int = 1) -> requests.Session:
    """A session with retries, the address guard and our User-Agent; no redirects followed.

    A session serves one thread at a time, so one connection per host is all its pool needs."""
    retry = _Retry(
        total=settings.retries,
        connect=settings.retries,
        read=settings.retries,
        status=settings.retries,
        redirect=0,
        status_forcelist=RETRY_STATUSES,
        allowed_methods=frozenset({"GET"}),
        backoff_factor=settings.backoff,
        backoff_max=settings.backoff_max,
        respect_retry_after_header=True,
        raise_on_status=False,
        raise_on_redirect=False,
    )
    session = requests.Session()
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


def _is_sign_in_location(location: str) -> bool:
    return any(hint in location.lower() for hint in _SIGN_IN_HINTS)


def _is_sign_in_page(html: str) -> bool:
    # A password field or a form posting to a sign-in path; a mere "Login" link in a header is not one.
    text = html.lower()
    has_password = 'type="password"' in text or "type='password'" in text or "type=password" in text
    posts_sign_in = bool(re.search(r"<form[^>]+action=[\"']?[^\"'>]*(sign_in|signin|login|session)", text))
    return has_password or posts_sign_in


def _read_body(response: requests.Response, settings: FetchSettings, masked: str, started: float) -> bytes:
    length = response.headers.get("Content-Length")
    if length and length.isdigit() and int(length) > settings.max_bytes:
        raise TooLarge(
            f"The report is {int(length) / 1e6:.1f} MB, over the {settings.max_bytes / 1e6:.1f} MB cap.",
            url=masked,
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > settings.max_bytes:
            raise TooLarge(f"The report passed the {settings.max_bytes / 1e6:.1f} MB cap.", url=masked)
        if time.monotonic() - started > settings.page_deadline:
            raise FetchTimeout(f"The page took over {settings.page_deadline:.0f} s to arrive.", url=masked)
        chunks.append(chunk)
    return b"".join(chunks)


def _check_status(response: requests.Response, masked: str) -> None:
    status = response.status_code
    if status in (401, 403):
        raise Unauthorized(f"Affilka answered {status}: the token was refused.", url=masked, status=status)
    if status == 404:
        raise NotFound("Affilka answered 404: nothing at this address.", url=masked, status=status)
    if status == 429:
        raise RateLimited(
            "Affilka answered 429 Too Many Requests, still after retrying.", url=masked, status=429
        )
    if status >= 500:
        raise ServerError(f"Affilka answered {status}, still after retrying.", url=masked, status=status)
    if status >= 400:
        raise Rejected(f"Affilka answered {status}: it rejected the request.", url=masked, status=status)


def _classify_body(body: bytes, content_type: str, masked: str) -> bytes:
    head = body[:2048].lstrip().lower()
    if "html" in content_type or head.startswith(b"<"):
        if _is_sign_in_page(body[:65536].decode("utf-8", "replace")):
            raise Unauthorized("Affilka answered with a sign-in page: the token was refused.", url=masked)
        raise NotJSON("Affilka answered with a web page (HTML), not a JSON report.", url=masked)
    if not head:
        raise NotJSON("Affilka answered with an empty body, not a JSON report.", url=masked)
    return body


def fetch_page(session: requests.Session, url: str, settings: FetchSettings) -> bytes:
    """GET one page: guard the host, follow only safe redirects, cap the size, classify failures.

    Returns the raw body; raises a `FetchError` subclass with a masked message.
    """
    current = url
    for _ in range(settings.max_redirects + 1):
        parts = urlsplit(current)
        masked = mask_url(current)
        if parts.scheme == "http" and not allowed(
            parts.hostname or "", parts.port, settings.allow_private_hosts
        ):
            raise BlockedAddress("Only https URLs are fetched.", url=masked)
        check_host(parts.hostname or "", parts.port, settings.allow_private_hosts)
        started = time.monotonic()
        try:
            response = session.get(
                current,
                timeout=(settings.connect_timeout, settings.read_timeout),
                allow_redirects=False,
                stream=True,
            )
        except AffilkaError:
            raise
        except requests.exceptions.RequestException as exc:
            raise _failure(exc, masked) from None
        with response:
            if response.is_redirect:
                location = response.headers.get("Location", "")
                target = urljoin(current, location)
                if _is_sign_in_location(location):
                    raise Unauthorized(
                        "Affilka redirected to its sign-in page: the token was refused.",
                        url=masked,
                        status=302,
                    )
                target_parts = urlsplit(target)
                same_host = (target_parts.hostname or "").lower() == (parts.hostname or "").lower()
                if not same_host:
                    raise ConnectionFailed(
                        f"Affilka redirected to another host ({target_parts.hostname}); not followed.",
                        url=masked,
                        status=response.status_code,
                    )
                current = target
                continue
            _check_status(response, masked)
            try:
                body = _read_body(response, settings, masked, started)
            except requests.exceptions.RequestException as exc:
                raise _failure(exc, masked) from None
            return _classify_body(body, response.headers.get("Content-Type", ""), masked)
    raise ConnectionFailed(f"More than {settings.max_redirects} redirects.", url=mask_url(url))


def _root_cause(exc: BaseException) -> BaseException:
    """requests wraps urllib3's MaxRetryError, which wraps the real reason; dig it out."""
    current = exc
    for _ in range(8):
        inner = getattr(current, "reason", None)
        if (
            not isinstance(inner, BaseException)
            and current.args
            and isinstance(current.args[0], BaseException)
        ):
            inner = current.args[0]
        if not isinstance(inner, BaseException) or inner is current:
            break
        current = inner
    return current


def _failure(exc: requests.exceptions.RequestException, masked: str) -> FetchError:
    """The FetchError for a transport failure, with a short message that never quotes the URL."""
    cause = _root_cause(exc)
    text = str(cause).lower()
    # NewConnectionError subclasses ConnectTimeoutError in urllib3 2: test it before timeouts.
    if isinstance(cause, urllib3.exceptions.NameResolutionError):
        return ConnectionFailed("The host name does not resolve.", url=masked)
    if isinstance(cause, urllib3.exceptions.NewConnectionError) and "timed out" not in text:
        return ConnectionFailed("The host refused the connection or cannot be reached.", url=masked)
    if isinstance(exc, requests.exceptions.Timeout) or isinstance(
        cause, TimeoutError | socket.timeout | urllib3.exceptions.TimeoutError
    ):
        return FetchTimeout("No answer in time.", url=masked)
    if isinstance(exc, requests.exceptions.SSLError) or isinstance(cause, urllib3.exceptions.SSLError):
        return ConnectionFailed("The secure (TLS) connection failed: certificate or TLS setup.", url=masked)
    if "refused" in text:
        return ConnectionFailed("The host refused the connection.", url=masked)
    if "broken" in text or "reset" in text or "incomplete" in text or "aborted" in text:
        return ConnectionFailed("The connection broke mid-answer.", url=masked)
    return ConnectionFailed(f"Could not connect ({type(cause).__name__}).", url=masked)


# --- a whole report ------------------------------------------------------------------------------


def fetch_report(
    url: str | AffilkaUrl,
    *,
    settings: FetchSettings | None = None,
    on_progress: ProgressCallback | None = None,
) -> FetchedReport:
    """Fetch every page of a report, at most `settings.concurrency` requests at a time, in page order.

    Page 1 says how many pages there are. So that knowing it does not cost a round trip on its own,
    pages 2..concurrency are asked for alongside it (`settings.prefetch`); those past the last page are
    dropped and their failures ignored. `on_progress(done, total)` is called after each page. Raises a
    `FetchError` subclass, or `NotJSON`/`ReportFormatError` when page 1 is not a report.
    """
    settings = settings or FetchSettings()
    parsed = url if isinstance(url, AffilkaUrl) else parse_url(url)
    workers = max(1, settings.concurrency)
    started = time.monotonic()
    log.info("fetching %s", parsed.masked())
    sessions = SessionPerThread(settings)
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="affilka-fetch")
    futures: dict[Future[bytes], int] = {}

    def fetch(page: int) -> bytes:
        return fetch_page(sessions.get(), with_page(parsed, page), settings)

    try:

        def submit(page: int) -> None:
            futures[pool.submit(fetch, page)] = page

        for page in range(1, (workers if settings.prefetch else 1) + 1):
            submit(page)
        first_future = next(iter(futures))
        first = first_future.result()
        pages_total = max(1, min(total_pages(first), settings.max_pages))
        if on_progress:
            on_progress(1, pages_total)
        for future, page in list(futures.items()):
            if page == 1 or page > pages_total:
                future.cancel()
                del futures[future]
        for page in range(len(futures) + 2, pages_total + 1):
            submit(page)
        rest: dict[int, bytes] = {}
        for future in as_completed(futures):
            rest[futures[future]] = future.result()
            if on_progress:
                on_progress(1 + len(rest), pages_total)
    finally:
        # Nothing outlives the call: queued pages are cancelled, those in flight (at most the
        # speculative ones past the end, answered in page 1's round trip) are waited for.
        pool.shutdown(wait=True, cancel_futures=True)
        sessions.close()
    pages = [first, *(rest[p] for p in sorted(rest))]
    seconds = time.monotonic() - started
    log.info("fetched %d page(s), %d bytes in %.2f s", pages_total, sum(map(len, pages)), seconds)
    return FetchedReport(parsed.masked(), tuple(pages), pages_total, seconds)


__all__ = [
    "DEFAULT_MAX_BYTES",
    "FetchError",
    "FetchSettings",
    "FetchedReport",
    "RedactingFilter",
    "SessionPerThread",
    "check_host",
    "fetch_page",
    "fetch_report",
    "is_public_address",
    "make_session",
]
