"""The check catalogue: every check id once, with its guide step, its phase and what it detects.

URL checks, fetch failures, data checks, the error advice, the CLI's `check --list` and README's id table
all read these facts from here. Ids are a `StrEnum`, so they compare equal to (and serialise as) the
plain strings other tools read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CheckId(StrEnum):
    """Every check id. The strings are a contract: other tools read them, they do not change."""

    ENDPOINT = "endpoint"
    COLUMNS_REQUIRED = "columns.required"
    COLUMNS_UNKNOWN = "columns.unknown"
    GROUP_BY_REQUIRED = "group_by.required"
    BRAND_FILTER = "brand.filter"
    FILTERS_NARROWING = "filters.narrowing"
    PERIOD_CUSTOM = "period.custom"
    DATES_RANGE = "dates.range"
    CURRENCY_CONVERSION = "currency.conversion"
    FORMAT_JSON = "format.json"
    URL_PARSE = "url.parse"
    URL_ENCODING = "url.encoding"
    TOKEN_PRESENT = "token.present"
    PAGE_FIRST = "page.first"
    FETCH_OK = "fetch.ok"
    FETCH_BLOCKED_ADDRESS = "fetch.blocked_address"
    FETCH_UNAUTHORIZED = "fetch.unauthorized"
    FETCH_NOT_FOUND = "fetch.not_found"
    FETCH_RATE_LIMITED = "fetch.rate_limited"
    FETCH_SERVER_ERROR = "fetch.server_error"
    FETCH_TIMEOUT = "fetch.timeout"
    FETCH_CONNECTION = "fetch.connection"
    FETCH_REJECTED = "fetch.rejected"
    FETCH_NOT_JSON = "fetch.not_json"
    FETCH_TOO_LARGE = "fetch.too_large"
    DATA_EMPTY = "data.empty"
    DATA_COLUMNS_MISSING = "data.columns_missing"
    DATA_MULTI_BRAND = "data.multi_brand"
    DATA_MULTI_CURRENCY = "data.multi_currency"
    DATA_DATE_COVERAGE = "data.date_coverage"
    DATA_DATE_BOUNDS = "data.date_bounds"
    DATA_OUTSIDE_RANGE = "data.outside_range"
    DATA_FRESHNESS = "data.freshness"
    DATA_TOTALS_MISMATCH = "data.totals_mismatch"
    DATA_NON_FINITE = "data.non_finite"


class Phase(StrEnum):
    """When a check runs: on the pasted URL, while fetching, or on the fetched rows."""

    URL = "url"
    FETCH = "fetch"
    DATA = "data"


@dataclass(frozen=True, slots=True)
class CheckInfo:
    """What the catalogue knows about one check id."""

    id: CheckId
    step: int
    phase: Phase
    detects: str

    def to_dict(self) -> dict[str, object]:
        """The `check --list --json` shape: id, step, phase, detects."""
        return {"id": str(self.id), "step": self.step, "phase": str(self.phase), "detects": self.detects}


def _info(check_id: CheckId, step: int, detects: str) -> CheckInfo:
    phase = (
        Phase.FETCH
        if check_id.startswith("fetch.")
        else Phase.DATA
        if check_id.startswith("data.")
        else Phase.URL
    )
    return CheckInfo(check_id, step, phase, detects)


C = CheckId
# In display order: URL checks by guide step, then the fetch, then the data.
CATALOGUE: tuple[CheckInfo, ...] = (
    _info(C.ENDPOINT, 1, "path is not `/api/client/partner/report.json` (the Customer API is explained)"),
    _info(
        C.COLUMNS_REQUIRED,
        2,
        "any of the 11 required columns is absent (each one named); columns written as a JSON array",
    ),
    _info(
        C.COLUMNS_UNKNOWN,
        2,
        "warning: a column Affilka does not know, with the name it most likely means (by meaning for older "
        "names such as `ftd_count`, else a close spelling)",
    ),
    _info(
        C.GROUP_BY_REQUIRED,
        3,
        "day, brand or campaign absent (month/week instead of day, `date` for `day` are said), or more "
        "than one date grouper",
    ),
    _info(C.BRAND_FILTER, 4, "warning until fetched data shows one brand (pass), fail when it shows several"),
    _info(
        C.FILTERS_NARROWING,
        4,
        "warning: the URL filters campaigns, promo codes or strategies (values named): CasinoFlux sees only "
        "those",
    ),
    _info(C.PERIOD_CUSTOM, 5, "`period` is not `custom`"),
    _info(
        C.DATES_RANGE,
        5,
        "`from`/`to` missing, not YYYY-MM-DD (a date and time is said), reversed, before 2000 or after 2100, "
        "or more than 5 years apart",
    ),
    _info(
        C.CURRENCY_CONVERSION,
        5,
        "warning: `convert_all_currencies` absent or false; pass when on with a `conversion_currency`",
    ),
    _info(C.FORMAT_JSON, 6, "the path does not ask for JSON"),
    _info(
        C.URL_PARSE,
        7,
        'not a URL (the other URL ids are then `warn` "Not checked", counted by no verdict), no host, '
        "cut off, or wrapped over lines that cannot be joined for certain (other failing URL ids, and "
        'warnings about what the cut lost, are then `warn` "Not checked: the URL is cut off", counted by no '
        "verdict), several URLs pasted, a parameter that takes one value given twice (`page=1&…&page=2`), "
        "or not `https://` (http only for an allowed host); warning: unwrapped from an Outlook Safe Links "
        "or Google redirect address",
    ),
    _info(
        C.URL_ENCODING,
        7,
        "double-encoded (`%255B%255D`), HTML-escaped (`&amp;`) or otherwise mangled parameters",
    ),
    _info(
        C.TOKEN_PRESENT,
        7,
        "no token, an empty one, a masked one (`0123…cdef`, copied from a ticket or a screen), or one after "
        "`#` or in the path, under `Token=`/`TOKEN=`, or joined to its key by another sign than `=` "
        "(`token＝`, `token%3D`), where Affilka never reads it; or one the URL was cut inside",
    ),
    _info(C.PAGE_FIRST, 7, "`page` is not 1 (missing: warning)"),
    _info(C.FETCH_OK, 7, "pass only: the report came back (pages, rows, size, time: ms below 1 s)"),
    _info(
        C.FETCH_BLOCKED_ADDRESS,
        7,
        "the host is or resolves to a private, loopback, link-local or metadata address",
    ),
    _info(
        C.FETCH_UNAUTHORIZED, 7, "401/403, or a redirect to / an HTML sign-in page: token expired or invalid"
    ),
    _info(C.FETCH_NOT_FOUND, 1, "404"),
    _info(
        C.FETCH_RATE_LIMITED,
        7,
        "429 after retries, or not asked again while the pause a 429 asked for lasts (temporary: verdict "
        "`retry`)",
    ),
    _info(C.FETCH_SERVER_ERROR, 7, "5xx after retries (temporary: verdict `retry`)"),
    _info(
        C.FETCH_TIMEOUT,
        5,
        "no answer, or not a complete one, in time: a page, or the whole report, past its deadline "
        "(temporary: verdict `retry`)",
    ),
    _info(
        C.FETCH_CONNECTION,
        7,
        "DNS failure or refused connection (temporary: verdict `retry`), TLS failure, a redirect to "
        "another host, or one that cannot be followed",
    ),
    _info(
        C.FETCH_REJECTED,
        5,
        "another 4xx, or Affilka's JSON error sent with status 200 (Affilka refused the parameters; its "
        "words quoted)",
    ),
    _info(
        C.FETCH_NOT_JSON,
        6,
        "the body is not JSON (HTML; JSON cut off midway, temporary: verdict `retry`; a saved file that ends "
        "mid-way is `fix`) or not a report, quoting Affilka's own error message",
    ),
    _info(
        C.FETCH_TOO_LARGE,
        5,
        "a page or the whole report passed its size cap, the report has more rows than its row budget, or "
        "over 1,000 pages",
    ),
    _info(C.DATA_EMPTY, 5, "no rows"),
    _info(C.DATA_COLUMNS_MISSING, 2, "required columns absent from the rows (each named)"),
    _info(C.DATA_MULTI_BRAND, 4, "more than one brand in the rows"),
    _info(C.DATA_MULTI_CURRENCY, 5, "warning: more than one currency in money cells"),
    _info(
        C.DATA_DATE_COVERAGE,
        5,
        "warning: days inside from..to with no rows (weeks, months or years for a report grouped so)",
    ),
    _info(
        C.DATA_DATE_BOUNDS,
        5,
        "rows dated before 2000-01-01 or after 2100-12-31, days no report holds (dates and row count named; "
        "they are in the figures)",
    ),
    _info(
        C.DATA_OUTSIDE_RANGE,
        5,
        "warning: rows dated outside the URL's from..to (dates and row count named; they are in the figures)",
    ),
    _info(
        C.DATA_FRESHNESS,
        5,
        "the newest day with rows against `to` and today: a day's delay is normal (pass), more is a warning",
    ),
    _info(
        C.DATA_TOTALS_MISMATCH,
        5,
        "Affilka's own totals differ from the rows' sums beyond rounding (each metric, both figures, per "
        "currency); warning: a saved file holds only some of the report's pages",
    ),
    _info(
        C.DATA_NON_FINITE,
        5,
        "a metric with infinite cells, or whose rows add up to no finite number (each metric and its rows "
        "named; its figures show —)",
    ),
)
del C

BY_ID: dict[str, CheckInfo] = {entry.id: entry for entry in CATALOGUE}


def info(check_id: str) -> CheckInfo:
    """The catalogue entry of an id. Raises KeyError for an id the catalogue does not hold."""
    return BY_ID[check_id]


def step_of(check_id: str) -> int:
    """The guide step (1-7) a check id belongs to."""
    return BY_ID[check_id].step


def phase_of(check_id: str) -> Phase | None:
    """The phase of a check id, None for an id the catalogue does not hold."""
    entry = BY_ID.get(check_id)
    return entry.phase if entry else None


def ids(phase: Phase) -> tuple[CheckId, ...]:
    """The ids of one phase, in catalogue order."""
    return tuple(i.id for i in CATALOGUE if i.phase == phase)


URL_CHECK_IDS: tuple[CheckId, ...] = ids(Phase.URL)
DATA_CHECK_IDS: tuple[CheckId, ...] = ids(Phase.DATA)
