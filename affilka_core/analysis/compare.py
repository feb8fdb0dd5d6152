"""This period against the last: the previous period of the same length, KPI deltas, the by-day overlay and
the campaigns that moved most.

The previous period is fetched through the same URL with `from`/`to` rewritten, as CasinoFlux does on a
sync; these functions only compare two parsed frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from affilka_core.analysis.metrics import Kpi, by_day, kpis, metric_columns, overflow_reported
from affilka_core.analysis.registry import Kind


@dataclass(frozen=True, slots=True)
class KpiDelta:
    """A headline figure now and in the previous period. `change` is None when either is unknown;
    `percent` is None when the previous value is zero too."""

    key: str
    label: str
    kind: Kind
    current: float | int | None
    previous: float | int | None

    @property
    def change(self) -> float | None:
        if self.current is None or self.previous is None:
            return None
        return float(self.current) - float(self.previous)

    @property
    def percent(self) -> float | None:
        if self.change is None or not self.previous:
            return None
        return self.change / abs(float(self.previous))


@overflow_reported
def kpi_deltas(current: pd.DataFrame, previous: pd.DataFrame) -> list[KpiDelta]:
    """Every KPI of `metrics.kpis` with its value in both periods."""
    before: dict[str, Kpi] = {k.key: k for k in kpis(previous)}
    return [
        KpiDelta(k.key, k.label, k.kind, k.value, before[k.key].value if k.key in before else None)
        for k in kpis(current)
    ]


@overflow_reported
def overlay_by_day(current: pd.DataFrame, previous: pd.DataFrame, metric: str) -> pd.DataFrame:
    """`metric` per day of both periods side by side, aligned by day number (day 1 = each period's first
    day): columns `day`, `date`, `current`, `previous_date`, `previous`."""
    out = []
    for frame in (current, previous):
        dated = frame["date"].dropna() if "date" in frame.columns else pd.Series(dtype="datetime64[us]")
        # Each period's own days, with an empty row where a run of days without rows starts (the line
        # breaks there): never every day between its first and last row.
        span = (dated.min().date(), dated.max().date()) if len(dated) else None
        table = by_day(frame, span=span)
        if metric not in table.columns or table.empty:
            out.append(pd.DataFrame({"day": [], "date": pd.Series(dtype="datetime64[us]"), metric: []}))
            continue
        table = table[["date", metric]].reset_index(drop=True)
        table.insert(0, "day", (table["date"] - table["date"].min()).dt.days + 1)
        out.append(table)
    now, before = out
    merged = now.rename(columns={metric: "current"}).merge(
        before.rename(columns={"date": "previous_date", metric: "previous"}), on="day", how="outer"
    )
    return merged.sort_values("day").reset_index(drop=True)


@overflow_reported
def campaign_movers(
    current: pd.DataFrame, previous: pd.DataFrame, metric: str, *, top: int = 5
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The campaigns whose `metric` rose most and fell most between the periods (each at most `top`
    rows: campaign, current, previous, change). A campaign absent from one period counts as 0 there."""
    empty = pd.DataFrame(columns=["campaign", "current", "previous", "change"])
    if "campaign" not in current.columns and "campaign" not in previous.columns:
        return empty, empty
    sums = []
    for frame in (current, previous):
        if "campaign" in frame.columns and metric in metric_columns(frame):
            sums.append(frame.groupby(frame["campaign"].astype(str), observed=True)[metric].sum())
        else:
            sums.append(pd.Series(dtype="float64"))
    table = pd.concat(sums, axis=1, keys=["current", "previous"]).fillna(0)
    table["change"] = table["current"] - table["previous"]
    table = table.rename_axis("campaign").reset_index()
    gainers = table[table["change"] > 0].nlargest(top, "change").reset_index(drop=True)
    losers = table[table["change"] < 0].nsmallest(top, "change").reset_index(drop=True)
    return gainers, losers
