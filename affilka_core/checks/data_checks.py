"""What a fetched report (or a failure to fetch it) says, as checklist items under the guide's steps.

A URL can look right and still fail: the token expired, the account lacks a column, the brand
filter was not applied. These checks join the URL checks so the seven steps show the whole truth.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

import pandas as pd

from .catalogue import CheckId, Phase, phase_of
from .checks import Check, Status, make_check, mid_sentence, sort_checks
from .errors import AffilkaError, advice_for, is_temporary
from .guide import MONEY_COLUMNS, REQUIRED_COLUMNS
from .metrics import brands_in, currencies_in
from .url import AffilkaUrl

QUOTE_LIMIT = 300  # characters of Affilka's own error message quoted in a check


def affilka_quote(message: str | None) -> str:
    """Affilka's own error message as quoted in a check: on one line, at most QUOTE_LIMIT characters
    ("…" when cut), "" when there is none. Checks mask tokens; pages and the ticket escape details."""
    text = " ".join((message or "").split())
    if len(text) > QUOTE_LIMIT:
        text = text[: QUOTE_LIMIT - 1].rstrip() + "…"
    return text


def error_check(exc: AffilkaError) -> Check:
    """The checklist item for a failure, from the one table in `errors.ADVICE`; Affilka's own error
    message, when the answer carried one, is quoted in the detail."""
    advice = advice_for(exc)
    detail = str(exc)
    quote = affilka_quote(getattr(exc, "affilka_message", None))
    if quote:
        detail += f' Affilka said: "{quote}"'
    return make_check(
        advice.check_id, Status.FAIL, advice.title, detail, advice.fix, temporary=is_temporary(exc)
    )


def fetched_check(pages: int, rows: int, size: int, seconds: float) -> Check:
    """A passing item saying the token worked and how much came back, and how long it took."""
    return make_check(
        CheckId.FETCH_OK,
        Status.PASS,
        "Report fetched: the token works",
        f"{pages} page{'s' if pages != 1 else ''}, {rows:,} rows, {size / 1e6:.1f} MB in "
        f"{duration(seconds)}.",
    )


def duration(seconds: float) -> str:
    """A wall time as people read it: "420 ms" below a second (never "0.0 s"), else "2.3 s"."""
    if seconds < 0.9995:
        return f"{max(1, round(seconds * 1000))} ms"
    return f"{seconds:.1f} s"


def _short_list(items: Sequence[str], limit: int = 5) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


# Coverage is measured in the report's own date grouping: a week-grouped report has one row a week.
_PERIOD_FREQ = {"day": "D", "week": "W-SUN", "month": "M", "year": "Y"}


def _grouping(url: AffilkaUrl | None) -> str:
    """The URL's finest date grouper (day when it has none or no URL is known)."""
    groupers = url.date_groupers if url is not None else ()
    return next((g for g in _PERIOD_FREQ if g in groupers), "day")


def _period_label(period: pd.Period, grouping: str) -> str:
    if grouping == "week":
        return f"week of {period.start_time.date()}"
    return str(period)


def _missing_periods(dates: pd.Series, start: dt.date, end: dt.date, grouping: str) -> tuple[list[str], int]:
    """The periods (days, weeks, months or years) inside start..end with no rows, and how many there are."""
    freq = _PERIOD_FREQ[grouping]
    present = set(pd.PeriodIndex(pd.DatetimeIndex(dates.dropna().unique()), freq=freq))
    expected = pd.period_range(start, end, freq=freq)
    return [_period_label(p, grouping) for p in expected if p not in present], len(expected)


