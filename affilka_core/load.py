"""A loaded report, from where it comes from (a live URL, the demo generator, a saved file) into one
shape: the parsed report, its fetch and data checks, its span and where it came from.

Loading raises `AffilkaError` only: whatever else a hostile answer or file provokes is wrapped in one,
token masked, so every face handles one family of failures. Every report is masked as it is loaded
(`report.masking.mask_report`: the secrets of the URL it answers, or of the URL pasted beside a file,
and anything token-like), its preview and label too, so what the CLI and the app show of it is masked
the same way.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from affilka_core.budgets import REPORT_BYTES, REPORT_ROWS
from affilka_core.checks.data_checks import data_checks
from affilka_core.checks.fetch_checks import fetched_check
from affilka_core.checks.model import Check, without_secrets
from affilka_core.demo import demo_report
from affilka_core.errors import (
    AffilkaError,
    FetchError,
    FileCutShort,
    Rejected,
    RejectedInFile,
    ReportFormatError,
    TooLarge,
    TruncatedJSON,
)
from affilka_core.report.frame import PagePart, ParsedReport, assemble, parse_pages, read_page
from affilka_core.report.masking import mask_report
from affilka_core.report.periods import report_grouping
from affilka_core.report.preview import preview_json
from affilka_core.report.row_budget import RowBudget
from affilka_core.text import megabytes
from affilka_core.url.masking import redact, redactor, secrets_in
from affilka_core.url.parse import AffilkaUrl

if TYPE_CHECKING:
    import pandas as pd

    from affilka_core.fetch.page import WaitCallback
    from affilka_core.fetch.report import ProgressCallback
    from affilka_core.fetch.settings import FetchSettings

Source = Literal["live", "demo", "file"]
DEMO_LABEL = "Demo casino (generated data)"


@dataclass(frozen=True, kw_only=True, eq=False)
class LoadedReport:
    """A parsed report and what its data says. `checks` are the fetch and data checks only; the URL's
    own checks are the caller's. `grouping` is the report's date grouping (day, week, month, year).
    `date_from`/`date_to` are the dates asked for (the URL's, else the rows'); `rows_from`/`rows_to` the
    rows' own first and last day, which the figures cover (see `span_text`). Nothing here holds a token
    in clear."""

    source: Source
    label: str
    parsed: ParsedReport = field(repr=False)  # the report's own text may quote anything
    checks: tuple[Check, ...]
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    rows_from: dt.date | None = None
    rows_to: dt.date | None = None
    grouping: str = "day"
    pages: int = 1
    size: int = 0
    seconds: float = 0.0
    preview: str = field(default="", repr=False)
    # Identifies this load, so pages can cache aggregates without hashing the frame.
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def frame(self) -> pd.DataFrame:
        """The report's rows (see `ParsedReport.frame`)."""
        return self.parsed.frame

    def span_text(self) -> str:
        """The dates the figures cover, as every page says them: the rows' first to last day, and the
        dates asked for beside them when they differ ("2026-04-01 → 2026-04-22 (asked for 2026-04-01 →
        2026-04-21)"); the dates asked for when there are no dated rows."""
        asked = f"{self.date_from} → {self.date_to}"
        if self.rows_from is None or self.rows_to is None:
            return asked
        rows = f"{self.rows_from} → {self.rows_to}"
        if (self.rows_from, self.rows_to) == (self.date_from, self.date_to) or self.date_from is None:
            return rows
        return f"{rows} (asked for {asked})"


