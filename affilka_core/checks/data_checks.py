"""The data checks, one function per data.* id: what a parsed report's rows say about the URL that
fetched them (empty, columns missing, brands or currencies mixed, periods without rows, rows dated on no
report day or outside from..to, stale, not adding up to Affilka's own totals, figures that are not finite
numbers).

`data_checks` runs them all; `grouping` is the report's date grouping (`report.periods.report_grouping`).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from affilka_core.budgets import EARLIEST_DATE, LATEST_DATE
from affilka_core.catalogue import CheckId
from affilka_core.checks.model import Check, Status, make_check
from affilka_core.guide import MONEY_COLUMNS, REQUIRED_COLUMNS
from affilka_core.report.frame import ParsedReport
from affilka_core.report.periods import missing_periods, period_label
from affilka_core.text import first_n, plural
from affilka_core.url.parse import AffilkaUrl


def check_empty(report: ParsedReport) -> Check:
    """data.empty: the report has rows."""
    if report.rows:
        return make_check(
            CheckId.DATA_EMPTY, Status.PASS, "The report has data", f"{plural(report.rows, 'row')}."
        )
    return make_check(
        CheckId.DATA_EMPTY,
        Status.FAIL,
        "The report has no rows",
        "Affilka answered, but with no data for these settings and dates.",
        "In Reports → Statistics, check every required column is selected and the brand filter is set to "
        "this Offer's brand, click Filter, confirm rows appear, then export the JSON again.",
    )


def check_columns_missing(report: ParsedReport) -> Check:
    """data.columns_missing: every required column is in the rows."""
    if not report.rows:
        return make_check(
            CheckId.DATA_COLUMNS_MISSING,
            Status.WARN,
            "Columns cannot be verified without rows",
            "With no rows, the report does not show which columns the account returns.",
            "Fix the empty report first (step 5), then fetch again.",
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in report.frame.columns]
    them = plural(len(missing), "it", "them", count=False)
    if not missing:
        return make_check(
            CheckId.DATA_COLUMNS_MISSING,
            Status.PASS,
            "Every required column is in the data",
            "All 11 present.",
        )
    return make_check(
        CheckId.DATA_COLUMNS_MISSING,
        Status.FAIL,
        f"{plural(len(missing), 'required column')} absent from the data",
        f"The rows do not carry {plural(len(missing), 'the column', 'the columns', count=False)} "
        f"{', '.join(missing)}. The account may not have {them}.",
        f"Ask your Affiliate Manager to enable {', '.join(missing)} on your account, then select {them} "
        "in Reports → Statistics → Columns and export again.",
    )


def check_multi_brand(report: ParsedReport) -> Check | None:
    """data.multi_brand: one brand in the rows (None for a report without rows)."""
    brands = report.brands
    if len(brands) > 1:
        return make_check(
            CheckId.DATA_MULTI_BRAND,
            Status.FAIL,
            f"{len(brands)} brands mixed in one report",
            f"The rows hold {first_n(brands)}: attribution would mix casinos.",
            "In Reports → Statistics → Filters, select only the brand this Offer is for, click Filter and "
            "export again.",
        )
    if len(brands) == 1:
        return make_check(CheckId.DATA_MULTI_BRAND, Status.PASS, "One brand", f"Every row is {brands[0]}.")
    if not report.rows:
        return None
    return make_check(
        CheckId.DATA_MULTI_BRAND,
        Status.WARN,
        "Brands not visible in the data",
        "The rows carry no brand, so mixing cannot be ruled out.",
        "In Reports → Statistics → Group by, toggle Brand ON and export again.",
    )


def check_multi_currency(report: ParsedReport, url: AffilkaUrl | None = None) -> Check | None:
    """data.multi_currency: money in one currency (None for a report without rows)."""
    currencies = list(report.currencies)
    if len(currencies) > 1:
        return make_check(
            CheckId.DATA_MULTI_CURRENCY,
            Status.WARN,
            f"{len(currencies)} currencies in money columns",
            f"Money comes in {', '.join(currencies)}: totals would add different currencies.",
            _currency_fix(url),
        )
    if not report.rows:
        return None
    what = currencies[0] if currencies else "no currency stated"
    return make_check(CheckId.DATA_MULTI_CURRENCY, Status.PASS, "One currency", f"Money is in {what}.")


def check_date_coverage(
    report: ParsedReport, span: tuple[dt.date, dt.date] | None, grouping: str
) -> Check | None:
    """data.date_coverage: every period (day, week, month or year, as the report is grouped) of `span`
    (default: the rows' first to last) has rows. None for a report without rows."""
    frame = report.frame
    if not report.rows:
        return None
    if "date" not in frame.columns:
        return make_check(
            CheckId.DATA_DATE_COVERAGE,
            Status.WARN,
            "Days not visible in the data",
            "The rows carry no date, so day-by-day figures are not possible.",
            "In Reports → Statistics → Group by, set Period — Day and export again.",
        )
    dates = frame["date"]
    if span is None and dates.notna().any():
        span = (dates.min().date(), dates.max().date())
    if span is None:
        return None
    missing, periods = missing_periods(dates, *span, grouping)
    if not missing:
        return make_check(
            CheckId.DATA_DATE_COVERAGE,
            Status.PASS,
            f"Every {grouping} has rows",
            f"{span[0]} → {span[1]}, {plural(periods, grouping)}.",
        )
    names = [period_label(p, grouping) for p in missing[:5]]
    return make_check(
        CheckId.DATA_DATE_COVERAGE,
        Status.WARN,
        f"{len(missing):,} of {plural(periods, grouping)} {'has' if len(missing) == 1 else 'have'} no rows",
        f"No rows on {first_n(names, total=len(missing))}. Quiet {grouping}s are possible; a run of them "
        "usually means the date range or filters changed.",
        f"If those {grouping}s should have traffic, check the date range and filters in Reports → "
        "Statistics, click Filter and export again.",
    )


def data_checks(
    report: ParsedReport,
    url: AffilkaUrl | None = None,
    *,
    grouping: str = "day",
    today: dt.date | None = None,
) -> list[Check]:
    """The data.* checks on a parsed report, in catalogue order; `url` gives the date range the rows
    should cover, `today` (default: the local date) what the newest rows are measured against."""
    span = url.date_span() if url is not None else None
    checks: list[Check | None] = [
        check_empty(report),
        check_columns_missing(report),
        check_multi_brand(report),
        check_multi_currency(report, url),
        check_date_coverage(report, span, grouping),
    ]
    frame = report.frame
    dated = bool(report.rows) and "date" in frame.columns and bool(frame["date"].notna().any())
    if report.rows and "date" in frame.columns:
        checks.append(check_date_bounds(frame["date"], report.undated_examples))
    if dated and span:
        checks.append(check_outside_range(frame["date"], *span))
        checks.append(check_freshness(frame["date"], span[1], today or dt.date.today()))
    if report.rows and report.has_totals:
        checks.append(check_totals(report))
    if report.rows:
        checks.append(check_non_finite(frame, report.not_numbers))
    return [c for c in checks if c is not None]


def _currency_fix(url: AffilkaUrl | None) -> str:
    """The fix for money in several currencies: turn conversion on, or, when the URL already asks for
    it, say Affilka did not convert (asking again would change nothing)."""
    if url is not None and url.converts_to:
        return (
            f"The URL already asks Affilka to convert everything to {url.converts_to} "
            "(convert_all_currencies=true), yet the money came back in several currencies: Affilka did not "
            "convert. Ask the program's support (the Affiliate Manager) why; until then the figures are "
            "shown per currency, never added together."
        )
    return (
        "In the Filters, turn on converting all currencies to one currency, click Filter and export again "
        "(the URL then has convert_all_currencies=true&conversion_currency=…)."
    )


def check_date_bounds(dates: pd.Series, undated_examples: Sequence[str] = ()) -> Check:
    """data.date_bounds: every row dated from `EARLIEST_DATE` to `LATEST_DATE`, the days a report can
    hold, and every row's date a real day (`undated_examples`: some of those that are not, as written).
    Rows dated otherwise stay in the frame (and in every total), and the check says so."""
    days = dates.dropna()
    outside = days[(days < pd.Timestamp(EARLIEST_DATE)) | (days > pd.Timestamp(LATEST_DATE))]
    undated = int(dates.isna().sum())
    years = f"{EARLIEST_DATE.year}–{LATEST_DATE.year}"
    if outside.empty and not undated:
        return make_check(
            CheckId.DATA_DATE_BOUNDS,
            Status.PASS,
            f"Every row is dated {years}",
            f"All rows are dated from {EARLIEST_DATE} to {LATEST_DATE}.",
        )
    titles, details = [], []
    if not outside.empty:
        counts = outside.dt.date.value_counts().sort_index()
        named = [f"{day} ({plural(n, 'row')})" for day, n in counts.items()]
        titles.append(f"{plural(int(counts.sum()), 'row')} dated outside {years}")
        details.append(
            f"Rows are dated {first_n(named)}: no Affilka report holds such days, so the export is damaged. "
            "They are included in the figures shown here."
        )
    if undated:
        have = plural(undated, "has", "have", count=False)
        titles.append(f"{plural(undated, 'row')} {have} no readable date")
        written = first_n(list(undated_examples), total=max(len(undated_examples), 1))
        if undated > len(undated_examples):
            written = f"such as {written}"  # a few distinct values: the rest may repeat them or not
        details.append(
            f"{plural(undated, 'row')} {have} no readable date (written {written}): no real day, so the "
            "export is damaged. They are counted in the totals and cards here, but on no day of the "
            "charts or the day-by-day figures."
        )
    return make_check(
        CheckId.DATA_DATE_BOUNDS,
        Status.FAIL,
        "; ".join(titles),
        " ".join(details),
        "Export the report again from Reports → Statistics (Filter, then Export report → JSON). If the "
        "dates come back, tell the Affiliate Manager which dates the rows carry.",
    )


def check_outside_range(dates: pd.Series, start: dt.date, end: dt.date) -> Check:
    """data.outside_range: rows dated before `from` or after `to`. They stay in the frame (and so in
    every figure), and the check says so."""
    days = dates.dropna().dt.normalize()
    outside = days[(days < pd.Timestamp(start)) | (days > pd.Timestamp(end))]
    if outside.empty:
        return make_check(
            CheckId.DATA_OUTSIDE_RANGE,
            Status.PASS,
            "Every row is inside from..to",
            f"All rows are dated {start} → {end}.",
        )
    counts = outside.dt.date.value_counts().sort_index()
    named = [f"{day} ({plural(n, 'row')})" for day, n in counts.items()]
    total = int(counts.sum())
    return make_check(
        CheckId.DATA_OUTSIDE_RANGE,
        Status.WARN,
        f"{plural(total, 'row')} dated outside from..to",
        f"The URL asks for {start} → {end}, yet Affilka sent rows dated {first_n(named)}. They are "
        "included in the figures shown here (totals, charts, the data table); CasinoFlux may count them "
        "too.",
        "One extra day just after the URL's to date is a known Affilka habit and needs nothing from you. "
        "Otherwise check from/to and the period in Reports → Statistics, click Filter and export again.",
    )


FRESH_LAG_DAYS = 1  # revenue data arrives about 24 hours late: the last day missing is normal


def check_freshness(dates: pd.Series, end: dt.date, today: dt.date) -> Check:
    """data.freshness: the newest day with rows against `to` (or today, when `to` is later)."""
    newest = dates.max().date()
    expected = min(end, today)
    lag = (expected - newest).days
    if lag <= 0:
        return make_check(
            CheckId.DATA_FRESHNESS, Status.PASS, "Data is up to date", f"The newest rows are from {newest}."
        )
    what = "today" if expected == today else f"to ({end})"
    if lag <= FRESH_LAG_DAYS:
        return make_check(
            CheckId.DATA_FRESHNESS,
            Status.PASS,
            "Data is a day behind: normal",
            f"The newest rows are from {newest}, a day before {what}. Revenue data arrives about 24 hours "
            "late, so the last day missing is normal.",
        )
    return make_check(
        CheckId.DATA_FRESHNESS,
        Status.WARN,
        f"Data is {lag} days behind",
        f"The newest rows are from {newest}, {lag} days before {what}. A day's delay is normal; more "
        "means the data stopped arriving or the filters exclude recent days.",
        "Check the report in Reports → Statistics shows recent days for these filters; if it does not, "
        "ask the Affiliate Manager whether statistics are delayed.",
    )


def _tolerance(column: str, rows: int, reported: float) -> float:
    if column in MONEY_COLUMNS:
        # Each row's amount is rounded to the cent, so the rows' sum may drift by half a cent a row.
        return max(0.01, 0.005 * rows, 1e-9 * abs(reported))
    return 0.5


def _figure(value: float, column: str) -> str:
    return f"{value:,.2f}" if column in MONEY_COLUMNS else f"{value:,.0f}"


def _differences(
    frame: pd.DataFrame, reported: Mapping[str, Any], label: str = ""
) -> tuple[list[str], list[str]]:
    """The metrics compared, and each one whose rows' sum differs from `reported`."""
    differences = []
    compared: list[str] = []
    for column, total in reported.items():
        if column not in frame.columns or not isinstance(total, int | float) or isinstance(total, bool):
            continue
        with np.errstate(over="ignore", invalid="ignore"):  # an infinite sum is data.non_finite's to name
            summed = float(pd.to_numeric(frame[column], errors="coerce").sum())
        compared.append(column)
        if abs(summed - float(total)) > _tolerance(column, len(frame), float(total)):
            differences.append(
                f"{label}{column}: rows add up to {_figure(summed, column)}, Affilka's total is "
                f"{_figure(float(total), column)}"
            )
    return compared, differences


def check_totals(report: ParsedReport) -> Check:
    """data.totals_mismatch: Affilka's own totals (`report.totals`, or per currency
    `report.totals_by_currency`) against the rows' sums, metric by metric, beyond rounding.

    A saved file holding fewer pages than the report has cannot match totals that cover every page;
    that is said as such, not as lost pages."""
    frame = report.frame
    pages, read = max(report.total_pages, 1), max(report.pages_read, 1)
    if pages > read:
        return make_check(
            CheckId.DATA_TOTALS_MISMATCH,
            Status.WARN,
            f"This file holds {read} of the report's {pages} pages",
            f"Affilka's totals cover all {pages} pages, so the rows here cannot add up to them, and every "
            "figure shown is for part of the report only.",
            "Paste the report URL instead of a saved page: the doctor fetches every page. Or, in Reports → "
            "Statistics, narrow the dates so the report fits one page, then export it again as JSON.",
        )
    by_currency = report.totals_by_currency
    differences: list[str]
    differences = []
    metrics: set[str] = set()
    currencies = 0
    if by_currency and "currency" in frame.columns:
        for currency, reported in by_currency.items():
            names, found = _differences(frame[frame["currency"] == currency], reported, f"{currency} ")
            metrics.update(names)
            currencies += bool(names)
            differences += found
    else:
        names, differences = _differences(frame, report.totals or {})
        metrics.update(names)
    if not differences:
        compared = plural(len(metrics), "metric")
        if currencies > 1:
            compared += f" in {plural(currencies, 'currency', 'currencies')}"
        return make_check(
            CheckId.DATA_TOTALS_MISMATCH,
            Status.PASS,
            "Rows add up to Affilka's totals",
            f"{compared} compared with the report's own totals.",
        )
    return make_check(
        CheckId.DATA_TOTALS_MISMATCH,
        Status.FAIL,
        f"Rows do not add up to Affilka's totals ({plural(len(differences), 'metric')})",
        "; ".join(differences) + ". Pages were lost or counted twice, or the totals use other filters: "
        "CasinoFlux's numbers would not match Affilka's screen.",
        "Fetch again. If the totals still differ, export the report again from Reports → Statistics "
        "(Filter, then Export report → JSON) and tell the Affiliate Manager the figures above.",
    )


def _numbers(frame: pd.DataFrame) -> list[str]:
    """The frame's numeric columns: the metrics (dimensions are categoricals, dates datetimes)."""
    return [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c].dtype)]


