"""Figures people read from a report: totals, rates, and the aggregates the charts plot.

Everything is aggregated here, before any chart sees it: a chart gets one point per day or per
campaign, never the report's rows.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .guide import MONEY_COLUMNS

DIMENSIONS = frozenset({"date", "brand", "campaign", "campaign_id", "currency"})


def metric_columns(frame: pd.DataFrame) -> list[str]:
    """The numeric metric columns of a parsed report, in report order."""
    return [c for c in frame.columns if c not in DIMENSIONS and pd.api.types.is_numeric_dtype(frame[c].dtype)]


def _total(series: pd.Series, money: bool) -> int | float:
    value = series.sum(skipna=True)
    if money:
        value = float(value)
        return round(value, 2) if math.isfinite(value) else 0.0
    return int(value)


def totals(frame: pd.DataFrame) -> dict[str, int | float]:
    """Sum of every metric column: integers for counts, money rounded to cents."""
    return {
        c: _total(frame[c], c in MONEY_COLUMNS or frame[c].dtype.kind == "f") for c in metric_columns(frame)
    }


def brands_in(frame: pd.DataFrame) -> list[str]:
    """The distinct brands in the rows (empty when the report is not grouped by brand)."""
    if "brand" not in frame.columns:
        return []
    return sorted(str(b) for b in frame["brand"].dropna().unique())


def currencies_in(frame: pd.DataFrame) -> list[str]:
    """Every currency seen in money cells."""
    seen = frame.attrs.get("currencies")
    if seen is None and "currency" in frame.columns:
        seen = frame["currency"].dropna().unique()
    return sorted(str(c) for c in (seen if seen is not None else []))


def row_currencies(frame: pd.DataFrame) -> list[str]:
    """The currencies the rows carry (each row's money is in one), sorted."""
    if "currency" not in frame.columns:
        return []
    return sorted(str(c) for c in frame["currency"].dropna().unique())


def mixed_currencies(frame: pd.DataFrame) -> bool:
    """Whether money in the report comes in more than one currency, so it must never be added up."""
    return len(currencies_in(frame)) > 1


def currency_totals(frame: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Money columns summed separately for each currency the rows carry: {"EUR": {"ngr": …}, …}.
    Rows with no currency stated are left out (they cannot be put beside any of the others)."""
    money = [c for c in metric_columns(frame) if c in MONEY_COLUMNS]
    if not money or "currency" not in frame.columns:
        return {}
    out: dict[str, dict[str, float]] = {}
    for currency, part in frame.groupby("currency", observed=True, sort=True):
        out[str(currency)] = {c: float(_total(part[c], True)) for c in money}
    return out


def summarize(frame: pd.DataFrame) -> dict[str, Any]:
    """The report in one JSON-ready object: rows, brands, campaigns (count), date span, currencies,
    totals. The shape `inspect` and `check --fetch` print."""
    dates = frame["date"].dropna() if "date" in frame.columns else pd.Series(dtype="datetime64[ns]")
    return {
        "rows": len(frame),
        "brands": brands_in(frame),
        "campaigns": int(frame["campaign"].nunique()) if "campaign" in frame.columns else 0,
        "date_min": dates.min().date().isoformat() if len(dates) else None,
        "date_max": dates.max().date().isoformat() if len(dates) else None,
        "currencies": currencies_in(frame),
        "totals": totals(frame),
    }


# --- KPIs and rates ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Kpi:
    """One headline figure. `kind` is count, money or ratio; `value` is None when not computable."""

    key: str
    label: str
    value: float | int | None
    kind: str
    help: str


COUNT_KPIS = (
    ("visits_count", "Visits"),
    ("registrations_count", "Registrations"),
    ("first_deposits_count", "FTDs"),
)
MONEY_KPIS = (
    ("deposits_sum", "Deposits"),
    ("ngr", "NGR"),
    ("partner_income", "Partner income"),
)
# (key, label, numerator, denominator, kind, help)
RATES = (
    ("registration_rate", "Registration rate", "registrations_count", "visits_count", "ratio",
     "Registrations / visits"),
    ("ftd_rate", "FTD rate", "first_deposits_count", "registrations_count", "ratio",
     "First deposits / registrations"),
    ("qualification_rate", "Qualification rate", "qualified_players_count", "first_deposits_count", "ratio",
     "Qualified players / first deposits"),
    ("avg_first_deposit", "Avg first deposit", "first_deposits_sum", "first_deposits_count", "money",
     "First deposits sum / first deposits"),
    ("epc", "EPC", "partner_income", "visits_count", "money",
     "Earnings per click: partner income / visits"),
)  # fmt: skip


def ratio(numerator: float | int | None, denominator: float | int | None) -> float | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator in (None, 0):
        return None
    return float(numerator) / float(denominator)


MIXED = "not added up: the report mixes currencies"


def kpis(frame: pd.DataFrame) -> list[Kpi]:
    """Headline counts, money and rates over the whole frame (a metric the report lacks is None).

    When money comes in several currencies, every money figure is None and its help says why: euros
    added to dollars make a number that is no amount at all (`money_kpis_by_currency` has them apart)."""
    sums = totals(frame)
    mixed = mixed_currencies(frame)
    out = [Kpi(k, label, sums.get(k), "count", label) for k, label in COUNT_KPIS]
    for k, label in MONEY_KPIS:
        out.append(
            Kpi(k, label, None, "money", f"{label}: {MIXED}")
            if mixed
            else Kpi(k, label, sums.get(k), "money", label)
        )
    for k, label, n, d, kind, h in RATES:
        if mixed and kind == "money":
            out.append(Kpi(k, label, None, kind, f"{h}: {MIXED}"))
        else:
            out.append(Kpi(k, label, ratio(sums.get(n), sums.get(d)), kind, h))
    return out


def money_kpis_by_currency(frame: pd.DataFrame) -> dict[str, list[Kpi]]:
    """The money KPIs (and money rates) of each currency's rows on their own: {"EUR": [...], ...}."""
    if "currency" not in frame.columns:
        return {}
    out: dict[str, list[Kpi]] = {}
    for currency, part in frame.groupby("currency", observed=True, sort=True):
        sums = totals(part)
        figures = [Kpi(k, label, sums.get(k), "money", label) for k, label in MONEY_KPIS]
        figures += [
            Kpi(k, label, ratio(sums.get(n), sums.get(d)), kind, h)
            for k, label, n, d, kind, h in RATES
            if kind == "money"
        ]
        out[str(currency)] = figures
    return out


def with_rates(table: pd.DataFrame) -> pd.DataFrame:
    """Add the rate columns to a table of summed metrics (NaN where a denominator is zero)."""
    table = table.copy()
    for key, _, num, den, _, _ in RATES:
        if num in table.columns and den in table.columns:
            den_values = table[den].astype("float64").where(table[den] != 0)
            table[key] = table[num].astype("float64") / den_values
    return table


# --- aggregates for charts -----------------------------------------------------------------------

OTHER = "Other"


def missing_days(frame: pd.DataFrame, span: tuple[dt.date, dt.date] | None = None) -> list[dt.date]:
    """The days of `span` (default: the rows' first to last day) on which the report has no row."""
    if "date" not in frame.columns or not frame["date"].notna().any():
        return []
    dates = frame["date"].dropna()
    start, end = span or (dates.min().date(), dates.max().date())
    present = set(pd.DatetimeIndex(dates.unique()).normalize().date)
    return [d for d in pd.date_range(start, end, freq="D").date if d not in present]


def by_day(
    frame: pd.DataFrame, *, split_brand: bool = False, span: tuple[dt.date, dt.date] | None = None
) -> pd.DataFrame:
    """Metrics summed per day (and brand when split), with rates; one row per day.

    With `span`, every day of it gets a row (and every brand, when split): a day without rows has empty
    metrics, so a line drawn from the table breaks there instead of bridging the gap."""
    keys = ["date", "brand"] if split_brand and "brand" in frame.columns else ["date"]
    if "date" not in frame.columns or frame.empty:
        return pd.DataFrame(columns=keys)
    table = frame.groupby(keys, observed=True, sort=True)[metric_columns(frame)].sum(min_count=1)
    if span is not None:
        days = pd.date_range(span[0], span[1], freq="D").union(table.index.get_level_values("date").unique())
        if len(keys) == 1:
            full = pd.Index(days, name="date")
        else:
            full = pd.MultiIndex.from_product(
                [days, table.index.get_level_values("brand").unique()], names=keys
            )
        table = table.reindex(full)
    return with_rates(table.reset_index())


def by_campaign(frame: pd.DataFrame, metric: str, *, top: int = 10) -> pd.DataFrame:
    """Campaigns ranked by `metric`: the top `top`, then one "Other" row for the rest.

    Rates are recomputed from summed numerators and denominators, so "Other" is honest too."""
    if "campaign" not in frame.columns or frame.empty:
        return pd.DataFrame(columns=["campaign", metric])
    table = frame.groupby("campaign", observed=True)[metric_columns(frame)].sum(min_count=1)
    table = with_rates(table)
    if metric not in table.columns:
        return pd.DataFrame(columns=["campaign", metric])
    table = table.sort_values(metric, ascending=False, na_position="last")
    head, tail = table.iloc[:top], table.iloc[top:]
    if len(tail):
        other = with_rates(tail[metric_columns(frame)].sum(min_count=1).to_frame(OTHER).T)
        head = pd.concat([head, other])
    head.index = head.index.astype(str)
    return head.rename_axis("campaign").reset_index()


def day_campaign_matrix(
    frame: pd.DataFrame, metric: str, *, top: int = 10, max_columns: int = 120
) -> pd.DataFrame:
    """A campaign × period grid of `metric` for the top campaigns (rows ordered by total, largest
    first); days become weeks when the range is longer than `max_columns` days."""
    if not {"campaign", "date"} <= set(frame.columns) or frame.empty:
        return pd.DataFrame()
    base = [c for c in metric_columns(frame)]
    rate = next((r for r in RATES if r[0] == metric), None)
    needed = [rate[2], rate[3]] if rate else [metric]
    if not set(needed) <= set(base):
        return pd.DataFrame()
    ranking = frame.groupby("campaign", observed=True)[needed[0]].sum().sort_values(ascending=False)
    keep = list(ranking.index[:top])
    sub = frame[frame["campaign"].isin(keep)]
    days = (frame["date"].max() - frame["date"].min()).days + 1
    period = sub["date"].dt.to_period("W").dt.start_time if days > max_columns else sub["date"]
    grouped = sub.groupby([sub["campaign"].astype(str), period], observed=True)[needed].sum()
    if rate:
        values = grouped[rate[2]].astype("float64") / grouped[rate[3]].astype("float64").where(
            grouped[rate[3]] != 0
        )
    else:
        values = grouped[metric]
    matrix = values.unstack(level=1)
    matrix = matrix.reindex([str(c) for c in keep])
    if days <= max_columns:
        # Days without rows stay as empty columns: a blank stretch, not two days drawn side by side.
        matrix = matrix.reindex(columns=pd.date_range(frame["date"].min(), frame["date"].max(), freq="D"))
    matrix.columns.name = "week" if days > max_columns else "date"
    return matrix


FUNNEL = (
    ("visits_count", "Visits"),
    ("registrations_count", "Registrations"),
    ("first_deposits_count", "First deposits"),
    ("qualified_players_count", "Qualified"),
)


# The metrics the day × campaign heat map offers: the ones that show a campaign that stopped converting.
HEATMAP_METRICS = (
    "registration_rate",
    "ftd_rate",
    "first_deposits_count",
    "registrations_count",
    "visits_count",
    "partner_income",
    "ngr",
    "qualification_rate",
)


def funnel(frame: pd.DataFrame) -> list[tuple[str, int]]:
    """Visits → registrations → first deposits → qualified, for the stages the report has."""
    sums = totals(frame)
    return [(label, int(sums[key])) for key, label in FUNNEL if key in sums]


CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥", "INR": "₹", "BRL": "R$", "TRY": "₺"}


def _compact(value: float) -> str:
    """Three significant digits with a suffix (1.12M, 753k, 11.0M); small numbers in full."""
    rounded = float(f"{value:.3g}")  # round first, so 999,999 reads 1.00M rather than 1,000k
    for limit, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(rounded) >= limit and abs(rounded) >= 1e5:
            scaled = rounded / limit
            digits = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
            return f"{scaled:,.{digits}f}{suffix}"
    return f"{value:,.0f}" if float(value).is_integer() or abs(value) >= 1e3 else f"{value:,.2f}"


def format_value(
    value: float | int | None, kind: str, currency: str | None = None, *, compact: bool = False
) -> str:
    """A figure as people read it: 12,345 · €1,234.56 · 4.2% · — when unknown. `compact` shortens
    large numbers for cards (1.12M, €7.56M)."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if kind == "ratio":
        return f"{value:.1%}"
    if kind == "money":
        symbol = CURRENCY_SYMBOLS.get(currency or "", "")
        if compact and abs(value) >= 1e5:
            text = _compact(abs(value))
        elif compact and abs(value) >= 1e4:
            text = f"{abs(value):,.0f}"  # cents are noise on a card at this size, and would not fit
        else:
            text = f"{abs(value):,.2f}"
        sign = "-" if value < 0 else ""
        return f"{sign}{symbol}{text}" if symbol else f"{sign}{text}" + (f" {currency}" if currency else "")
    return _compact(value) if compact else f"{int(value):,}"


def only(
    frame: pd.DataFrame, *, brands: list[str] | None = None, campaigns: list[str] | None = None
) -> pd.DataFrame:
    """The rows of the given brands and campaigns (None or empty: all of them)."""
    mask = pd.Series(True, index=frame.index)
    if brands and "brand" in frame.columns:
        mask &= frame["brand"].astype(str).isin(brands)
    if campaigns and "campaign" in frame.columns:
        mask &= frame["campaign"].astype(str).isin(campaigns)
    return frame if bool(mask.all()) else frame[mask]


def main_currency(frame: pd.DataFrame) -> str | None:
    """The report's money currency when there is exactly one."""
    found = currencies_in(frame)
    return found[0] if len(found) == 1 else None
