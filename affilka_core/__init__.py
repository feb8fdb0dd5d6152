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
from .url import AffilkaUrl, mask_token, mask_url, parse_url, redact, suggest_url, with_dates

__all__ = [
    "AffilkaError",
    "AffilkaUrl",
    "BlockedAddress",
    "Check",
    "ConnectionFailed",
    "FetchError",
    "FetchTimeout",
    "InvalidURL",
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
    "mask_token",
    "mask_url",
    "parse_url",
    "redact",
    "suggest_url",
    "with_dates",
]
