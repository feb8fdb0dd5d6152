"""One page of a report over HTTP: paced per host, retried, redirected safely, bounded, classified.

- The URL is read once (`address_guard.parse_target`) and the guard checks that reading; redirects are
  followed only to the same host and port, through the same guard, and a sign-in redirect means the
  token is bad.
- Every attempt takes a slot from the host's pace. A 429 pauses the whole host for its Retry-After
  (and halves its concurrency); the retry then waits on that pause like every other request to the
  host. 502/503/504 are retried after a backoff (or their Retry-After). A wait longer than
  `max_retry_wait` is not made: the error carries `retry_after` instead.
- Each attempt runs under a `deadline.Watch`, so a trickling server cannot hold it past
  `page_deadline`; the body is capped per page (`max_bytes`) and across the report (`ReportBudget`).
- Any transport failure, malformed header or unreadable address becomes a `FetchError` subclass whose
  message never quotes the token.
"""

from __future__ import annotations

import email.utils
import http.client
import re
import socket
import threading
import time
from collections.abc import Callable
from typing import TypedDict
from urllib.parse import urljoin

import requests
import urllib3

from affilka_core.budgets import MAX_RETRY_AFTER
from affilka_core.errors import (
    AffilkaError,
    BadRedirect,
    BlockedAddress,
    ConnectionBroken,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    NotAskedAgain,
    NotFound,
    NotJSON,
    RateLimited,
    RedirectedToOtherHost,
    Rejected,
    ServerError,
    TLSFailed,
    TooLarge,
    Unauthorized,
)
from affilka_core.fetch.address_guard import Target, check_host, parse_target
from affilka_core.fetch.deadline import Watch
from affilka_core.fetch.pacing import Cancelled, HostPace, Pause
from affilka_core.fetch.settings import FetchSettings
from affilka_core.report.decode import affilka_error_message
from affilka_core.text import clock_time, megabytes
from affilka_core.url.allow_list import allowed
from affilka_core.url.masking import mask_url

__all__ = ["Abort", "ReportBudget", "WaitCallback", "fetch_page", "host_pause", "not_asked_again"]

WaitCallback = Callable[[float, str, int, int], None]
"""`on_wait(seconds, reason, attempt, attempts)`: a wait the host caused (see `fetch_page`)."""

RETRY_STATUSES = (502, 503, 504)
_SIGN_IN_HINTS = ("sign_in", "signin", "sign-in", "login", "log_in", "/session", "/auth")
_CHUNK = 256 * 1024
_ERROR_BODY_BYTES = 64 * 1024
# Everything a request, its answer's headers or its body can raise besides our own errors.
_TRANSPORT_ERRORS = (
    requests.exceptions.RequestException,
    urllib3.exceptions.HTTPError,
    http.client.HTTPException,
    OSError,
    ValueError,
)


class ReportBudget:
    """The bytes all pages of one report may take together, after decompression (thread-safe)."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.used = 0
        self._lock = threading.Lock()

    def take(self, size: int, masked: str) -> None:
        """Count `size` more bytes; raise `TooLarge` once the report passes the cap."""
        with self._lock:
            self.used += size
            over = self.used > self.cap
        if over:
            raise TooLarge(
                f"The report passed the {megabytes(self.cap)} cap across its pages: narrow the date "
                "range (from/to) and export again.",
                url=masked,
            )


class Abort:
    """Shared by the pages of one fetch: once `set()`, pages waiting for their host give up and the
    connections of those in flight are cut."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self._lock = threading.Lock()
        self._watches: set[Watch] = set()
        self._paces: set[HostPace] = set()

    def set(self) -> None:
        """Stop every page of the fetch."""
        self.event.set()
        with self._lock:
            watches, paces = list(self._watches), list(self._paces)
        for watch in watches:
            watch.expire()
        for pace in paces:
            pace.wake()

    def _add(self, item: Watch | HostPace) -> None:
        with self._lock:
            (self._watches if isinstance(item, Watch) else self._paces).add(item)  # type: ignore[arg-type]
        if self.event.is_set():
            self.set()

    def _discard(self, watch: Watch) -> None:
        with self._lock:
            self._watches.discard(watch)


