"""A mock Affilka over real HTTP: the partner report endpoint, its sign-in redirect and its failure modes.

Run it for the dashboard or by hand::

    python -m affilka_core.mock_server --port 8765 --token <32 hex> [--days 90 --brands 1 --campaigns 12]
        [--page-size 5000 --latency-ms 0] [fault flags, see --help]

or from tests, without a subprocess::

    with MockAffilka(token=TOKEN, days=30, rate_limit=2) as mock:
        requests.get(mock.report_url())

Data comes from `affilka_core.demo` (generated once at start-up), so the numbers are the demo's. The token
never appears in clear in anything the server prints or records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import re
import signal
import sys
import threading
import time
import zlib
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import numpy as np

from affilka_core import demo
from affilka_core.guide import REPORT_PATH, REQUIRED_COLUMNS, REQUIRED_GROUP_BY
from affilka_core.url import mask_url

SIGN_IN_PATH = "/users/sign_in"
DEFAULT_TOKEN = "5f0c7a9e2b814d6f93a1c8e07b2d4e61"
PERIODS = ("day", "week", "month", "year")

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
_LIST_KEY = re.compile(r"^(columns|group_by|brands?)(\[\d*\])?$")


@dataclass(frozen=True, slots=True)
class MockSettings:
    """Everything the mock serves and every fault it injects (all faults off by default)."""

    token: str = DEFAULT_TOKEN
    days: int = 90
    brands: int = 1
    campaigns: int = 12
    page_size: int = 5000
    latency_ms: int = 0
    end_date: dt.date | None = None
    seed: int = demo.DEFAULT_SEED
    style: demo.ReportStyle = field(default_factory=demo.ReportStyle)
    # Faults. Request counting is per server; rate limits come first, then server errors.
    rate_limit: int = 0
    server_errors: int = 0
    always_status: int | None = None
    html_error: bool = False
    truncate_json: bool = False
    slow_ms: int = 0
    currencies: tuple[str, ...] = ("EUR",)
    drop_columns: tuple[str, ...] = ()
    empty: bool = False
    gap_days: int = 0
    redirect_to: str | None = None
    verbose: bool = False

    def __post_init__(self) -> None:
        if self.days < 1 or self.brands < 1 or self.campaigns < 1 or self.page_size < 1:
            raise ValueError("days, brands, campaigns and page_size must each be at least 1")
        if not self.currencies:
            raise ValueError("at least one currency is needed")


def brand_names(count: int) -> tuple[str, ...]:
    """The first `count` brand names: Casino Alpha, Casino Beta, … (then Casino 9, Casino 10, …)."""
    names = demo.BRAND_NAMES
    return tuple(names[i] if i < len(names) else f"Casino {i + 1}" for i in range(count))


class ReportError(Exception):
    """A request the report endpoint answers with 422 and a JSON error."""


@dataclass(frozen=True, slots=True)
class _Query:
    date_from: dt.date
    date_to: dt.date
    columns: tuple[str, ...]
    period: str | None
    by_brand: bool
    by_campaign: bool
    brands: tuple[str, ...] | None


def _period_start(day: dt.date, period: str) -> dt.date:
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "year":
        return day.replace(month=1, day=1)
    return day


class _Store:
    """The server's data and the rows each distinct request asks for (cached: paging re-asks)."""

    def __init__(self, settings: MockSettings) -> None:
        self.settings = settings
        self.date_to = settings.end_date or dt.date.today() - dt.timedelta(days=1)
        self.date_from = self.date_to - dt.timedelta(days=settings.days - 1)
        self.brands = brand_names(settings.brands)
        self.data = demo.simulate(
            self.date_from, self.date_to, brands=self.brands, campaigns=settings.campaigns, seed=settings.seed
        )
        self.relations = demo.relation_campaigns_for(settings.campaigns, settings.seed)
        self.names = {int(c["id"]): str(c["name"]) for c in self.relations}
        self.columns = tuple(c for c in REQUIRED_COLUMNS if c not in settings.drop_columns)
        gap = settings.gap_days
        self.day_open = np.array([not (gap and (i + 1) % gap == 0) for i in range(settings.days)], dtype=bool)
        self._cache: OrderedDict[_Query, list[demo.Row]] = OrderedDict()
        self._lock = threading.Lock()

    def parse(self, params: Sequence[tuple[str, str]]) -> _Query:
        """Read a report query the way Affilka does; raise `ReportError` for what it rejects."""
        single: dict[str, str] = {}
        lists: dict[str, list[str]] = {"columns": [], "group_by": [], "brands": []}
        for key, value in params:
            match = _LIST_KEY.match(key)
            if match:
                name = "brands" if match.group(1).startswith("brand") else match.group(1)
                if value:
                    lists[name].append(value)
            else:
                single.setdefault(key, value)
        date_from = self._date(single, "from", self.date_from)
        date_to = self._date(single, "to", self.date_to)
        if date_from > date_to:
            raise ReportError(f"'from' ({date_from}) is after 'to' ({date_to})")
        if lists["columns"]:
            columns = tuple(c for c in dict.fromkeys(lists["columns"]) if c in self.columns)
        else:
            columns = self.columns
        group_by = lists["group_by"]
        period = next((g for g in group_by if g in PERIODS), None)
        brands = tuple(dict.fromkeys(lists["brands"])) or None
        return _Query(
            date_from, date_to, columns, period, "brand" in group_by, "campaign" in group_by, brands
        )

    @staticmethod
    def _date(single: Mapping[str, str], key: str, default: dt.date) -> dt.date:
        if key not in single:
            return default
        try:
            return dt.date.fromisoformat(single[key])
        except ValueError:
            raise ReportError(f"'{key}' must be a date as YYYY-MM-DD, got {single[key]!r}") from None

    def rows(self, query: _Query) -> list[demo.Row]:
        """Every row of the answer to `query`, before paging."""
        with self._lock:
            if query in self._cache:
                self._cache.move_to_end(query)
                return self._cache[query]
        rows = [] if self.settings.empty else self._build(query)
        with self._lock:
            self._cache[query] = rows
            while len(self._cache) > 32:
                self._cache.popitem(last=False)
        return rows

    def _build(self, q: _Query) -> list[demo.Row]:
        start = max((q.date_from - self.date_from).days, 0)
        stop = min((q.date_to - self.date_from).days + 1, len(self.data.days))
        day_idx = np.array([i for i in range(start, stop) if self.day_open[i]], dtype=np.int64)
        wanted = {b.casefold() for b in q.brands} if q.brands else None
        brand_idx = np.array(
            [i for i, b in enumerate(self.brands) if wanted is None or b.casefold() in wanted], dtype=np.int64
        )
        if not len(day_idx) or not len(brand_idx):
            return []
        days = [self.data.days[i] for i in day_idx]
        if q.period:
            keys = [_period_start(d, q.period) for d in days]
            starts = [i for i, k in enumerate(keys) if i == 0 or k != keys[i - 1]]
            periods: list[dt.date] | None = [keys[i] for i in starts]
        else:
            starts, periods = [0], None
        campaign_ids = np.array(self.data.campaign_ids)

        def shape(values: np.ndarray) -> np.ndarray:
            grid = values[day_idx][:, brand_idx, :]
            grid = np.add.reduceat(grid, starts, axis=0)
            if not q.by_brand:
                grid = grid.sum(axis=1, keepdims=True)
            if not q.by_campaign:
                grid = grid.sum(axis=2, keepdims=True)
            return grid

        grids = {c: shape(self.data.values[c]) for c in q.columns}
        n_periods, n_brands, n_campaigns = (
            len(starts),
            len(brand_idx) if q.by_brand else 1,
            len(campaign_ids) if q.by_campaign else 1,
        )
        n = n_periods * n_brands * n_campaigns
        values = {c: grids[c].ravel().tolist() for c in q.columns}
        if self.settings.style.null_fraction > 0:
            values = {c: self._nulls(c, v) for c, v in values.items()}
        return demo.build_rows(
            columns=q.columns,
            values=values,
            dates=[p for p in periods for _ in range(n_brands * n_campaigns)] if periods else None,
            brands=(
                [self.brands[i] for i in np.tile(np.repeat(brand_idx, n_campaigns), n_periods)]
                if q.by_brand
                else None
            ),
            campaign_ids=campaign_ids.tolist() * (n // len(campaign_ids)) if q.by_campaign else None,
            campaign_names=self.names,
            currencies=self.settings.currencies,
            style=self.settings.style,
        )

    def _nulls(self, column: str, values: list[int]) -> list[int | None]:
        # Aggregated rows have no (day, brand, campaign) of their own: nulls fall by row position.
        cut = self.settings.style.null_fraction * 2**32
        return [None if zlib.crc32(f"{column}:{i}".encode()) < cut else v for i, v in enumerate(values)]


class _Handler(BaseHTTPRequestHandler):
    """Answers like Affilka: the report, the sign-in page, 404 for anything else."""

    server_version = "nginx"
    sys_version = ""
    server: _Server

    def do_GET(self) -> None:
        mock = self.server.mock
        mock._record(self.path)
        settings = mock.settings
        if settings.latency_ms:
            time.sleep(settings.latency_ms / 1000)
        parts = urlsplit(self.path)
        if parts.path == REPORT_PATH:
            self._report(parts.query)
        elif parts.path == SIGN_IN_PATH:
            self._send(200, _SIGN_IN_HTML.encode(), "text/html; charset=utf-8")
        else:
            self._send(404, _NOT_FOUND_HTML.encode(), "text/html; charset=utf-8")

    def _report(self, query: str) -> None:
        mock = self.server.mock
        settings = mock.settings
        number = mock._count_report_request()
        if settings.slow_ms:
            time.sleep(settings.slow_ms / 1000)
        if settings.redirect_to:
            self._send(302, b"", "text/html; charset=utf-8", {"Location": settings.redirect_to})
            return
        if settings.always_status is not None:
            self._json(settings.always_status, {"error": f"status {settings.always_status} (mock fault)"})
            return
        if number <= settings.rate_limit:
            self._json(429, {"error": "Too many requests"}, {"Retry-After": "1"})
            return
        if number <= settings.rate_limit + settings.server_errors:
            self._json(503, {"error": "Service unavailable"})
            return
        params = parse_qsl(query, keep_blank_values=True)
        if dict(params).get("token") != settings.token:
            self._send(302, b"", "text/html; charset=utf-8", {"Location": SIGN_IN_PATH})
            return
        if settings.html_error:
            self._send(200, _ERROR_HTML.encode(), "text/html; charset=utf-8")
            return
        try:
            parsed = mock._store.parse(params)
            page = int(dict(params).get("page") or 1)
        except ReportError as exc:
            self._json(422, {"error": str(exc)})
            return
        except ValueError:
            self._json(422, {"error": "'page' must be a whole number"})
            return
        rows = mock._store.rows(parsed)
        total_pages = max(1, math.ceil(len(rows) / settings.page_size))
        page_rows = rows[(page - 1) * settings.page_size : page * settings.page_size] if page >= 1 else []
        doc = demo.report_document(
            page_rows, mock._store.relations, page=page, total_pages=total_pages, style=settings.style
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
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        # The request line holds the token: log nothing unless asked, and then only masked.
        if self.server.mock.settings.verbose:
            sys.stderr.write(mask_url(f"{self.address_string()} - {format % args}") + "\n")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    mock: MockAffilka

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up mid-answer is routine for a mock; tracebacks only when asked for.
        if self.mock.settings.verbose:
            super().handle_error(request, client_address)


class MockAffilka:
    """A mock Affilka on 127.0.0.1 (a free port) in a daemon thread; use as a context manager.

    `base_url` is "http://127.0.0.1:PORT", `host_port` "127.0.0.1:PORT"; `requests` lists the paths
    received so far, token masked. Faults are keyword options (see `MockSettings`).
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        days: int = 30,
        brands: int = 1,
        campaigns: int = 8,
        page_size: int = 5000,
        latency_ms: int = 0,
        end_date: dt.date | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int = demo.DEFAULT_SEED,
        style: demo.ReportStyle | None = None,
        rate_limit: int = 0,
        server_errors: int = 0,
        always_status: int | None = None,
        html_error: bool = False,
        truncate_json: bool = False,
        slow_ms: int = 0,
        currencies: Sequence[str] = ("EUR",),
        drop_columns: Sequence[str] = (),
        empty: bool = False,
        gap_days: int = 0,
        redirect_to: str | None = None,
        verbose: bool = False,
    ) -> None:
        self.settings = MockSettings(
            token=token,
            days=days,
            brands=brands,
            campaigns=campaigns,
            page_size=page_size,
            latency_ms=latency_ms,
            end_date=end_date,
            seed=seed,
            style=style or demo.ReportStyle(),
            rate_limit=rate_limit,
            server_errors=server_errors,
            always_status=always_status,
            html_error=html_error,
            truncate_json=truncate_json,
            slow_ms=slow_ms,
            currencies=tuple(currencies),
            drop_columns=tuple(drop_columns),
            empty=empty,
            gap_days=gap_days,
            redirect_to=redirect_to,
            verbose=verbose,
        )
        self._store = _Store(self.settings)
        self._lock = threading.Lock()
        self._requests: list[str] = []
        self._report_requests = 0
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
        """How many report requests have arrived."""
        with self._lock:
            return self._report_requests

    def _record(self, path: str) -> None:
        masked = mask_url(path)
        with self._lock:
            self._requests.append(masked)

    def _count_report_request(self) -> int:
        with self._lock:
            self._report_requests += 1
            return self._report_requests

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
        """Stop serving and release the port."""
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


def _csv(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m affilka_core.mock_server",
        description="Serve a mock Affilka partner report (GET /api/client/partner/report.json) until killed.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    p.add_argument("--token", required=True, help="the token report URLs must carry")
    p.add_argument("--days", type=int, default=90, help="days of data (default 90)")
    p.add_argument(
        "--end-date",
        type=dt.date.fromisoformat,
        default=None,
        help="last day of data, YYYY-MM-DD (yesterday)",
    )
    p.add_argument("--brands", type=int, default=1, help="number of brands (default 1)")
    p.add_argument("--campaigns", type=int, default=12, help="number of campaigns (default 12)")
    p.add_argument("--page-size", type=int, default=5000, help="rows per page (default 5000)")
    p.add_argument("--latency-ms", type=int, default=0, help="latency added to every request")
    p.add_argument("--seed", type=int, default=demo.DEFAULT_SEED, help="data seed")
    p.add_argument("--verbose", action="store_true", help="log request lines (token masked) to stderr")
    f = p.add_argument_group("faults")
    f.add_argument("--rate-limit", type=int, default=0, metavar="N", help="first N report requests: 429")
    f.add_argument("--server-errors", type=int, default=0, metavar="N", help="next N report requests: 503")
    f.add_argument(
        "--always-status", type=int, default=None, metavar="CODE", help="every report request: CODE"
    )
    f.add_argument("--html-error", action="store_true", help="report requests: 200 with an HTML error page")
    f.add_argument("--truncate-json", action="store_true", help="report bodies cut in the middle")
    f.add_argument("--slow-ms", type=int, default=0, metavar="MS", help="sleep before answering a report")
    f.add_argument("--currencies", type=_csv, default=("EUR",), help="money currencies, cycled by row")
    f.add_argument("--drop-columns", type=_csv, default=(), help="columns the account lacks")
    f.add_argument("--empty", action="store_true", help="reports have no rows")
    f.add_argument("--gap-days", type=int, default=0, metavar="N", help="every N-th day has no rows")
    f.add_argument("--redirect-to", default=None, metavar="URL", help="report requests: 302 to URL")
    return p


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Run the mock server from the command line; prints one line with the (masked) report URL."""
    args = _parser().parse_args(argv)
    try:
        mock = MockAffilka(
            token=args.token,
            days=args.days,
            brands=args.brands,
            campaigns=args.campaigns,
            page_size=args.page_size,
            latency_ms=args.latency_ms,
            end_date=args.end_date,
            host=args.host,
            port=args.port,
            seed=args.seed,
            rate_limit=args.rate_limit,
            server_errors=args.server_errors,
            always_status=args.always_status,
            html_error=args.html_error,
            truncate_json=args.truncate_json,
            slow_ms=args.slow_ms,
            currencies=args.currencies,
            drop_columns=args.drop_columns,
            empty=args.empty,
            gap_days=args.gap_days,
            redirect_to=args.redirect_to,
            verbose=args.verbose,
        )
    except (OSError, ValueError) as exc:
        print(f"mock_server: {mask_url(str(exc))}", file=sys.stderr)
        return 2
    # SIGTERM (what test harnesses and `kill` send) ends the process as cleanly as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    print(f"Mock Affilka at {mock.base_url} - report URL: {mask_url(mock.report_url())}", flush=True)
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