def data_checks(
    frame: pd.DataFrame, url: AffilkaUrl | None = None, *, today: dt.date | None = None
) -> list[Check]:
    """The data.* checks on a parsed report; `url` gives the date range the rows should cover, `today`
    (default: the local date) what the newest rows are measured against."""
    checks: list[Check] = []
    rows = len(frame)
    if rows == 0:
        checks.append(
            make_check(
                CheckId.DATA_EMPTY,
                Status.FAIL,
                "The report has no rows",
                "Affilka answered, but with no data for these settings and dates.",
                "In Reports → Statistics, check every required column is selected and the brand filter is "
                "set to this Offer's brand, click Filter, confirm rows appear, then export the JSON again.",
            )
        )
    else:
        checks.append(make_check(CheckId.DATA_EMPTY, Status.PASS, "The report has data", f"{rows:,} rows."))

    if rows == 0:
        checks.append(
            make_check(
                CheckId.DATA_COLUMNS_MISSING,
                Status.WARN,
                "Columns cannot be verified without rows",
                "With no rows, the report does not show which columns the account returns.",
                "Fix the empty report first (step 5), then fetch again.",
            )
        )
    else:
        missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
        if missing:
            checks.append(
                make_check(
                    CheckId.DATA_COLUMNS_MISSING,
                    Status.FAIL,
                    f"{len(missing)} required column{'s' if len(missing) > 1 else ''} absent from the data",
                    "The rows do not carry: " + ", ".join(missing) + ". The account may not have them.",
                    "Ask your Affiliate Manager to enable " + ", ".join(missing) + " on your account, then "
                    "select them in Reports → Statistics → Columns and export again.",
                )
            )
        else:
            checks.append(
                make_check(
                    CheckId.DATA_COLUMNS_MISSING,
                    Status.PASS,
                    "Every required column is in the data",
                    "All 11 present.",
                )
            )

    brands = brands_in(frame)
    if len(brands) > 1:
        checks.append(
            make_check(
                CheckId.DATA_MULTI_BRAND,
                Status.FAIL,
                f"{len(brands)} brands mixed in one report",
                f"The rows hold {_short_list(brands)}: attribution would mix casinos.",
                "In Reports → Statistics → Filters, select only the brand this Offer is for, click Filter "
                "and export again.",
            )
        )
    elif len(brands) == 1:
        checks.append(
            make_check(CheckId.DATA_MULTI_BRAND, Status.PASS, "One brand", f"Every row is {brands[0]}.")
        )
    elif rows:
        checks.append(
            make_check(
                CheckId.DATA_MULTI_BRAND,
                Status.WARN,
                "Brands not visible in the data",
                "The rows carry no brand, so mixing cannot be ruled out.",
                "In Reports → Statistics → Group by, toggle Brand ON and export again.",
            )
        )

    currencies = currencies_in(frame)
    if len(currencies) > 1:
        checks.append(
            make_check(
                CheckId.DATA_MULTI_CURRENCY,
                Status.WARN,
                f"{len(currencies)} currencies in money columns",
                f"Money comes in {', '.join(currencies)}: totals would add different currencies.",
                _currency_fix(url),
            )
        )
    elif rows:
        what = currencies[0] if currencies else "no currency stated"
        checks.append(
            make_check(CheckId.DATA_MULTI_CURRENCY, Status.PASS, "One currency", f"Money is in {what}.")
        )

    if rows and "date" in frame.columns:
        span = url.date_span() if url else None
        dates = frame["date"]
        if span is None and dates.notna().any():
            span = (dates.min().date(), dates.max().date())
        if span is not None:
            grouping = _grouping(url)
            missing, periods = _missing_periods(dates, *span, grouping)
            unit = "day" if grouping == "day" else grouping
            if missing:
                checks.append(
                    make_check(
                        CheckId.DATA_DATE_COVERAGE,
                        Status.WARN,
                        f"{len(missing)} of {periods} {unit}s "
                        f"{'has' if len(missing) == 1 else 'have'} no rows",
                        f"No rows on {_short_list(missing)}. Quiet {unit}s are possible; a run of them "
                        "usually means the date range or filters changed.",
                        f"If those {unit}s should have traffic, check the date range and filters in "
                        "Reports → Statistics, click Filter and export again.",
                    )
                )
            else:
                checks.append(
                    make_check(
                        CheckId.DATA_DATE_COVERAGE,
                        Status.PASS,
                        f"Every {unit} has rows",
                        f"{span[0]} → {span[1]}, {periods} {unit}{'s' if periods > 1 else ''}.",
                    )
                )
    elif rows:
        checks.append(
            make_check(
                CheckId.DATA_DATE_COVERAGE,
                Status.WARN,
                "Days not visible in the data",
                "The rows carry no date, so day-by-day figures are not possible.",
                "In Reports → Statistics → Group by, set Period — Day and export again.",
            )
        )
    span = url.date_span() if url is not None else None
    if rows and span and "date" in frame.columns and frame["date"].notna().any():
        checks.append(outside_range_check(frame["date"], *span))
        checks.append(freshness_check(frame["date"], span[1], today or dt.date.today()))
    if rows and (frame.attrs.get("affilka_totals") or frame.attrs.get("affilka_totals_by_currency")):
        checks.append(totals_check(frame))
    return checks


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


