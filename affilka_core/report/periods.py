"""The periods a report is dated by, and which of them have no rows: one notion of the report's grouping
for the data checks, the charts and the findings.

A report takes one date grouper (day, week, month or year). Affilka dates week- and month-grouped rows
with the period's first day, in a `date` cell like a day's, so the grouping comes from the URL when it
names one, else from how the rows are dated (cells named week, month or year, or `date` cells all on
Mondays, on the 1st or on 1 January: `dated_by`), else day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar, overload

import numpy as np
import pandas as pd

from affilka_core.url.parse import DATE_GROUPERS

T = TypeVar("T")

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


class Runs(Sequence[T]):
    """Consecutive items given as runs of ordinals (first, last), read as one sequence without listing
    them all: its length, its first items (`runs[:5]`) and its `runs`, however many items they span (the
    days between the year 1 and 9999 are 3.65 million; their runs are as few as the rows' own days)."""

    def __init__(self, runs: Sequence[tuple[int, int]], item: Callable[[int], T]) -> None:
        self._runs = tuple(runs)
        self._item = item
        self._length = sum(last - first + 1 for first, last in self._runs)

    @property
    def runs(self) -> list[tuple[T, T]]:
        """Each run as (first item, last item)."""
        return [(self._item(first), self._item(last)) for first, last in self._runs]

    def __len__(self) -> int:
        return self._length

    def __iter__(self) -> Iterator[T]:
        for first, last in self._runs:
            for ordinal in range(first, last + 1):
                yield self._item(ordinal)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            return [self[i] for i in range(start, stop, step)]
        if index < 0:
            index += self._length
        for first, last in self._runs:
            if index <= last - first:
                return self._item(first + index)
            index -= last - first + 1
        raise IndexError("Runs index out of range")


def _gaps(present: np.ndarray, first: int, last: int) -> list[tuple[int, int]]:
    """Runs of the ordinals first..last not in `present` (sorted, unique), found between present ones."""
    inside = present[(present >= first) & (present <= last)]
    edges = np.concatenate(([first - 1], inside, [last + 1]))
    return [(int(edges[i]) + 1, int(edges[i + 1]) - 1) for i in np.flatnonzero(np.diff(edges) > 1)]


def missing_periods(
    dates: pd.Series, start: dt.date, end: dt.date, grouping: str = "day"
) -> tuple[Runs[pd.Period], int]:
    """The periods (days, weeks, months or years) inside start..end with no rows, and how many periods
    start..end holds. Worked out from the periods that have rows, never by walking start..end."""
    freq = PERIOD_FREQ[grouping]
    first, last = pd.Period(start, freq=freq).ordinal, pd.Period(end, freq=freq).ordinal
    present = np.unique(pd.PeriodIndex(pd.DatetimeIndex(dates.dropna().unique()), freq=freq).asi8)

    def period(ordinal: int) -> pd.Period:
        return pd.Period(ordinal=ordinal, freq=freq)

    return Runs(_gaps(present, first, last), period), max(last - first + 1, 0)


_EPOCH = dt.date(1970, 1, 1)


def missing_days(dates: pd.Series, start: dt.date, end: dt.date) -> Runs[dt.date]:
    """The days inside start..end on which there is no row (as runs: see `Runs`)."""
    missing, _ = missing_periods(dates, start, end, "day")
    # A day period's ordinal counts days from 1970-01-01.
    return Runs(missing._runs, lambda ordinal: _EPOCH + dt.timedelta(days=ordinal))