def _pace(target: Target, settings: FetchSettings) -> HostPace:
    """The pace of the host a target connects to (one per host and port)."""
    return settings.pace(f"{target.host}:{target.effective_port}")


def host_pause(url: str, settings: FetchSettings) -> Pause | None:
    """The pause the host of `url` is in now (a 429 asked every request to it to wait), or None."""
    try:
        return _pace(parse_target(url), settings).pause()
    except FetchError:
        return None


def not_asked_again(pause: Pause, masked: str = "") -> NotAskedAgain:
    """The failure of a request not sent because its host is still in the pause a 429 asked for."""
    return NotAskedAgain(
        f"Not asked again: at {clock_time(pause.asked_at)} Affilka asked to wait {pause.asked_for:.0f} s "
        "(429 Too Many Requests), and that pause is not over.",
        url=masked,
        asked_at=pause.asked_at,
        asked_for=pause.asked_for,
        until=pause.until,
        retry_after=pause.left,
    )


def fetch_page(
    session: requests.Session,
    url: str,
    settings: FetchSettings,
    *,
    on_wait: WaitCallback | None = None,
    budget: ReportBudget | None = None,
    abort: Abort | None = None,
) -> bytes:
    """GET one page, paced and retried; returns the raw body or raises a `FetchError` subclass.

    `on_wait(seconds, reason, attempt, attempts)` is called (in this thread) before each wait the host
    causes: `reason` is the status ("429", "503", ...), `attempt` the retry about to be made (1 to
    `attempts`), or 0 when this request waits on a pause another request's 429 caused.
    """
    masked = mask_url(url)
    try:
        target = parse_target(url)
    except FetchError as exc:
        exc.url = masked
        raise
    pace = _pace(target, settings)
    abort = abort or Abort()
    abort._add(pace)
    attempts = max(0, settings.retries)
    retry = 0
    while True:
        if abort.event.is_set():  # the report's deadline passed (or the fetch was stopped): no retry
            raise ConnectionFailed("The fetch was stopped.", url=masked)
        pause = pace.pause()
        if pause is not None and pause.left > settings.max_retry_wait:
            # A 429 asked for a long wait: honour it without queueing, and say no request was sent.
            raise not_asked_again(pause, masked)

        def told(seconds: float, attempt: int = retry) -> None:
            if on_wait is not None:
                on_wait(seconds, "429", attempt, attempts)

        try:
            with pace.slot(on_wait=told, cancelled=abort.event):
                body = _follow(session, target, settings, budget, abort)
        except Cancelled:
            raise ConnectionFailed("The fetch was stopped.", url=masked) from None
        except RateLimited as exc:
            pace.rate_limited(exc.retry_after)
            if exc.retry_after is not None and exc.retry_after > settings.max_retry_wait:
                raise RateLimited(
                    f"Affilka answered 429 Too Many Requests and asked to wait {_asked(exc.retry_after)}.",
                    url=masked,
                    status=429,
                    retry_after=exc.retry_after,
                    affilka_message=exc.affilka_message,
                ) from None
            if retry >= attempts:
                raise
            retry += 1  # the next slot waits out the host's pause, and says so through `told`
        except ServerError as exc:
            if exc.status not in RETRY_STATUSES or retry >= attempts:
                raise
            if exc.retry_after is not None and exc.retry_after > settings.max_retry_wait:
                raise
            retry += 1
            wait = exc.retry_after
            if wait is None:
                wait = min(settings.backoff * 2 ** (retry - 1), settings.backoff_max)
            if on_wait is not None:
                on_wait(wait, str(exc.status), retry, attempts)
            if abort.event.wait(wait):
                raise ConnectionFailed("The fetch was stopped.", url=masked) from None
        else:
            pace.succeeded()
            return body


