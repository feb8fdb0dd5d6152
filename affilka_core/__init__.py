"""affilka_core: check, fetch and read Affilka partner report URLs, as CasinoFlux's guide describes.

`__all__` is the contract other tools rely on; the modules behind it may move. No Streamlit here: the
dashboard, the CLI and the tests all call these names. They are loaded lazily (PEP 562), so
`import affilka_core` and checking a URL load neither pandas nor requests.

The package follows a paste's path: `url` (pasted text to one URL) → `checks` → `fetch` → `report` →
`analysis` → `outputs`, with `load` and `diagnosis` (one `Diagnosis` for every face), `batch`, the
demo and `cli` on top.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from affilka_core.catalogue import CheckId
    from affilka_core.checks.model import Check, Status
    from affilka_core.checks.url_result import UrlCheckResult, check_url
    from affilka_core.diagnosis import Diagnosis, diagnose_report, diagnose_text, diagnose_url
    from affilka_core.errors import (
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
    from affilka_core.fetch.report import fetch_report
    from affilka_core.fetch.settings import FetchSettings
    from affilka_core.load import LoadedReport
    from affilka_core.report.decode import total_pages
    from affilka_core.report.frame import ParsedReport, parse_pages, parse_report
    from affilka_core.url.masking import mask_token, mask_url, redact
    from affilka_core.url.parse import AffilkaUrl, parse_url, with_dates
    from affilka_core.url.suggest import suggest_url

# Exported name → the module that defines it.
_EXPORTS: dict[str, str] = {
    "CheckId": "catalogue",
    **dict.fromkeys(("Check", "Status"), "checks.model"),
    **dict.fromkeys(("UrlCheckResult", "check_url"), "checks.url_result"),
    **dict.fromkeys(("Diagnosis", "diagnose_report", "diagnose_text", "diagnose_url"), "diagnosis"),
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
    "fetch_report": "fetch.report",
    "FetchSettings": "fetch.settings",
    "LoadedReport": "load",
    "total_pages": "report.decode",
    **dict.fromkeys(("ParsedReport", "parse_pages", "parse_report"), "report.frame"),
    **dict.fromkeys(("mask_token", "mask_url", "redact"), "url.masking"),
    **dict.fromkeys(("AffilkaUrl", "parse_url", "with_dates"), "url.parse"),
    "suggest_url": "url.suggest",
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
    "ParsedReport",
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
    "diagnose_text",
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
    value = getattr(importlib.import_module(f"affilka_core.{module}"), name)
    globals()[name] = value  # the next access skips this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
