"""Figures people read from a report: totals, KPIs, and the aggregates the charts plot.

Everything is aggregated here, before any chart sees it: a chart gets one point per day or per
campaign, never the report's rows. What each metric is called and how a rate is computed comes from
`registry`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ParamSpec, TypeVar, cast

import numpy as np
import pandas as pd

from affilka_core.analysis.registry import DERIVED, FUNNEL_KEYS, KPI_KEYS, Kind, metric
from affilka_core.guide import MONEY_COLUMNS
from affilka_core.report.frame import brands_in, row_currencies
from affilka_core.report.periods import Runs, missing_days

if TYPE_CHECKING:
    from affilka_core.report.frame import ParsedReport

DIMENSIONS = frozenset({"date", "brand", "campaign", "campaign_id", "currency"})
OTHER = "Other"
MIXED = "not added up: the report mixes currencies"


_P = ParamSpec("_P")
_R = TypeVar("_R")


def overflow_reported(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """`func` adding up figures without numpy's RuntimeWarning when a sum passes what a float holds: that
    sum is infinity, which the data check `data.non_finite` names and every figure shows as —."""

    @functools.wraps(func)
    def quiet(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with np.errstate(over="ignore", invalid="ignore"):
            return func(*args, **kwargs)

    return quiet


def metric_columns(frame: pd.DataFrame) -> list[str]:
    """The numeric metric columns of a parsed report, in report order."""
    return [c for c in frame.columns if c not in DIMENSIONS and pd.api.types.is_numeric_dtype(frame[c].dtype)]


def _total(series: pd.Series, money: bool) -> int | float | None:
    with np.errstate(all="ignore"):
        value = float(np.nansum(series.to_numpy(dtype="float64", na_value=np.nan)))
    if not math.isfinite(value):
        return None  # no number to show: the data check `data.non_finite` names it
    if money:
        return round(value, 2)
    if abs(value) >= 2.0**63:
        return None  # a count's sum past 64 bits would wrap around to nonsense
    return int(series.sum(skipna=True))


@overflow_reported
def totals(frame: pd.DataFrame) -> dict[str, int | float | None]:
    """Sum of every metric column: integers for counts, money rounded to cents; None for a sum that is not
    a finite number (an infinite cell, or more than a number holds): never shown as 0."""
    return {
        c: _total(frame[c], c in MONEY_COLUMNS or frame[c].dtype.kind == "f") for c in metric_columns(frame)
    }


def mixed_currencies(frame: pd.DataFrame) -> bool:
    """Whether the rows' money comes in more than one currency, so it must never be added up."""
    return len(row_currencies(frame)) > 1


def main_currency(frame: pd.DataFrame) -> str | None:
    """The rows' money currency when there is exactly one."""
    found = row_currencies(frame)
    return found[0] if len(found) == 1 else None


def summarize(report: ParsedReport) -> dict[str, Any]:
    """The report in one JSON-ready object: rows, brands, campaigns (count), date span, currencies,
    totals. The shape `inspect` and `check --fetch` print."""
    frame = report.frame
    dates = frame["date"].dropna() if "date" in frame.columns else pd.Series(dtype="datetime64[ns]")
    return {
        "rows": len(frame),
        "brands": brands_in(frame),
        "campaigns": int(frame["campaign"].nunique()) if "campaign" in frame.columns else 0,
        "date_min": dates.min().date().isoformat() if len(dates) else None,
        "date_max": dates.max().date().isoformat() if len(dates) else None,
        "currencies": list(report.currencies),
        "totals": totals(frame),
    }


# --- KPIs and rates ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kpi:
    """One headline figure. `kind` is count, money or rate; `value` is None when not computable, and
    `help` then says why."""

    key: str
    label: str
    value: float | int | None
    kind: Kind
    help: str


