"""Fetching a report over HTTP, safely and politely: the URL comes from a user, the body from a stranger,
and the host is shared with everyone else who uses the doctor.

- Only public addresses (`address_guard`): every connection (redirects and retries included) is
  checked after DNS resolution, so a host that resolves to a private, loopback, link-local or
  metadata address is refused even if its name looks public. `AFFILKA_ALLOW_PRIVATE_HOSTS` lists
  `host[:port]` exceptions (the mock server in tests and demos); those may also use http.
- One pace per host for the whole process (`pacing`): every request takes a slot from its host's
  pace; a 429 pauses every request to that host for its Retry-After and halves the host's concurrency.
- No speculative requests: page 1 first (it says how many pages there are), then pages 2..N, at most
  `settings.concurrency` at a time; a page past the last is never asked for.
- A deadline per page attempt that holds while bytes trickle (`deadline`), one for the whole report
  (`AFFILKA_REPORT_DEADLINE`), a cap per page (`AFFILKA_MAX_BYTES`) and one across the report
  (`AFFILKA_MAX_REPORT_BYTES`), and a page-count limit: a report with more pages fails, it is never
  returned cut short.
- Redirects are never followed blindly: a sign-in page means the token is bad; other redirects are
  followed only to the same host and port, through the same guard (`page_request`).
The token never appears in an exception, a log record or a returned string.
"""

from __future__ import annotations

import logging
import queue
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from affilka_core.errors import FetchTimeout, TooManyPages
from affilka_core.fetch.page import Abort, ReportBudget, WaitCallback, fetch_page
from affilka_core.fetch.session import SessionPerThread
from affilka_core.fetch.settings import FetchSettings
from affilka_core.report.decode import total_pages
from affilka_core.text import plural
from affilka_core.url.parse import AffilkaUrl, parse_url, with_page

log = logging.getLogger(__name__)

ProgressCallback = Callable[[int, int], None]
PageCallback = Callable[[int, int, bytes], int | None]
"""`on_page(page, total, body)`: a page just arrived (`total` is 0 while page 1 is read); may return the
page count it read from page 1."""


@dataclass(frozen=True)
class FetchedReport:
    """A fetched report: every page's raw body in page order (only page 1's when the caller took each
    page as it arrived, see `fetch_report`), the page count, the bytes received and the seconds taken.
    `url` is masked."""

    url: str
    pages: tuple[bytes, ...]
    total_pages: int
    seconds: float
    size: int


def _page_count(count: int, settings: FetchSettings, masked: str) -> int:
    if count > settings.max_pages:
        raise TooManyPages(
            f"Affilka says the report has {count:,} pages; the doctor fetches at most "
            f"{settings.max_pages:,}: narrow the date range (from/to) and export again.",
            url=masked,
        )
    return count


def _too_slow(seconds: float, done: int, total: int, masked: str) -> FetchTimeout:
    arrived = f"{done} of {plural(total, 'page')} in time" if done else "not even page 1 in time"
    return FetchTimeout(
        f"The report took over {seconds:g} s to arrive ({arrived}; AFFILKA_REPORT_DEADLINE): Affilka "
        "answers too slowly now.",
        url=masked,
    )


def fetch_report(
    url: str | AffilkaUrl,
    *,
    settings: FetchSettings | None = None,
    on_progress: ProgressCallback | None = None,
    on_wait: WaitCallback | None = None,
    on_page: PageCallback | None = None,
) -> FetchedReport:
    """Fetch every page of a report, in page order: page 1, then the rest `settings.concurrency` at a
    time, each request paced by its host (`pacing`), all within `settings.whole_report_deadline`.

    Callbacks run in the calling thread. `on_page(page, total, body)` as each page arrives: page 1 first,
    before any other is asked for (raising refuses the report), the others in the order they come, so a
    caller decodes each while the next ones download; it may return the page count it read from page 1
    (else it is read here), and the result then keeps page 1's body only. `on_progress(done, total)`
    after each page. `on_wait(seconds, reason, attempt, attempts)` before a wait the host causes, e.g.
    `(8.0, "429", 2, 3)`: "Affilka asked to wait 8 s (429), retry 2 of 3"; `attempt` is 0 when a page
    waits on a pause that another request's 429 caused, and `reason` "503" etc. for a server error's
    backoff. Raises a `FetchError` subclass, or `NotJSON`/`ReportFormatError` when page 1 is not a
    report; `TooManyPages` when page 1 announces more than `settings.max_pages` pages; `FetchTimeout`
    when the whole report takes longer than its deadline (however quickly each page comes).
    """
    settings = settings or FetchSettings()
    parsed = url if isinstance(url, AffilkaUrl) else parse_url(url)
    masked = parsed.masked()
    started = time.monotonic()
    deadline = settings.whole_report_deadline
    log.info("fetching %s", masked)
    budget = ReportBudget(settings.max_report_bytes)
    abort = Abort()
    events: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
    sessions = SessionPerThread(settings)
    pool = ThreadPoolExecutor(max_workers=max(1, settings.concurrency), thread_name_prefix="affilka-fetch")

    def waited(seconds: float, reason: str, attempt: int, attempts: int) -> None:
        events.put(("wait", (seconds, reason, attempt, attempts)))

    def work(page: int) -> None:
        try:
            body = fetch_page(
                sessions.get(), with_page(parsed, page), settings, on_wait=waited, budget=budget, abort=abort
            )
        except BaseException as exc:  # handed to the calling thread, which raises it
            events.put(("failed", exc))
        else:
            events.put(("page", (page, body)))

    bodies: dict[int, bytes] = {}
    done = size = 0
    pages_total = 1
    try:
        pool.submit(work, 1)
        pending = 1
        while pending:
            left = deadline - (time.monotonic() - started)
            try:
                if left <= 0:
                    raise queue.Empty
                kind, value = events.get(timeout=left)
            except queue.Empty:
                raise _too_slow(deadline, done, pages_total, masked) from None
            if kind == "wait":
                if on_wait:
                    on_wait(*value)
                continue
            pending -= 1
            if kind == "failed":
                raise value
            page, body = value
            done += 1
            size += len(body)
            if on_page is None or page == 1:
                bodies[page] = body
            if page == 1:
                # Page 1 says how many pages there are; the rest are asked for before it is read further.
                count = on_page(1, 0, body) if on_page is not None else None
                pages_total = _page_count(count or total_pages(body), settings, masked)
                for later in range(2, pages_total + 1):
                    pool.submit(work, later)
                pending += pages_total - 1
            elif on_page is not None:
                on_page(page, pages_total, body)
            if on_progress:
                on_progress(done, pages_total)
    except BaseException:
        abort.set()  # pages waiting for the host give up; those in flight are cut
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        sessions.close()
    pages = tuple(bodies[p] for p in sorted(bodies))
    seconds = time.monotonic() - started
    log.info("fetched %d page(s), %d bytes in %.2f s", pages_total, size, seconds)
    return FetchedReport(masked, pages, pages_total, seconds, size)


def wait_message(seconds: float, reason: str, attempt: int, attempts: int) -> str:
    """An `on_wait` call as people read it: "Affilka asked to wait 8 s (429), retry 2 of 3"."""
    wait = f"{seconds:.0f} s" if seconds >= 0.95 else f"{seconds:.1f} s"
    if reason == "429":
        asked = f"Affilka asked to wait {wait} (429 Too Many Requests)"
        return f"{asked}, retry {attempt} of {attempts}" if attempt else f"{asked} before the next page"
    return f"Affilka answered {reason}: trying again in {wait}, retry {attempt} of {attempts}"
