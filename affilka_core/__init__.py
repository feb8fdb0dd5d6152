"""affilka_core: check, fetch and read Affilka partner report URLs, as CasinoFlux's guide describes.

No Streamlit here: the dashboard, the CLI and the tests all call these functions. Names are exported
lazily (PEP 562), so `import affilka_core` and checking a URL load neither pandas nor requests.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .catalogue import CheckId
    from .checks import Check, Status, UrlCheckResult, check_url
    from .diagnosis import Diagnosis, diagnose_report, diagnose_url
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
    from .load import LoadedReport
    from .parse import parse_pages, parse_report, total_pages
    from .url import AffilkaUrl, mask_token, mask_url, parse_url, redact, suggest_url, with_dates

# Exported name → the module that defines it.
_EXPORTS: dict[str, str] = {
    "CheckId": "catalogue",
    **dict.fromkeys(("Check", "Status", "UrlCheckResult", "check_url"), "checks"),
    **dict.fromkeys(("Diagnosis", "diagnose_report", "diagnose_url"), "diagnosis"),
    **dict.fromkeys(
        (
            "AffilkaError",
            "BlockedAddress",
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
            "TooLarge",
            "Unauthorized",
        ),
        "errors",
    ),
    **dict.fromkeys(("FetchSettings", "fetch_report"), "fetch"),
    "LoadedReport": "load",
    **dict.fromkeys(("parse_pages", "parse_report", "total_pages"), "parse"),
    **dict.fromkeys(
        ("AffilkaUrl", "mask_token", "mask_url", "parse_url", "redact", "suggest_url", "with_dates"), "url"
    ),
}

__all__ = [
    "AffilkaError",
    "AffilkaUrl",
    "BlockedAddress",
    "Check",
    "CheckId",
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


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value  # the next access skips this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
