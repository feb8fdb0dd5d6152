"""A mock Affilka over real HTTP: the partner report endpoint, its sign-in redirect and its failure modes.

Run it for the dashboard or by hand::

    python -m affilka_mock.mock_server --port 8765 --token <32 hex> [--days 90 --brands 1 --campaigns 12]
        [--page-size 5000 --latency-ms 0] [fault flags, see --help]

or from tests, without a subprocess::

    with MockAffilka(token=TOKEN, days=30, rate_limit=2) as mock:
        requests.get(mock.report_url())

What it serves is a `MockSettings` (keywords or flags). Data comes from `affilka_core.demo` (simulated
once at start-up), so the numbers are the demo's, in the shape `settings.style` asks for
(`affilka_mock.reports`). Like Affilka, every page carries the whole report's `totals`, and a
`per_page=N` parameter sets the rows a page holds. The token never appears in clear in anything the
server prints or records.

Pacing tests read the server's own account of report requests (`affilka_mock.traffic`): `mock.log`,
`mock.in_flight`, `mock.max_in_flight`, `mock.hold()` / `mock.release()`, `mock.wait_until(...)`.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import json
import signal
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from affilka_core.guide import REPORT_PATH, REQUIRED_COLUMNS, REQUIRED_GROUP_BY
from affilka_core.url.masking import mask_token, mask_url

from .reports import styled_document
from .settings import DEFAULT_TOKEN, MockSettings, add_setting_flags, settings_from_flags
from .store import ReportError, Store
from .traffic import ReportRequest, Traffic

__all__ = ["DEFAULT_TOKEN", "MockAffilka", "MockSettings", "ReportRequest", "main"]

SIGN_IN_PATH = "/users/sign_in"

_SIGN_IN_HTML = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Sign in | Partners</title></head>
<body>
<h1>Partner program</h1>
<form action="/users/sign_in" method="post">
<label>Email <input type="email" name="user[email]"></label>
<label>Password <input type="password" name="user[password]"></label>
<button type="submit">Log in</button>
</form>
<p>You need to sign in or sign up before continuing.</p>
</body>
</html>
"""
_ERROR_HTML = """<!DOCTYPE html>
<html>
<head><title>We're sorry, but something went wrong (500)</title></head>
<body><div class="dialog"><h1>We're sorry, but something went wrong.</h1>
<p>If you are the application owner check the logs for more information.</p></div></body>
</html>
"""
_NOT_FOUND_HTML = """<!DOCTYPE html>
<html>
<head><title>The page you were looking for doesn't exist (404)</title></head>
<body><h1>Not found</h1><p>The page you were looking for doesn't exist.</p></body>
</html>
"""