def not_finite(frame: pd.DataFrame, column: str, not_numbers: np.ndarray | None = None) -> str | None:
    """What is not a finite number in one metric column: its infinite cells, its cells that are not a
    number (`not_numbers`, the rows whose cell reads NaN, as against a null one; rows named counted from
    1), or a sum that overflows; None when every cell and the sum are finite."""
    values = frame[column].to_numpy(dtype="float64", na_value=np.nan)
    found = []
    rows = np.flatnonzero(np.isinf(values))
    if len(rows):
        found.append(f"{plural(len(rows), 'row')} infinite ({_rows_named(rows)})")
    if not_numbers is not None and len(not_numbers):
        where = _rows_named(not_numbers)
        found.append(f"{plural(len(not_numbers), 'row')} not a number ({where}), left out of its sum")
    if found:
        return f"{column}: " + ", ".join(found)
    with np.errstate(all="ignore"):
        total = float(np.nansum(values))
    if not math.isfinite(total):
        return f"{column}: the rows add up to more than a number can hold"
    if frame[column].dtype.kind in "iu" and abs(total) >= _INT_LIMIT:
        # A count's sum past 64 bits would wrap around to nonsense.
        return f"{column}: the rows add up to more than a count can hold"
    return None


def _rows_named(rows: np.ndarray) -> str:
    """ "row 3", "rows 1, 4, 9 and 2 more": rows counted from 0, named from 1."""
    where = first_n([f"{i + 1:,}" for i in rows[:5]], total=len(rows))
    return f"{plural(len(rows), 'row', count=False)} {where}"