def _follow(
    session: requests.Session,
    target: Target,
    settings: FetchSettings,
    budget: ReportBudget | None,
    abort: Abort,
) -> bytes:
    """One attempt: the request, and same-host redirects, each under the page deadline."""
    for _ in range(settings.max_redirects + 1):
        masked = mask_url(target.url)
        if target.scheme == "http" and not allowed(target.host, target.port, settings.allow_private_hosts):
            raise BlockedAddress("Only https URLs are fetched.", url=masked)
        check_host(target.host, target.port, settings.allow_private_hosts)
        watch = Watch(settings.page_deadline)
        abort._add(watch)
        try:
            with watch:
                try:
                    response = session.get(
                        target.url,
                        timeout=(settings.connect_timeout, settings.read_timeout),
                        allow_redirects=False,
                        stream=True,
                    )
                    with response:
                        if response.is_redirect:
                            target = _redirect_target(target, response, masked)
                            continue
                        body = _answer(response, settings, budget, masked)
                except AffilkaError:
                    if watch.expired:
                        raise _timeout(settings, masked) from None
                    raise
                except _TRANSPORT_ERRORS as exc:
                    if watch.expired:
                        raise _timeout(settings, masked) from None
                    raise _failure(exc, masked) from None
                if watch.expired:  # the body ended because the watch cut it
                    raise _timeout(settings, masked)
                return body
        finally:
            abort._discard(watch)
    raise BadRedirect(f"More than {settings.max_redirects} redirects.", url=mask_url(target.url))


def _timeout(settings: FetchSettings, masked: str) -> FetchTimeout:
    return FetchTimeout(
        f"The page took over {settings.page_deadline:g} s to arrive (AFFILKA_PAGE_DEADLINE).", url=masked
    )


# --- redirects -----------------------------------------------------------------------------------


def _is_sign_in_location(location: str) -> bool:
    return any(hint in location.lower() for hint in _SIGN_IN_HINTS)


def _redirect_target(current: Target, response: requests.Response, masked: str) -> Target:
    """Where a redirect leads, read by the same parser; only the same host and port are followed."""
    location = response.headers.get("Location", "")
    status = response.status_code
    if _is_sign_in_location(location):
        raise Unauthorized(
            "Affilka redirected to its sign-in page: the token was refused.", url=masked, status=status
        )
    try:
        target = parse_target(urljoin(current.url, location.strip()))
    except (ValueError, ConnectionFailed) as exc:
        reason = str(exc) if isinstance(exc, ConnectionFailed) else "The address cannot be read."
        raise BadRedirect(
            f"Affilka redirected to an unusable address, not followed. {reason}", url=masked, status=status
        ) from None
    upgrade = current.scheme == "http" and target.scheme == "https" and not (current.port or target.port)
    same_port = target.effective_port == current.effective_port or upgrade
    if target.host != current.host or not same_port:
        raise RedirectedToOtherHost(
            f"Affilka redirected to another host or port ({mask_url(target.host)}:"
            f"{target.effective_port}); not followed.",
            url=masked,
            status=status,
        )
    return target


# --- answers -------------------------------------------------------------------------------------


def _answer(
    response: requests.Response, settings: FetchSettings, budget: ReportBudget | None, masked: str
) -> bytes:
    status = response.status_code
    if status >= 400:
        body = _read_some(response, _ERROR_BODY_BYTES)
        _raise_for_status(response, masked, affilka_error_message(body))
    body = _read_body(response, settings, budget, masked)
    return _classify_body(body, response.headers.get("Content-Type", ""), masked)


