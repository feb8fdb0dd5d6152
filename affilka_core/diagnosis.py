"""One result for everything known about a pasted URL or a loaded report: its checks (URL, fetch and data
combined), the URL checklist it came from, the report when one was fetched or loaded, and when.

The URL check page, Performance, Data, batch rows, the CLI and the support ticket all read a `Diagnosis`.
Checking a URL without fetching needs neither pandas nor requests; they are imported only when a report
is fetched or read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from affilka_core.budgets import REPORT_BYTES, REPORT_ROWS
from affilka_core.catalogue import CheckId, Phase, phase_of
from affilka_core.checks.combine import combine
from affilka_core.checks.fetch_checks import error_check
from affilka_core.checks.model import Check, Status, none_fail, without_secrets
from affilka_core.checks.url_result import UrlCheckResult, check_url
from affilka_core.checks.verdict import Verdict, verdict
from affilka_core.errors import AffilkaError, NotAskedAgain
from affilka_core.text import mid_sentence
from affilka_core.url.masking import redact, scrub

if TYPE_CHECKING:
    import pandas as pd

    from affilka_core.analysis.insights import Finding
    from affilka_core.fetch.page import WaitCallback
    from affilka_core.fetch.report import ProgressCallback
    from affilka_core.fetch.settings import FetchSettings
    from affilka_core.load import LoadedReport
    from affilka_core.url.parse import AffilkaUrl


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass(frozen=True, kw_only=True, eq=False)
class Diagnosis:
    """The checks of one URL or loaded report, in guide-step order.

    `url_result` is the URL checklist (None for a demo or a saved report). `fetched` says a fetch was
    asked for or a report read: `to_dict` then carries `data`, None when no data came back. `report`
    holds the parsed report; `data` is its summary and `insights` what stands out in it
    (`analysis.insights.find_insights`), both computed from it and kept when it is dropped (see
    `without_frame`). `at` is when the diagnosis was made (UTC): for a fetch, when Affilka's answer (or
    its failure) came back. `asked` is False when a fetch sent no request because the host was still in
    the pause a 429 asked for: `at` is then when that 429 came. `not_fetched` says why a fetch asked for
    sent nothing at all (`why_not_fetched`: not a URL, or a token Affilka could only refuse): there are
    then no fetch or data checks.
    """

    checks: tuple[Check, ...]
    url_result: UrlCheckResult | None = None
    report: LoadedReport | None = None
    fetched: bool = False
    data: dict[str, Any] | None = None
    insights: tuple[Finding, ...] | None = None
    at: dt.datetime = field(default_factory=_now)
    asked: bool = True
    not_fetched: str | None = None

    def __post_init__(self) -> None:
        if self.report is None:
            if self.insights is None:
                object.__setattr__(self, "insights", ())
            return
        # pandas: only when there is a report
        from affilka_core.analysis.insights import find_insights
        from affilka_core.analysis.metrics import summarize

        if self.data is None:
            object.__setattr__(self, "data", summarize(self.report.parsed))
        if self.insights is None:
            found = find_insights(self.report.frame, grouping=self.report.grouping)
            object.__setattr__(self, "insights", tuple(found))

    def __repr__(self) -> str:
        # Shown through the URL checklist's and the report's own masked reprs, never a field in clear.
        report = self.report
        shown = f"<{report.source} report {report.label!r}, {len(report.frame)} rows>" if report else None
        return redact(
            f"Diagnosis(verdict={self.verdict.code!r}, url_result={self.url_result!r}, report={shown}, "
            f"fetched={self.fetched}, data={self.data!r}, checks={self.checks!r})",
            *self.secrets,
        )

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
        """The URL as read, None for a loaded report or text that is not a URL."""
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

    @property
    def failed_fetch(self) -> Check | None:
        """The check of the fetch that failed, when a fetch was tried and failed."""
        return next(
            (c for c in self.checks if phase_of(c.id) == Phase.FETCH and c.status == Status.FAIL), None
        )

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


def why_not_fetched(result: UrlCheckResult) -> str | None:
    """Why the pasted text is not fetched (None: it is): it is not a URL, or its token check fails (the
    token is masked, missing, empty, or where Affilka never reads it), or the URL is cut at or before its
    token. Affilka could only refuse such a
    URL, and a masked token is a copy's, never to be sent: the paste is to fix, not the Offer. Said as a
    phrase ("this token is masked", "no token", "not a URL")."""
    if result.url is None:
        return "not a URL"
    token = next((c for c in result.checks if c.id == CheckId.TOKEN_PRESENT), None)
    if token is not None and token.status == Status.FAIL:
        return mid_sentence(token.title)
    # On a cut URL the token check only says "Not checked"; a token the cut took, or cut short itself,
    # would be refused all the same, and blamed on its expiry.
    if result.url.token_cut:
        return "the token is cut off"
    if result.url.truncation and not result.url.token:
        return "the URL is cut off before its token"
    return None


def diagnose_text(text: str, *, settings: FetchSettings | None = None, **dates: Any) -> Diagnosis:
    """Check pasted text as a URL, without fetching anything (`dates`: `date_from`/`date_to`, a range
    chosen to fetch instead of the URL's own, as `check_url` takes them)."""
    allow = settings.allow_private_hosts if settings else frozenset()
    result = check_url(text, allow_hosts=allow, **dates)
    return Diagnosis(checks=result.checks, url_result=result)


def diagnose_loaded(report: LoadedReport, result: UrlCheckResult | None = None) -> Diagnosis:
    """The diagnosis of a report in hand: its own checks, with the URL checklist it answers when given."""
    if result is None:
        return Diagnosis(checks=report.checks, report=report, fetched=True)
    checks = without_secrets(combine(result.checks, report.checks, report.parsed, result.url), result.secrets)
    return Diagnosis(checks=checks, url_result=result, report=report, fetched=True)


def diagnose_failure(
    exc: AffilkaError, result: UrlCheckResult | None = None, *, secrets: Sequence[str] = ()
) -> Diagnosis:
    """The diagnosis of a fetch or a file that failed: the failure's check, with the URL checklist;
    `secrets` (of a URL pasted beside a file) masked in it. A fetch that sent no request
    (`NotAskedAgain`) is dated when the 429 that paused the host came."""
    if result is None:
        diagnosis = Diagnosis(checks=without_secrets((error_check(exc),), secrets), fetched=True)
    else:
        checks = combine(result.checks, [error_check(exc)], None, result.url)
        diagnosis = Diagnosis(checks=without_secrets(checks, result.secrets), url_result=result, fetched=True)
    if isinstance(exc, NotAskedAgain):
        return replace(diagnosis, at=exc.asked_at or diagnosis.at, asked=False)
    return diagnosis


def diagnose_url(
    text: str,
    *,
    settings: FetchSettings | None = None,
    on_progress: ProgressCallback | None = None,
    on_wait: WaitCallback | None = None,
    **dates: Any,
) -> Diagnosis:
    """Check a pasted URL, then fetch every page even when URL checks fail, parse, and diagnose the data.
    Only a URL `why_not_fetched` names is not fetched (not a URL, a token masked or missing: nothing is
    sent to Affilka); its diagnosis says why. A failed fetch becomes a check, never an exception.
    `dates` (`date_from`, `date_to`) fetch another range than the URL's own, as CasinoFlux does."""
    from affilka_core.fetch.settings import FetchSettings
    from affilka_core.load import load_live
    from affilka_core.url.parse import with_dates

    settings = settings or FetchSettings()
    result = check_url(text, allow_hosts=settings.allow_private_hosts, **dates)
    why = why_not_fetched(result)
    if why is not None or result.url is None:
        return Diagnosis(checks=result.checks, url_result=result, fetched=True, not_fetched=why)
    url = result.url
    if dates.get("date_from") and dates.get("date_to"):
        url = with_dates(url, dates["date_from"], dates["date_to"])
    try:
        report = load_live(
            url, settings=settings, on_progress=on_progress, on_wait=on_wait, secrets=result.secrets
        )
    except AffilkaError as exc:
        return diagnose_failure(exc, result)
    return diagnose_loaded(report, result)


def diagnose_report(
    raw: bytes | str,
    name: str = "report.json",
    *,
    secrets: Sequence[str] = (),
    max_rows: int = int(REPORT_ROWS.default),
    max_bytes: int = int(REPORT_BYTES.default),
) -> Diagnosis:
    """Diagnose a saved report file: the failure's check when it cannot be read (or is larger than
    `max_bytes`, or holds more than `max_rows` rows), else its data; masked with `secrets` (those of a URL
    pasted beside it) and anything token-like."""
    from affilka_core.load import load_file

    try:
        return diagnose_loaded(
            load_file(raw, redact(name, *secrets), secrets=secrets, max_rows=max_rows, max_bytes=max_bytes)
        )
    except AffilkaError as exc:
        return diagnose_failure(exc, secrets=secrets)


def with_secrets_masked(diagnosis: Diagnosis, secrets: Sequence[str]) -> Diagnosis:
    """A loaded report's diagnosis masked again with more `secrets`: a URL pasted after a file was
    loaded, whose token the file may quote. The same diagnosis when nothing changes."""
    from affilka_core.load import masked

    if diagnosis.report is None or not secrets:
        return diagnosis
    report = masked(diagnosis.report, secrets)
    return diagnosis if report is diagnosis.report else diagnose_loaded(report, diagnosis.url_result)


def diagnose_demo(
    days: int = 90, *, end: dt.date | None = None, brands: tuple[str, ...] = ("Casino Alpha",)
) -> Diagnosis:
    """The generated demo report, diagnosed as a loaded report: no network, no token."""
    from affilka_core.load import load_demo

    return diagnose_loaded(load_demo(days, end=end, brands=brands))