_INT_LIMIT = 2.0**63


def _non_finite_effect(problems: list[str]) -> str:
    """What the problems do to the figures shown."""
    said = []
    if any("infinite" in p or "add up" in p for p in problems):
        said.append(" Such figures cannot be shown or added up: the cards show — for them.")
    if any("not a number" in p for p in problems):
        said.append(" Cells that are not a number count as empty in the figures shown here.")
    return "".join(said)


def check_non_finite(frame: pd.DataFrame, not_numbers: Mapping[str, np.ndarray] | None = None) -> Check:
    """data.non_finite: every metric's cells and sum are finite numbers (a sum past what a number holds
    would read as infinity, or as 0, on a card); `not_numbers` names the cells that are not a number
    (`ParsedReport.not_numbers`), which the frame cannot tell from null ones."""
    columns = _numbers(frame)
    nan = not_numbers or {}
    problems = [found for found in (not_finite(frame, c, nan.get(c)) for c in columns) if found is not None]
    if not problems:
        return make_check(
            CheckId.DATA_NON_FINITE,
            Status.PASS,
            "Every figure is a finite number",
            f"{plural(len(columns), 'metric')} checked, cells and sums.",
        )
    return make_check(
        CheckId.DATA_NON_FINITE,
        Status.FAIL,
        f"{plural(len(problems), 'metric')} not a finite number",
        "; ".join(problems) + "." + _non_finite_effect(problems),
        "Export the report again from Reports → Statistics (Filter, then Export report → JSON). If these "
        "metrics still read as infinite or not a number, tell the Affiliate Manager which ones.",
    )