def _read_some(response: requests.Response, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit:
            break
    return b"".join(chunks)[:limit]


def _read_body(
    response: requests.Response, settings: FetchSettings, budget: ReportBudget | None, masked: str
) -> bytes:
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > settings.max_bytes:
        raise TooLarge(
            f"The report is {megabytes(int(length))}, over the {megabytes(settings.max_bytes)} cap.",
            url=masked,
        )
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):  # decompressed: the caps count what memory holds
        size += len(chunk)
        if size > settings.max_bytes:
            raise TooLarge(f"The report passed the {megabytes(settings.max_bytes)} cap.", url=masked)
        if budget is not None:
            budget.take(len(chunk), masked)
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after_seconds(value: str | None) -> float | None:
    """A `Retry-After` header in seconds (a number or an HTTP date), or None when absent or unreadable;
    at most `MAX_RETRY_AFTER`, clamped before any arithmetic (400 digits are not infinity)."""
    if not value:
        return None
    text = value.strip()
    if re.fullmatch(r"\d+(\.\d+)?", text):
        whole = text.split(".")[0].lstrip("0")
        # Compared as digits first: float() of 400 digits is infinity, int() of 5,000 refuses.
        return MAX_RETRY_AFTER if len(whole) > 6 else min(float(text), MAX_RETRY_AFTER)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return min(max(0.0, when.timestamp() - time.time()), MAX_RETRY_AFTER)


def _asked(seconds: float) -> str:
    """A wait Affilka asked for, as a message says it: "45 s", or "an hour or more" when clamped."""
    return "an hour or more" if seconds >= MAX_RETRY_AFTER else f"{seconds:.0f} s"


class _StatusFields(TypedDict):
    """What every `FetchError` raised for an HTTP status carries (its keyword arguments)."""

    url: str
    status: int
    affilka_message: str | None


def _raise_for_status(response: requests.Response, masked: str, message: str | None) -> None:
    status = response.status_code
    extra: _StatusFields = {"url": masked, "status": status, "affilka_message": message}
    if status in (401, 403):
        raise Unauthorized(f"Affilka answered {status}: the token was refused.", **extra)
    if status == 404:
        raise NotFound("Affilka answered 404: nothing at this address.", **extra)
    retry_after = retry_after_seconds(response.headers.get("Retry-After"))
    if status == 429:
        raise RateLimited(
            "Affilka answered 429 Too Many Requests, still after retrying.",
            retry_after=retry_after,
            **extra,
        )
    if status >= 500:
        raise ServerError(
            f"Affilka answered {status}, still after retrying.", retry_after=retry_after, **extra
        )
    raise Rejected(f"Affilka answered {status}: it rejected the request.", **extra)


def _is_sign_in_page(html: str) -> bool:
    # A password field or a form posting to a sign-in path; a mere "Login" link in a header is not one.
    text = html.lower()
    has_password = 'type="password"' in text or "type='password'" in text or "type=password" in text
    posts_sign_in = bool(re.search(r"<form[^>]+action=[\"']?[^\"'>]*(sign_in|signin|login|session)", text))
    return has_password or posts_sign_in


def _classify_body(body: bytes, content_type: str, masked: str) -> bytes:
    head = body[:2048].lstrip().lower()
    if "html" in content_type or head.startswith(b"<"):
        if _is_sign_in_page(body[:65536].decode("utf-8", "replace")):
            raise Unauthorized("Affilka answered with a sign-in page: the token was refused.", url=masked)
        raise NotJSON("Affilka answered with a web page (HTML), not a JSON report.", url=masked)
    if not head:
        raise NotJSON("Affilka answered with an empty body, not a JSON report.", url=masked)
    return body


# --- transport failures --------------------------------------------------------------------------


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


def _failure(exc: BaseException, masked: str) -> FetchError:
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
        return TLSFailed("The secure (TLS) connection failed: certificate or TLS setup.", url=masked)
    if isinstance(cause, ValueError | http.client.HTTPException | urllib3.exceptions.ProtocolError) and (
        "header" in text or "status" in text or "location" in text or "parse" in text
    ):
        return ConnectionFailed("The answer's headers cannot be read: not a usable HTTP answer.", url=masked)
    if "refused" in text:
        return ConnectionFailed("The host refused the connection.", url=masked)
    if "broken" in text or "reset" in text or "incomplete" in text or "aborted" in text:
        return ConnectionBroken("The connection broke mid-answer.", url=masked)
    return ConnectionFailed(f"Could not connect ({type(cause).__name__}).", url=masked)
