"""One result for everything known about a pasted URL or a saved report: its checks, the URL checklist it
came from, and the data when a report was fetched or loaded.

The CLI, batch rows and the support ticket all read a `Diagnosis`. Checking a URL without fetching needs
neither pandas nor requests; they are imported only when a report is fetched or read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .checks import Check, UrlCheckResult, check_url, none_fail, without_secrets
from .errors import AffilkaError, FetchError, ReportFormatError
from .url import mask_url, redact
from .verdict import Verdict, verdict

if TYPE_CHECKING:
    import pandas as pd

    from .fetch import FetchSettings, ProgressCallback, WaitCallback
    from .insights import Finding
    from .load import LoadedReport
    from .url import AffilkaUrl


@dataclass(frozen=True, eq=False)
class Diagnosis:
    """The checks of one URL or saved report, in guide-step order.

    `url_result` is the URL checklist (None for a saved report). `fetched` says a fetch was asked for or
    a report read: `to_dict` then carries `data`, None when no data came back. `report` holds the parsed
    frame; `data` is its summary and `insights` what stands out in it (`insights.find_insights`), both
    computed from the frame and kept when the frame is dropped (see `without_frame`).
    """

    checks: tuple[Check, ...]
    url_result: UrlCheckResult | None = None
    report: LoadedReport | None = None
    fetched: bool = False
    data: dict[str, Any] | None = None
    insights: tuple[Finding, ...] | None = None

    def __post_init__(self) -> None:
        if self.data is None and self.report is not None:
            object.__setattr__(self, "data", self.report.summary())
        if self.insights is None:
            found: tuple[Finding, ...] = ()
            if self.report is not None:
                from .insights import find_insights  # pandas: only when there is a frame

                found = tuple(find_insights(self.report.frame))
            object.__setattr__(self, "insights", found)

    def __repr__(self) -> str:
        # Shown through the URL checklist's and the report's own masked reprs, never a field in clear.
        report = self.report
        shown = f"<{report.source} report {report.label!r}, {len(report.frame)} rows>" if report else None
        return redact(
            f"Diagnosis(verdict={self.verdict.code!r}, url_result={self.url_result!r}, report={shown}, "
            f"fetched={self.fetched}, data={self.data!r}, checks={self.checks!r})",
            *self.secrets,
        )

    @classmethod
    def of_url_check(cls, result: UrlCheckResult) -> Diagnosis:
        """The diagnosis of a URL checked without fetching: its checklist only."""
        return cls(result.checks, result)

    @property
    def ok(self) -> bool:
        """True when no check fails (warnings allowed)."""
        return none_fail(self.checks)

    @property
    def verdict(self) -> Verdict:
        """How the checks add up: status, counts and the one sentence."""
        return verdict(self.checks)

    @property
    def url(self) -> AffilkaUrl | None:
        """The URL as read, None for a saved report or text that is not a URL."""
        return self.url_result.url if self.url_result else None

    @property
    def token(self) -> str | None:
        return self.url_result.token if self.url_result else None

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every token the pasted text holds, wherever it sits: what outputs mask (empty for a file)."""
        return self.url_result.secrets if self.url_result else ()

    @property
    def frame(self) -> pd.DataFrame | None:
        return self.report.frame if self.report else None

    def summary(self) -> dict[str, Any] | None:
        """The data summary (rows, brands, campaigns, dates, currencies, totals), if data came back."""
        return self.data

    def by_id(self, check_id: str) -> Check | None:
        """The check with this id, if present."""
        return next((c for c in self.checks if c.id == check_id), None)

    def without_frame(self) -> Diagnosis:
        """The same diagnosis without the parsed rows (the summary stays): cheap to keep many of."""
        return replace(self, report=None) if self.report is not None else self

    def to_dict(self, *, show_token: bool = False) -> dict[str, Any]:
        """The `check --json` shape: url, ok, verdict ("usable" | "fix" | "retry"), checks, suggested_url
        (when there is a URL), and after a fetch `data` and `insights` (a list of findings, [] when
        there is no data). The token is masked unless `show_token`."""
        out: dict[str, Any] = self.url_result.to_dict(show_token=show_token) if self.url_result else {}
        out["ok"] = self.ok
        out["verdict"] = self.verdict.code
        out["checks"] = [c.to_dict() for c in self.checks]
        if self.fetched:
            out["data"] = self.data
            out["insights"] = self.insights_dicts()
        # A report can quote the token back (a campaign or brand named after it): mask it there too.
        return out if show_token else scrub(out, *self.secrets)

    def insights_dicts(self) -> list[dict[str, str | None]]:
        """The findings in their JSON shape (id, severity, title, detail, campaign, date_from, date_to)."""
        return [finding.to_dict() for finding in self.insights or ()]

    def ticket(
        self, generated: dt.datetime | None = None, *, brand: str | None = None, offer: str | None = None
    ) -> str:
        """The support-ticket Markdown of this diagnosis, token masked; `brand` (in Affilka) and `offer`
        (in CasinoFlux) are named when given."""
        from .ticket import ticket_for

        return ticket_for(self, generated, brand=brand, offer=offer)


