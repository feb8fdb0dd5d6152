"""affilka_core: check, fetch and read Affilka partner report URLs, as CasinoFlux's guide describes.

No Streamlit here: the dashboard, the CLI and the tests all call these functions.
"""

from .checks import Check, Status, UrlCheckResult, check_url
from .errors import (
    AffilkaError,
    BlockedAddress,
    ConnectionFailed,
    FetchError,
    FetchTimeout,
    InvalidURL,
    NotFound,
    NotJSON,
    RateLimited,
    Rejected,
    ReportFormatError,
    ServerError,
    TooLarge,
    Unauthorized,
)
from .fetch import FetchSettings, fetch_report
from .load import Diagnosis, LoadedReport, diagnose_report, diagnose_url
from .parse import parse_pages, parse_report, total_pages
from .url import AffilkaUrl, mask_token, mask_url, parse_url, redact, suggest_url, with_dates

__all__ = [
    "AffilkaError",
    "AffilkaUrl",
    "BlockedAddress",
    "Check",
    "ConnectionFailed",
    "Diagnosis",
    "FetchError",
    "FetchSettings",
    "FetchTimeout",
    "InvalidURL",
    "LoadedReport",
    "NotFound",
    "NotJSON",
    "RateLimited",
    "Rejected",
    "ReportFormatError",
    "ServerError",
    "Status",
    "TooLarge",
    "Unauthorized",
    "UrlCheckResult",
    "check_url",
    "diagnose_report",
    "diagnose_url",
    "fetch_report",
    "mask_token",
    "mask_url",
    "parse_pages",
    "parse_report",
    "parse_url",
    "redact",
    "suggest_url",
    "total_pages",
    "with_dates",
]