class _Handler(BaseHTTPRequestHandler):
    """Answers like Affilka: the report, the sign-in page, 404 for anything else."""

    server_version = "nginx"
    sys_version = ""
    server: _Server
    _complete: Callable[[int], None] | None = None  # records a report request's completion, once

    def do_GET(self) -> None:
        mock = self.server.mock
        mock._record(self.path)
        parts = urlsplit(self.path)
        if parts.path != REPORT_PATH:
            self._pause(mock.settings.latency_ms)
            if parts.path == SIGN_IN_PATH:
                self._send(200, _SIGN_IN_HTML.encode(), "text/html; charset=utf-8")
            else:
                self._send(404, _NOT_FOUND_HTML.encode(), "text/html; charset=utf-8")
            return
        params = parse_qsl(parts.query, keep_blank_values=True)
        page = _whole_number(dict(params).get("page") or "1")
        traffic = mock._traffic
        number, page_number, arrived, in_flight = traffic.arrive(page)
        self._complete = lambda status: traffic.complete(number, page, arrived, in_flight, status)
        try:
            traffic.pass_gate()
            self._pause(mock.settings.latency_ms)
            counted = page_number if mock.settings.rate_limit_page is not None else number
            self._report(params, page, counted)
        finally:
            self._completed(0)  # no answer was sent

    @staticmethod
    def _pause(ms: int) -> None:
        if ms:
            time.sleep(ms / 1000)

    def _report(self, params: list[tuple[str, str]], page: int | None, number: int) -> None:
        mock = self.server.mock
        settings = mock.settings
        self._pause(settings.slow_ms)
        if settings.redirect_to:
            self._send(302, b"", "text/html; charset=utf-8", {"Location": settings.redirect_to})
            return
        if settings.always_status is not None:
            self._json(settings.always_status, {"error": f"status {settings.always_status} (mock fault)"})
            return
        limited = settings.rate_limit_page in (None, page)
        if limited and number <= settings.rate_limit:
            self._json(429, {"error": "Too many requests"}, {"Retry-After": str(settings.retry_after)})
            return
        if mock._count_past_rate_limit() <= settings.server_errors:
            wait = settings.server_error_retry_after
            self._json(
                503, {"error": "Service unavailable"}, {} if wait is None else {"Retry-After": str(wait)}
            )
            return
        if dict(params).get("token") != settings.token:
            self._send(302, b"", "text/html; charset=utf-8", {"Location": SIGN_IN_PATH})
            return
        if settings.html_error:
            self._send(200, _ERROR_HTML.encode(), "text/html; charset=utf-8")
            return
        if settings.error_body is not None:
            self._json(settings.error_status, _error_body(settings.error_body, settings.error_message))
            return
        per_page_text = dict(params).get("per_page")
        per_page = settings.page_size if per_page_text is None else _whole_number(per_page_text)
        try:
            parsed = mock._store.parse(params)
        except ReportError as exc:
            self._json(422, {"error": str(exc)})
            return
        if page is None:
            self._json(422, {"error": "'page' must be a whole number"})
            return
        if per_page is None or per_page < 1:
            self._json(422, {"error": "'per_page' must be a whole number from 1"})
            return
        answer = mock._store.answer(parsed)
        doc = styled_document(
            answer.page(page, per_page),
            mock._store.relations,
            page=page,
            total_pages=answer.total_pages(per_page),
            style=settings.style,
            totals=answer.totals,
            totals_at=settings.totals_at,  # type: ignore[arg-type]
        )
        body = json.dumps(doc, separators=(",", ":")).encode()
        if settings.truncate_json:
            body = body[: len(body) // 2]
        self._send(200, body, "application/json; charset=utf-8")

    def _json(self, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> None:
        self._send(status, json.dumps(payload).encode(), "application/json; charset=utf-8", headers)

    def _send(
        self, status: int, body: bytes, content_type: str, headers: Mapping[str, str] | None = None
    ) -> None:
        # Completed before a byte goes out: a client that has its answer never finds it still in flight.
        self._completed(status)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def _completed(self, status: int) -> None:
        complete, self._complete = self._complete, None
        if complete is not None:
            complete(status)

    def log_message(self, format: str, *args: Any) -> None:
        # The request line holds the token: log nothing unless asked, and then only masked.
        if self.server.mock.settings.verbose:
            sys.stderr.write(mask_url(f"{self.address_string()} - {format % args}") + "\n")


def _whole_number(text: str) -> int | None:
    try:
        return int(text)
    except ValueError:
        return None


def _error_body(shape: str, message: str) -> dict[str, Any]:
    """Affilka's JSON error in one of the shapes integrations have met."""
    if shape == "errors":
        return {"errors": [{"message": message}]}
    if shape == "message":
        return {"message": message}
    if shape == "ok-false":
        return {"ok": False, "message": message}
    return {"error": message}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    mock: MockAffilka

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up mid-answer is routine for a mock; tracebacks only when asked for.
        if self.mock.settings.verbose:
            super().handle_error(request, client_address)


class MockAffilka:
    """A mock Affilka on 127.0.0.1 (a free port) in a daemon thread; use as a context manager.

    What it serves is `settings` with `overrides` applied, each a `MockSettings` field:
    `MockAffilka(token=TOKEN, days=10, rate_limit=2)`. `base_url` is "http://127.0.0.1:PORT",
    `host_port` "127.0.0.1:PORT"; `requests` lists the paths received so far, token masked.

    Report requests are also logged for pacing tests: `log` (a `ReportRequest` per completed one:
    arrival and completion on `time.monotonic()`, page, requests in flight at arrival, status),
    `in_flight`, `max_in_flight`, `report_requests`; `hold()` keeps arriving ones in flight until
    `release()`, and `wait_until(condition)` waits for the server to reach a state.
    """

    def __init__(
        self,
        settings: MockSettings | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        **overrides: Any,
    ) -> None:
        self.settings = dataclasses.replace(settings or MockSettings(), **overrides)
        self._store = Store(self.settings)
        self._lock = threading.Lock()
        self._requests: list[str] = []
        self._traffic = Traffic()
        self._past_rate_limit = 0
        self._server = _Server((host, port), _Handler)
        self._server.mock = self
        bound_host, bound_port = self._server.server_address[:2]
        self.host_port = f"{bound_host}:{bound_port}"
        self.base_url = f"http://{self.host_port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="mock-affilka",
            daemon=True,
        )
        self._thread.start()

    @property
    def date_from(self) -> dt.date:
        """First day the server has data for."""
        return self._store.date_from

    @property
    def date_to(self) -> dt.date:
        """Last day the server has data for (inclusive)."""
        return self._store.date_to

    @property
    def brand_names(self) -> tuple[str, ...]:
        """The brands the server has data for."""
        return self._store.brands

    @property
    def relation_campaigns(self) -> list[dict[str, Any]]:
        """`{id, name, strategy}` of every campaign the server has."""
        return [dict(c) for c in self._store.relations]

    @property
    def requests(self) -> list[str]:
        """The paths received so far (token masked), oldest first: a snapshot."""
        with self._lock:
            return list(self._requests)

    @property
    def report_requests(self) -> int:
        """How many report requests have arrived (answered or not)."""
        return self._traffic.arrivals

    @property
    def log(self) -> list[ReportRequest]:
        """Every completed report request, in order of arrival: a snapshot of frozen records."""
        return self._traffic.log

    @property
    def in_flight(self) -> int:
        """Report requests arrived and not yet answered, now."""
        return self._traffic.in_flight

    @property
    def max_in_flight(self) -> int:
        """The most report requests that were ever in flight at once."""
        return self._traffic.max_in_flight

    def hold(self) -> None:
        """Keep report requests that arrive from now on in flight (unanswered) until `release()`."""
        self._traffic.hold()

    def release(self) -> None:
        """Answer the held report requests, and those to come, again."""
        self._traffic.release()

    def wait_until(self, condition: Callable[[MockAffilka], bool], timeout: float = 10.0) -> bool:
        """Block until `condition(mock)` holds, re-checked whenever a report request arrives or
        completes, or until `timeout` seconds pass; whether it holds. E.g.
        `mock.wait_until(lambda m: m.in_flight == 4)`."""
        return self._traffic.wait_until(lambda _: condition(self), timeout)

    def _record(self, path: str) -> None:
        masked = mask_url(path)
        with self._lock:
            self._requests.append(masked)

    def _count_past_rate_limit(self) -> int:
        with self._lock:
            self._past_rate_limit += 1
            return self._past_rate_limit

    def report_url(
        self,
        *,
        date_from: dt.date | str | None = None,
        date_to: dt.date | str | None = None,
        columns: Sequence[str] = REQUIRED_COLUMNS,
        group_by: Sequence[str] = REQUIRED_GROUP_BY,
        token: str | None = None,
        page: int = 1,
        extra: Mapping[str, str | Sequence[str] | None] | None = None,
    ) -> str:
        """A report URL in Affilka's export format (`columns%5B%5D=…`, `period=custom`, …, `token`, `page`).

        Dates default to the server's full range, the token to the server's. `extra` replaces parameters
        of the same name in place, appends new ones before `token` (a list value repeats the key) and
        removes those mapped to None (e.g. `{"token": None}` for a URL without a token).
        """
        start = str(date_from or self.date_from)
        end = str(date_to or self.date_to)
        params: list[tuple[str, str]] = [
            ("from", start),
            ("to", end),
            ("period", "custom"),
            ("exchange_rates_date", end),
            ("convert_all_currencies", "true"),
            ("conversion_currency", "EUR"),
            *(("columns[]", c) for c in columns),
            *(("group_by[]", g) for g in group_by),
            ("name", ""),
        ]
        params += [("token", self.settings.token if token is None else token), ("page", str(page))]
        for key, value in (extra or {}).items():
            values = [] if value is None else [value] if isinstance(value, str) else list(value)
            positions = [i for i, (k, _) in enumerate(params) if k == key]
            if positions:
                at = positions[0]
            else:
                at = next((i for i, (k, _) in enumerate(params) if k == "token"), len(params))
            params = [p for p in params if p[0] != key]
            params[at:at] = [(key, v) for v in values]
        return f"{self.base_url}{REPORT_PATH}?{urlencode(params, quote_via=quote, safe='')}"

    def close(self) -> None:
        """Stop serving and release the port (held requests are let go first)."""
        self._traffic.release()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> MockAffilka:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --- Command line --------------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m affilka_mock.mock_server",
        description="Serve a mock Affilka partner report (GET /api/client/partner/report.json) until killed.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    add_setting_flags(p, required=("token",))
    return p


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the mock server from the command line; prints one line with the report URL, token masked (the
    line says to put the token back before pasting)."""
    args = _parser().parse_args(argv)
    try:
        mock = MockAffilka(settings_from_flags(args), host=args.host, port=args.port)
    except (OSError, ValueError) as exc:
        print(f"mock_server: {mask_url(str(exc))}", file=sys.stderr)
        return 2
    # SIGTERM (what test harnesses and `kill` send) ends the process as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    # The token is masked here as everywhere; the line says so, since the URL cannot be pasted as printed.
    print(
        f"Mock Affilka at {mock.base_url} - report URL, token masked (put the --token you gave in place of "
        f"{mask_token(mock.settings.token)} before pasting it): {mask_url(mock.report_url())}",
        flush=True,
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        mock.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