def outside_range_check(dates: pd.Series, start: dt.date, end: dt.date) -> Check:
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
    named = [f"{day} ({n:,} row{'s' if n != 1 else ''})" for day, n in counts.items()]
    total = int(counts.sum())
    return make_check(
        CheckId.DATA_OUTSIDE_RANGE,
        Status.WARN,
        f"{total:,} row{'s' if total != 1 else ''} dated outside from..to",
        f"The URL asks for {start} → {end}, yet Affilka sent rows dated {_short_list(named)}. They are "
        "included in the figures shown here (totals, charts, the data table); CasinoFlux may count them "
        "too.",
        "One extra day just after `to` is a known Affilka habit and needs nothing from you. Otherwise check "
        "from/to and the period in Reports → Statistics, click Filter and export again.",
    )


FRESH_LAG_DAYS = 1  # revenue data arrives about 24 hours late: the last day missing is normal


def freshness_check(dates: pd.Series, end: dt.date, today: dt.date) -> Check:
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


def _differences(frame: pd.DataFrame, reported: Mapping[str, Any], label: str = "") -> tuple[int, list[str]]:
    """How many metrics were compared, and each one whose rows' sum differs from `reported`."""
    differences = []
    compared = 0
    for column, total in reported.items():
        if column not in frame.columns or not isinstance(total, int | float) or isinstance(total, bool):
            continue
        summed = float(pd.to_numeric(frame[column], errors="coerce").sum())
        compared += 1
        if abs(summed - float(total)) > _tolerance(column, len(frame), float(total)):
            differences.append(
                f"{label}{column}: rows add up to {_figure(summed, column)}, Affilka's total is "
                f"{_figure(float(total), column)}"
            )
    return compared, differences


def totals_check(frame: pd.DataFrame) -> Check:
    """data.totals_mismatch: Affilka's own totals (`frame.attrs["affilka_totals"]`, or per currency
    `["affilka_totals_by_currency"]`) against the rows' sums, metric by metric, beyond rounding.

    A saved file holding fewer pages than the report has cannot match totals that cover every page;
    that is said as such, not as lost pages."""
    pages, read = int(frame.attrs.get("total_pages") or 1), int(frame.attrs.get("pages_read") or 1)
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
    by_currency = frame.attrs.get("affilka_totals_by_currency")
    compared, differences = 0, []
    if by_currency and "currency" in frame.columns:
        for currency, reported in by_currency.items():
            n, found = _differences(frame[frame["currency"] == currency], reported, f"{currency} ")
            compared, differences = compared + n, differences + found
    else:
        compared, differences = _differences(frame, frame.attrs.get("affilka_totals") or {})
    if not differences:
        return make_check(
            CheckId.DATA_TOTALS_MISMATCH,
            Status.PASS,
            "Rows add up to Affilka's totals",
            f"{compared} metric{'s' if compared != 1 else ''} compared with the report's own totals.",
        )
    return make_check(
        CheckId.DATA_TOTALS_MISMATCH,
        Status.FAIL,
        f"Rows do not add up to Affilka's totals ({len(differences)} metric"
        f"{'s' if len(differences) != 1 else ''})",
        "; ".join(differences) + ". Pages were lost or counted twice, or the totals use other filters: "
        "CasinoFlux's numbers would not match Affilka's screen.",
        "Fetch again. If the totals still differ, export the report again from Reports → Statistics "
        "(Filter, then Export report → JSON) and tell the Affiliate Manager the figures above.",
    )


