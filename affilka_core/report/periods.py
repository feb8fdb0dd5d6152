"""The periods a report is dated by, and which of them have no rows: one notion of the report's grouping
for the data checks, the charts and the findings.

A report takes one date grouper (day, week, month or year). Affilka dates week- and month-grouped rows
with the period's first day, in a `date` cell like a day's, so the grouping comes from the URL when it
names one, else from how the rows are dated (cells named week, month or year, or `date` cells all on
Mondays, on the 1st or on 1 January: `dated_by`), else day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from affilka_core.url.parse import DATE_GROUPERS

# pandas' period frequency of each grouping (weeks start on Monday, as Affilka's do).
PERIOD_FREQ = {"day": "D", "week": "W-SUN", "month": "M", "year": "Y"}


def report_grouping(url_groupers: Sequence[str] = (), rows_grouping: str | None = None) -> str:
    """The report's date grouping: the finest date grouper the URL names, else the rows' own (`rows_grouping`,
    see `ParsedReport.grouping`), else "day"."""
    named = next((g for g in DATE_GROUPERS if g in url_groupers), None)
    return named or rows_grouping or "day"


def dated_by(days: pd.DatetimeIndex) -> str:
    """How rows dated with a plain `date` cell are grouped, read from their distinct dates: "week" when
    every date is a Monday a week or more from the next, "month" when every date is the 1st, "year" when
    every date is 1 January, else "day" (also for fewer than two dates: nothing to tell)."""
    unique = days.dropna().unique().sort_values()
    if len(unique) < 2:
        return "day"
    if (unique.month == 1).all() and (unique.day == 1).all():
        return "year"
    if (unique.day == 1).all():
        return "month"
    gaps = (unique[1:] - unique[:-1]).days
    if (unique.day_of_week == 0).all() and (gaps >= 7).all():
        return "week"
    return "day"


def period_label(period: pd.Period, grouping: str) -> str:
    """A period as people name it: "2026-04-03", "week of 2026-03-30", "2026-04", "2026"."""
    if grouping == "week":
        return f"week of {period.start_time.date()}"
    return str(period)


def missing_periods(
    dates: pd.Series, start: dt.date, end: dt.date, grouping: str = "day"
) -> tuple[list[pd.Period], int]:
    """The periods (days, weeks, months or years) inside start..end with no rows, and how many periods
    start..end holds."""
    freq = PERIOD_FREQ[grouping]
    present = set(pd.PeriodIndex(pd.DatetimeIndex(dates.dropna().unique()), freq=freq))
    expected = pd.period_range(start, end, freq=freq)
    return [p for p in expected if p not in present], len(expected)


def missing_days(dates: pd.Series, start: dt.date, end: dt.date) -> list[dt.date]:
    """The days inside start..end on which there is no row."""
    missing, _ = missing_periods(dates, start, end, "day")
    return [p.start_time.date() for p in missing]