def _rows_span(frame: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    if "date" in frame.columns and frame["date"].notna().any():
        return frame["date"].min().date(), frame["date"].max().date()
    return None, None


def _span(url: AffilkaUrl | None, frame: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    span = url.date_span() if url is not None else None
    return span or _rows_span(frame)


@contextmanager
def _only_affilka_errors(secrets: tuple[str, ...], wrap: Callable[[str], AffilkaError]) -> Iterator[None]:
    """Let `AffilkaError` through; turn anything else a hostile answer or file provokes into one (via
    `wrap(reason)`), token masked before it is cut short, so no part of it shows."""
    try:
        yield
    except AffilkaError:
        raise
    except Exception as exc:
        reason = redact(str(exc), *secrets)[:300] or type(exc).__name__
        raise wrap(reason) from None


def _unfollowable(reason: str) -> FetchError:
    return FetchError(
        f"The program host's answer could not be followed ({reason}), so the report was not fetched."
    )


def _unreadable(reason: str) -> ReportFormatError:
    return ReportFormatError(f"The file could not be read ({reason}).")


def _loaded(
    source: Source,
    label: str,
    parsed: ParsedReport,
    url: AffilkaUrl | None,
    checks: tuple[Check, ...],
    *,
    grouping: str,
    preview: str,
    secrets: Sequence[str],
    pages: int = 1,
    size: int = 0,
    seconds: float = 0.0,
) -> LoadedReport:
    start, end = _span(url, parsed.frame)
    first, last = _rows_span(parsed.frame)
    return LoadedReport(
        source=source,
        label=redact(label, *secrets),
        parsed=parsed,
        checks=checks,
        date_from=start,
        date_to=end,
        rows_from=first,
        rows_to=last,
        grouping=grouping,
        pages=pages,
        size=size,
        seconds=seconds,
        preview=preview,
    )


def masked(report: LoadedReport, secrets: Sequence[str]) -> LoadedReport:
    """A loaded report masked again with more `secrets` (a URL pasted after a file was loaded): its
    rows, checks, preview and label, as a load with them would have masked them."""
    hide = redactor(*secrets)
    parsed = mask_report(report.parsed, secrets)
    checks = without_secrets(report.checks, secrets)
    label, preview = hide(report.label), hide(report.preview)
    if (parsed, checks, label, preview) == (report.parsed, report.checks, report.label, report.preview):
        return report
    return replace(report, parsed=parsed, checks=checks, label=label, preview=preview, key=uuid.uuid4().hex)


def load_live(
    url: AffilkaUrl,
    *,
    settings: FetchSettings,
    on_progress: ProgressCallback | None = None,
    on_wait: WaitCallback | None = None,
    today: dt.date | None = None,
    secrets: Sequence[str] = (),
) -> LoadedReport:
    """Fetch every page of `url` and parse it (callbacks as `fetch_report`'s), masked with the URL's
    secrets and `secrets` (the rest of the pasted text's). Raises `AffilkaError` when that fails,
    whatever failed."""
    from affilka_core.fetch.report import fetch_report

    secrets = tuple(dict.fromkeys((*secrets_in(url.raw, url.params), *secrets)))
    with _only_affilka_errors(secrets, _unfollowable):
        decoded: dict[int, PagePart] = {}
        rows = RowBudget(settings.max_rows)

        def read(page: int, total: int, body: bytes) -> int:
            # Each page is read as it arrives, while the next ones download; its body is then let go.
            decoded[page] = read_page(body, page - 1, total, rows)
            return decoded[page].page.total_pages

        fetched = fetch_report(url, settings=settings, on_progress=on_progress, on_wait=on_wait, on_page=read)
        parsed = mask_report(assemble([decoded[page] for page in sorted(decoded)]), secrets)
        decoded.clear()
        grouping = report_grouping(url.date_groupers, parsed.grouping)
        checks = (
            fetched_check(fetched.total_pages, parsed.rows, fetched.size, fetched.seconds),
            *data_checks(parsed, url, grouping=grouping, today=today),
        )
        return _loaded(
            "live",
            url.netloc,
            parsed,
            url,
            checks,
            grouping=grouping,
            preview=preview_json(fetched.pages[0], secrets=secrets),
            secrets=secrets,
            pages=fetched.total_pages,
            size=fetched.size,
            seconds=fetched.seconds,
        )


def load_demo(
    days: int = 90, *, brands: tuple[str, ...] = ("Casino Alpha",), end: dt.date | None = None
) -> LoadedReport:
    """A generated report through the same parse and diagnose path as a live one; no network, no token."""
    raw = demo_report(days, end=end, brands=brands)
    return load_bytes(raw, "demo", DEMO_LABEL)


def load_file(
    raw: bytes | str,
    name: str,
    *,
    secrets: Sequence[str] = (),
    max_rows: int = int(REPORT_ROWS.default),
    max_bytes: int = int(REPORT_BYTES.default),
) -> LoadedReport:
    """A saved report (the JSON tab saved to disk, or uploaded), masked with `secrets` (those of a URL
    pasted beside it). Raises `AffilkaError` if unreadable, whatever made it so: `FileCutShort` (not
    temporary) for JSON that stops before its end, `RejectedInFile` for Affilka's error saved in its place,
    `TooLarge` when larger than `max_bytes` or holding
    more than `max_rows` rows."""
    if len(raw) > max_bytes:
        raise TooLarge(
            f"The report is over {megabytes(max_bytes)}, the most one report may take "
            "(AFFILKA_MAX_REPORT_BYTES): narrow the date range (from/to) and export again."
        )
    try:
        return load_bytes(raw, "file", name, secrets=secrets, max_rows=max_rows)
    except TruncatedJSON:
        # Cut short on the way is a download to try again; a file saved cut short stays so.
        raise FileCutShort(
            "The file ends mid-way: its JSON stops before the end, so the JSON tab was saved before it had "
            "fully loaded."
        ) from None
    except Rejected as exc:
        # Affilka's error saved in place of the report: no request was made now, the file must change.
        raise RejectedInFile(
            f"The file holds Affilka's error, not a report: when the JSON tab was opened, {exc}",
            affilka_message=exc.affilka_message,
        ) from None


def load_bytes(
    raw: bytes | str,
    source: Source,
    label: str,
    url: AffilkaUrl | None = None,
    *,
    today: dt.date | None = None,
    secrets: Sequence[str] = (),
    max_rows: int = int(REPORT_ROWS.default),
) -> LoadedReport:
    """A report body already in hand (demo, file, a scenario's built answer), parsed, masked and checked
    as a fetched one is; `url` is the URL it answers, when there is one, and with `secrets` gives what
    is masked."""
    if url is not None:
        secrets = (*secrets_in(url.raw, url.params), *secrets)
    secrets = tuple(dict.fromkeys(secrets))
    with _only_affilka_errors(secrets, _unreadable):
        parsed = mask_report(parse_pages([raw], max_rows=max_rows), secrets)
        grouping = report_grouping(url.date_groupers if url else (), parsed.grouping)
        checks = tuple(data_checks(parsed, url, grouping=grouping, today=today))
        return _loaded(
            source,
            label,
            parsed,
            url,
            checks,
            grouping=grouping,
            preview=preview_json(raw, secrets=secrets),
            secrets=secrets,
            size=len(raw),
        )