def with_brand_verdict(checks: Iterable[Check], frame: pd.DataFrame | None) -> list[Check]:
    """Turn `brand.filter` to pass when the data shows one brand, to fail when it shows several."""
    brands = brands_in(frame) if frame is not None else []
    out = []
    for c in checks:
        if c.id == CheckId.BRAND_FILTER and brands:
            if len(brands) == 1:
                c = make_check(
                    c.id, Status.PASS, "Brand filter set", f"The data holds one brand: {brands[0]}."
                )
            else:
                c = make_check(
                    c.id,
                    Status.FAIL,
                    "Brand filter not set",
                    f"The data mixes {len(brands)} brands ({_short_list(brands)}); see the data check below.",
                    c.fix,
                )
        out.append(c)
    return out


def after_the_fetch(
    checks: Iterable[Check], extra: Sequence[Check], frame: pd.DataFrame | None
) -> list[Check]:
    """URL checks whose words wait for a fetch, said again once it came back: the token refused, money
    not converted although asked, a failed fetch or a report with no rows (neither can show the brand
    filter)."""
    failed = next((c for c in extra if phase_of(c.id) == Phase.FETCH and c.status == Status.FAIL), None)
    refused = failed is not None and failed.id == CheckId.FETCH_UNAUTHORIZED
    unconverted = any(c.id == CheckId.DATA_MULTI_CURRENCY and c.status == Status.WARN for c in extra)
    out = []
    for c in checks:
        if c.id == CheckId.CURRENCY_CONVERSION and c.status == Status.PASS and unconverted:
            # The URL asks for it (its part is right), but "money converted" would be untrue now.
            c = replace(
                c,
                title="Conversion asked for in the URL",
                detail=c.detail.rstrip(".") + ", yet the data came back in several currencies: see below.",
            )
        elif c.id == CheckId.TOKEN_PRESENT and c.status == Status.PASS and refused:
            c = replace(
                c, detail=c.detail.split(". ")[0] + ". Affilka refused it: see the fetch check below."
            )
        elif c.id == CheckId.BRAND_FILTER and c.status == Status.WARN and failed is not None:
            then = (
                "Change nothing in the URL; fetch again later"
                if failed.temporary
                else f"Fix step {failed.step} first, then fetch again"
            )
            c = replace(
                c,
                detail=f"The fetch failed ({mid_sentence(failed.title)}), so the data could not show which "
                f"brands the report holds. {then}: one brand in the data confirms the filter.",
                # After temporary trouble its fix would contradict "change nothing".
                fix="" if failed.temporary else c.fix,
            )
        elif c.id == CheckId.BRAND_FILTER and c.status == Status.WARN and frame is not None and frame.empty:
            c = replace(
                c,
                detail="The report came back with no rows, so its data cannot show which brand is selected "
                "either.",
            )
        out.append(c)
    return out


def combine(
    url_checks: Iterable[Check], extra: Iterable[Check], frame: pd.DataFrame | None
) -> tuple[Check, ...]:
    """URL checks and fetch/data checks together, brand verdict applied and words that waited for the
    fetch said again, in guide-step order."""
    extra = list(extra)
    return sort_checks([*after_the_fetch(with_brand_verdict(url_checks, frame), extra, frame), *extra])
