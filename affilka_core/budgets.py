"""Every budget the doctor keeps, named once: what one URL, file, list or fetch may cost.

One Python process serves every support person and account manager at once, so no input may hold it for
minutes or take gigabytes: bytes, pages, rows, days, URLs and seconds are each bounded here. A budget an
operator may change is a `Budget` with its environment variable; `Budget.read` is the one place such a
value is read and checked (the edges, the CLI's start and each run of the app, call it through
`FetchSettings.from_env()`). A value that is not a number, or is out of range, fails at start with a
message naming the variable, what it holds and what it accepts: never a silent default.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass

from affilka_core.errors import BadSetting


@dataclass(frozen=True, slots=True)
class Budget:
    """A budget an operator may change: its environment variable, its default and the range it accepts
    (`whole`: a whole number), in `unit`s."""

    env: str
    default: float
    lowest: float
    highest: float
    unit: str
    whole: bool = False

    def accepts(self) -> str:
        """What the variable accepts, as the error says it: "seconds from 0.1 to 3,600 (default 120)"."""
        low, high, default = _number(self.lowest), _number(self.highest), _number(self.default)
        return f"{self.unit} from {low} to {high} (default {default})"

    def read(self, env: Mapping[str, str], default: float | None = None) -> float:
        """The value `env` asks for (`default`, else the budget's own, when the variable is unset or
        empty). Raises `BadSetting` for text that is not a number, a fraction where a whole number is
        needed, or a number out of range."""
        text = env.get(self.env, "").strip()
        if not text:
            return self.default if default is None else default
        shown = text if len(text) <= 40 else text[:39] + "…"
        try:
            value = float(text)
        except ValueError:
            raise BadSetting(f"{self.env} is {shown!r}, not a number: give {self.accepts()}.") from None
        if math.isnan(value):
            raise BadSetting(f"{self.env} is {shown!r}, not a number: give {self.accepts()}.")
        if self.whole and math.isfinite(value) and not value.is_integer():
            raise BadSetting(f"{self.env} is {shown!r}, not a whole number: give {self.accepts()}.")
        if not self.lowest <= value <= self.highest:
            raise BadSetting(f"{self.env} is {shown!r}, out of range: give {self.accepts()}.")
        return int(value) if self.whole else value


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}"


KIB = 1024
MIB = KIB * KIB  # sizes are binary, as budgets and `text.megabytes` write them: 52,428,800 bytes are "50 MB"

# --- Time -----------------------------------------------------------------------------------------------

# One attempt at a page, from the request to its last byte, however slowly the bytes come.
PAGE_DEADLINE = Budget("AFFILKA_PAGE_DEADLINE", 120.0, 0.1, 3_600.0, "seconds")
# Every page of one report together, retries and waits included; by default this many page deadlines.
REPORT_DEADLINE_PAGES = 5
REPORT_DEADLINE = Budget(
    "AFFILKA_REPORT_DEADLINE", REPORT_DEADLINE_PAGES * PAGE_DEADLINE.default, 1.0, 86_400.0, "seconds"
)
# Every report of one batch together: rows not fetched by then say so, the others are kept.
BATCH_DEADLINE = Budget("AFFILKA_BATCH_DEADLINE", 1_800.0, 1.0, 86_400.0, "seconds")
# A Retry-After is read as at most this many seconds, before any arithmetic (a 400-digit one is not
# infinity, and "16666666667 minutes" is no advice).
MAX_RETRY_AFTER = 3_600.0

# Days the case history keeps a case (0: every case); older ones are purged when it is opened. Its
# highest is also the most days `history purge --older-than` takes.
HISTORY_DAYS = Budget("AFFILKA_HISTORY_DAYS", 90, 0, 36_500, "days", whole=True)
# The most cases `history --limit N` lists at once.
MAX_HISTORY_LIMIT = 10_000

# --- Size -----------------------------------------------------------------------------------------------

# One page's body, after decompression; every page of a report together; standard input is capped as a
# report is.
PAGE_BYTES = Budget("AFFILKA_MAX_BYTES", 50 * MIB, 1, 1_024 * MIB, "bytes", whole=True)
REPORT_BYTES = Budget("AFFILKA_MAX_REPORT_BYTES", 200 * MIB, 1, 4_096 * MIB, "bytes", whole=True)
# Rows of one report, counted before a page is decoded into per-row objects.
REPORT_ROWS = Budget("AFFILKA_MAX_ROWS", 2_000_000, 1, 20_000_000, "rows", whole=True)
# The pages a report may announce: more is refused before any of them is asked for.
MAX_PAGES = 1_000
# URLs in one batch (pasted, uploaded or on standard input).
BATCH_URLS = Budget("AFFILKA_MAX_BATCH_URLS", 2_000, 1, 20_000, "URLs", whole=True)
# The parsed rows a batch fetched in the app keeps, over all its reports (pandas' deep memory use), so an
# offer opened from the batch carries its report; reports beyond it keep their checks and summary only.
BATCH_KEEP_BYTES = 64 * MIB

# --- Work -----------------------------------------------------------------------------------------------

# A paste: Affilka's export with every known column selected is about 3,000 characters; far beyond that
# the paste is not one report URL (pasted several times over, or with a document around it).
MAX_PASTE_CHARS = 1_000_000
MAX_URL_CHARS = 16_384
# A report URL holds one token; a paste, a handful. Masking each output costs time per secret, so the
# secrets worked out of one paste are bounded (every token-like run is still masked by `mask_url`).
MAX_SECRETS = 32
# A report has a few dozen columns; more distinct cell names than this is not a report table.
MAX_CELL_NAMES = 1_000
# Rows x names (the frame's cells) may exceed the cells read by this factor, plus a little slack for
# small reports whose rows differ: beyond it most of the frame would be gaps.
MAX_SPREAD = 4
SPREAD_SLACK = 4_096
# Reports one batch fetches at a time (`check - --fetch --concurrency N`); the host's pace still rules.
MAX_BATCH_CONCURRENCY = 16
# Requests in flight to one host, across every fetch and batch of the process.
HOST_CONCURRENCY = Budget("AFFILKA_HOST_CONCURRENCY", 4, 1, 32, "requests", whole=True)

# --- Dates ----------------------------------------------------------------------------------------------

# Days an Affilka report can be about: a date outside them is not a real report day, in a URL or a row.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
# A URL's from..to may cover at most five years, leap days included.
MAX_SPAN_YEARS = 5
MAX_SPAN_DAYS = 5 * 365 + 2

# The budgets `FetchSettings.from_env()` reads (`HISTORY_DAYS` is the history's own).
ENVIRONMENT: tuple[Budget, ...] = (
    PAGE_DEADLINE,
    REPORT_DEADLINE,
    BATCH_DEADLINE,
    PAGE_BYTES,
    REPORT_BYTES,
    REPORT_ROWS,
    BATCH_URLS,
    HOST_CONCURRENCY,
)


def within_dates(day: dt.date) -> bool:
    """Whether `day` can be a day of an Affilka report (`EARLIEST_DATE` to `LATEST_DATE`)."""
    return EARLIEST_DATE <= day <= LATEST_DATE


def within_range(start: dt.date, end: dt.date) -> bool:
    """Whether start..end is a range a report can cover (what `dates.range` accepts): in order, report
    days both, at most `MAX_SPAN_DAYS` days."""
    return start <= end and within_dates(start) and within_dates(end) and (end - start).days < MAX_SPAN_DAYS