def scrub(value: Any, *secrets: str | None) -> Any:
    """`value` (JSON-shaped: dicts, lists, strings, numbers) with `secrets` and anything token-like
    masked in every string."""
    if isinstance(value, str):
        return redact(value, *secrets)
    if isinstance(value, dict):
        return {k: scrub(v, *secrets) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub(v, *secrets) for v in value]
    return value


def diagnose_text(text: str) -> Diagnosis:
    """Check pasted text as a URL, without fetching anything."""
    return Diagnosis.of_url_check(check_url(text))


def diagnose_url(
    text: str,
    *,
    settings: FetchSettings | None = None,
    on_progress: ProgressCallback | None = None,
    on_wait: WaitCallback | None = None,
) -> Diagnosis:
    """Check a pasted URL, then fetch every page even when URL checks fail (only an unreadable URL
    stops it), parse, and diagnose the data. A failed fetch becomes a check, never an exception."""
    from .diagnose import combine, error_check
    from .load import load_live

    result = check_url(text, allow_hosts=settings.allow_private_hosts if settings else None)
    if result.url is None:
        return Diagnosis(result.checks, result, fetched=True)
    report = None
    try:
        report = load_live(result.url, settings=settings, on_progress=on_progress, on_wait=on_wait)
        found = report.checks
    except AffilkaError as exc:
        found = (error_check(exc),)
    except Exception as exc:  # one hostile answer must not cost a batch its other rows
        found = (error_check(unexpected(exc, *result.secrets)),)
    # What the host answered may quote the token in any form (an error page, a campaign named after it).
    checks = without_secrets(combine(result.checks, found, report.frame if report else None), result.secrets)
    return Diagnosis(checks, result, report, fetched=True)


def unexpected(exc: Exception, *secrets: str) -> FetchError:
    """A failure the fetcher did not name (a malformed answer it could not follow) as a `FetchError`
    that says what happened, token masked (before it is cut short, so no part of it shows)."""
    reason = redact(str(exc), *secrets)[:300] or type(exc).__name__
    return FetchError(
        f"The program host's answer could not be followed ({reason}), so the report was not fetched."
    )


def diagnose_report(raw: bytes | str, name: str = "report.json") -> Diagnosis:
    """Diagnose a saved report file: the fetch-failure check when it cannot be read, else its data."""
    from .diagnose import error_check
    from .load import load_file

    try:
        report = load_file(raw, name)
    except AffilkaError as exc:
        return Diagnosis((error_check(exc),), fetched=True)
    except Exception as exc:  # a hostile file gets a failing check, as a bad answer does, never a crash
        reason = mask_url(str(exc))[:300] or type(exc).__name__
        return Diagnosis(
            (error_check(ReportFormatError(f"The file could not be read ({reason}).")),), fetched=True
        )
    return Diagnosis(report.checks, None, report, fetched=True)