def ratio(numerator: float | int | None, denominator: float | int | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator in (None, 0):
        return None
    return float(numerator) / float(denominator)


NOT_FINITE = (
    "not a finite number: the report's {column} cells are infinite or add up to more than a number holds"
)


def _kpi(key: str, sums: dict[str, int | float | None], *, mixed: bool = False) -> Kpi:
    m = metric(key)
    if mixed and m.kind == "money":
        return Kpi(key, m.short, None, m.kind, f"{m.help}: {MIXED}")
    parts = [m.numerator, m.denominator] if m.numerator is not None and m.denominator is not None else [key]
    broken = next((c for c in parts if c in sums and sums[c] is None), None)
    if broken is not None:
        return Kpi(key, m.short, None, m.kind, f"{m.help}: {NOT_FINITE.format(column=broken)}")
    if m.numerator is not None and m.denominator is not None:
        value = ratio(sums.get(m.numerator), sums.get(m.denominator))
    else:
        value = sums.get(key)
    return Kpi(key, m.short, value, m.kind, m.help)


@overflow_reported
def kpis(frame: pd.DataFrame) -> list[Kpi]:
    """Headline counts, money and rates over the whole frame (a metric the report lacks is None).

    When money comes in several currencies, every money figure is None and its help says why: euros
    added to dollars make a number that is no amount at all (`money_kpis_by_currency` has them apart)."""
    sums = totals(frame)
    mixed = mixed_currencies(frame)
    return [_kpi(key, sums, mixed=mixed) for key in KPI_KEYS]


@overflow_reported
def money_kpis_by_currency(frame: pd.DataFrame) -> dict[str, list[Kpi]]:
    """The money KPIs (and money ratios) of each currency's rows on their own: {"EUR": [...], ...}."""
    if "currency" not in frame.columns:
        return {}
    money = [key for key in KPI_KEYS if metric(key).kind == "money"]
    return {
        str(currency): [_kpi(key, totals(part)) for key in money]
        for currency, part in frame.groupby("currency", observed=True, sort=True)
    }


@overflow_reported
def with_rates(table: pd.DataFrame) -> pd.DataFrame:
    """Add the derived columns (rates, money ratios) to a table of summed metrics (NaN where a
    denominator is zero)."""
    table = table.copy()
    for m in DERIVED:
        if m.numerator in table.columns and m.denominator in table.columns:
            den_values = table[m.denominator].astype("float64").where(table[m.denominator] != 0)
            table[m.key] = table[m.numerator].astype("float64") / den_values
    return table


# --- aggregates for charts -----------------------------------------------------------------------


@overflow_reported
def by_day(
    frame: pd.DataFrame, *, split_brand: bool = False, span: tuple[dt.date, dt.date] | None = None
) -> pd.DataFrame:
    """Metrics summed per day (and brand when split), with rates; one row per day.

    With `span`, the first day of each run of days of it without rows gets a row too (for every brand,
    when split), with empty metrics: a line drawn from the table breaks there instead of bridging the gap.
    The table has the rows' own days and those, never every day between the first and the last."""
    keys = ["date", "brand"] if split_brand and "brand" in frame.columns else ["date"]
    if "date" not in frame.columns or frame.empty:
        return pd.DataFrame(columns=keys)
    table = frame.groupby(keys, observed=True, sort=True)[metric_columns(frame)].sum(min_count=1)
    if span is not None:
        # The "date" column is datetime64 (report.columns.dates), so its level is a DatetimeIndex.
        dated = cast(pd.DatetimeIndex, table.index.get_level_values("date").unique())
        starts = np.array([first for first, _ in gaps(frame, span).runs], dtype="datetime64[D]")
        days = pd.DatetimeIndex(starts).as_unit(dated.unit).union(dated)
        full: pd.Index
        if len(keys) == 1:
            full = pd.Index(days, name="date")
        else:
            full = pd.MultiIndex.from_product(
                [days, table.index.get_level_values("brand").unique()], names=keys
            )
        table = table.reindex(full)
    return with_rates(table.reset_index())


def gaps(frame: pd.DataFrame, span: tuple[dt.date, dt.date] | None = None) -> Runs[dt.date]:
    """The days of `span` (default: the rows' first to last day) on which the report has no row: a
    sequence read from its runs (`report.periods.Runs`), never a list of every day between."""
    if "date" not in frame.columns or not frame["date"].notna().any():
        return Runs([], dt.date.fromordinal)
    dates = frame["date"].dropna()
    start, end = span or (dates.min().date(), dates.max().date())
    return missing_days(dates, start, end)


@overflow_reported
def by_campaign(frame: pd.DataFrame, key: str, *, top: int = 10) -> pd.DataFrame:
    """Campaigns ranked by metric `key`: the top `top`, then one "Other" row for the rest.

    Rates are recomputed from summed numerators and denominators, so "Other" is honest too."""
    if "campaign" not in frame.columns or frame.empty:
        return pd.DataFrame(columns=["campaign", key])
    table = frame.groupby("campaign", observed=True)[metric_columns(frame)].sum(min_count=1)
    table = with_rates(table)
    if key not in table.columns:
        return pd.DataFrame(columns=["campaign", key])
    table = table.sort_values(key, ascending=False, na_position="last")
    head, tail = table.iloc[:top], table.iloc[top:]
    if len(tail):
        other = with_rates(tail[metric_columns(frame)].sum(min_count=1).to_frame(OTHER).T)
        head = pd.concat([head, other])
    head.index = head.index.astype(str)
    return head.rename_axis("campaign").reset_index()


@overflow_reported
def day_campaign_matrix(
    frame: pd.DataFrame,
    key: str,
    *,
    top: int = 10,
    max_columns: int = 120,
    pinned: Sequence[str] = (),
) -> pd.DataFrame:
    """A campaign × period grid of metric `key` for the top campaigns (rows ordered by total, largest
    first), then the `pinned` ones outside the top (the campaigns a finding sends the reader to find on
    the grid); days become weeks when the range is longer than `max_columns` days."""
    if not {"campaign", "date"} <= set(frame.columns) or frame.empty:
        return pd.DataFrame()
    m = metric(key)
    needed = [m.numerator, m.denominator] if m.numerator and m.denominator else [key]
    if not set(needed) <= set(metric_columns(frame)):
        return pd.DataFrame()
    ranking = frame.groupby("campaign", observed=True)[needed[0]].sum().sort_values(ascending=False)
    keep = list(ranking.index[:top])
    keep += [c for c in ranking.index[top:] if str(c) in set(pinned)]
    sub = frame[frame["campaign"].isin(keep)]
    days = (frame["date"].max() - frame["date"].min()).days + 1
    period = sub["date"].dt.to_period("W").dt.start_time if days > max_columns else sub["date"]
    grouped = sub.groupby([sub["campaign"].astype(str), period], observed=True)[needed].sum()
    if m.numerator and m.denominator:
        den = grouped[m.denominator].astype("float64")
        values = grouped[m.numerator].astype("float64") / den.where(den != 0)
    else:
        values = grouped[key]
    matrix = values.unstack(level=1)
    matrix = matrix.reindex([str(c) for c in keep])
    if days <= max_columns:
        # Days without rows stay as empty columns: a blank stretch, not two days drawn side by side.
        matrix = matrix.reindex(columns=pd.date_range(frame["date"].min(), frame["date"].max(), freq="D"))
    matrix.columns.name = "week" if days > max_columns else "date"
    return matrix


@overflow_reported
def funnel(frame: pd.DataFrame) -> list[tuple[str, int]]:
    """Visits → registrations → first deposits → qualified, for the stages the report has (and whose sum
    is a number)."""
    sums = totals(frame)
    return [(metric(key).short, int(value)) for key in FUNNEL_KEYS if (value := sums.get(key)) is not None]


def _named_as(column: pd.Series, names: list[str]) -> np.ndarray:
    """Which rows' value, as text, is one of `names`: for a categorical column, read per category and
    spread by the codes, never by turning every row into text."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        wanted = column.cat.categories.astype(str).isin(names)
        codes = column.cat.codes.to_numpy()
        return np.concatenate([wanted, [False]])[codes]  # code -1 (no value) picks the False at the end
    return column.astype(str).isin(names).to_numpy()


def only(
    frame: pd.DataFrame, *, brands: list[str] | None = None, campaigns: list[str] | None = None
) -> pd.DataFrame:
    """The rows of the given brands and campaigns (None or empty: all of them)."""
    mask = np.ones(len(frame), dtype=bool)
    if brands and "brand" in frame.columns:
        mask &= _named_as(frame["brand"], brands)
    if campaigns and "campaign" in frame.columns:
        mask &= _named_as(frame["campaign"], campaigns)
    return frame if bool(mask.all()) else frame[mask]
