"""What stands out in a report: ranked findings an account manager reads before the charts.

Every finding comes from the frame alone (no URL, no network), names its campaign and dates, and says
which chart shows it. The tests behind each kind are deliberately conservative: a report with steady
traffic and steady rates raises nothing above `info`, so a `high` finding is worth a look.

Affilka's counts are over-dispersed (a campaign's daily visits swing far more than a Poisson draw would),
so day-to-day comparisons use robust statistics (median and MAD of the campaign's own days), and the
"nothing converts" test uses a Poisson bound that must hold for the whole run of days, after correcting
for how many campaigns and runs were looked at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from affilka_core.analysis.metrics import overflow_reported
from affilka_core.analysis.registry import metric
from affilka_core.report.periods import Runs, missing_days
from affilka_core.text import first_n, mid_sentence, plural, runs_text

Severity = Literal["high", "medium", "info"]
_RANK = {"high": 0, "medium": 1, "info": 2}

# A campaign "stopped converting" when it had no first deposit for at least this many days in a row
# while visits or registrations went on...
STOP_MIN_DAYS = 3
# ...and its own earlier rate made that very unlikely: the chance of zero first deposits over the run
# (Poisson, expected = earlier FTDs per registration × the run's registrations) is below this, divided
# by the number of campaigns looked at (a Bonferroni correction, so 70 campaigns do not raise 70× the
# false alarms).
STOP_P_VALUE = 0.001
# The earlier rate needs this many first deposits behind it to count as "steady".
STOP_MIN_BASELINE_FTDS = 10

# A traffic spike: a day's visits this many robust standard deviations (1.4826 × MAD) above the
# campaign's median day, at least this multiple of the median and at least this many visits...
SPIKE_Z = 8.0
SPIKE_MIN_MULTIPLE = 4.0
SPIKE_MIN_VISITS = 100
# ...with registrations that day far below what the campaign's usual registration rate predicts
# (Poisson lower tail below this probability, expected at least SPIKE_MIN_EXPECTED).
SPIKE_P_VALUE = 1e-4
SPIKE_MIN_EXPECTED = 5.0

# A rate shift: the recent days' pooled rate against the median of the campaign's earlier daily rates,
# more than this many robust standard errors away and changed by at least this fraction.
SHIFT_Z = 5.0
SHIFT_MIN_CHANGE = 0.5
SHIFT_MIN_DAYS = 7  # earlier days needed for a baseline
SHIFT_RECENT_FRACTION = 0.25  # the recent window: the last quarter of the days, at least 3
SHIFT_MIN_DENOMINATOR = 200  # recent visits or registrations behind the recent rate

# Income concentration: one campaign's share of partner income (with at least 3 campaigns).
CONCENTRATION_INFO = 0.5
CONCENTRATION_MEDIUM = 0.8

# The rates whose shifts are findings, as the registry defines them.
_SHIFT_RATES = ("registration_rate", "ftd_rate")


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One thing that stands out. `chart` names the Performance chart that shows it, `metric` the metric
    that chart must draw to show it (None when any will do); `days` lists the separate days it names
    when they are not one span from `date_from` to `date_to`."""

    id: str
    severity: Severity
    title: str
    detail: str
    campaign: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    chart: str = ""
    metric: str | None = None
    days: tuple[str, ...] = ()
    days_shown: str = ""  # the days as said, "and K more" included, when `days` holds only the first
    score: float = 0.0  # for ranking within a severity: larger stands out more

    @property
    def on_heatmap(self) -> str | None:
        """The campaign this finding sends the reader to find on the campaign × day heatmap, if any."""
        return self.campaign if "heatmap" in self.chart.lower() else None

    def to_dict(self) -> dict[str, str | None]:
        """The JSON shape: id, severity, title, detail, campaign, date_from, date_to."""
        return {
            "id": self.id,
            "severity": self.severity,
            "title": self.title,
            "detail": self.detail,
            "campaign": self.campaign,
            "date_from": self.date_from,
            "date_to": self.date_to,
        }


def _day(value: pd.Timestamp | np.datetime64) -> str:
    return pd.Timestamp(value).date().isoformat()


def _campaign_key(frame: pd.DataFrame) -> str | None:
    for key in ("campaign", "campaign_id"):
        if key in frame.columns and frame[key].notna().any():
            return key
    return None


def _grid(frame: pd.DataFrame, key: str, metric: str, days: pd.DatetimeIndex) -> pd.DataFrame | None:
    """campaign × day sums of `metric` over the rows' own days (0 where a campaign has no row that day);
    None when a sum is not a finite number (`data.non_finite` says so; no finding rests on it)."""
    table = frame.groupby([frame[key], "date"], observed=True, dropna=False)[metric].sum()
    grid = table.unstack("date").reindex(columns=days).fillna(0).astype("float64")
    # Campaigns are named as text once summed: turning every row's campaign into text cost a third of
    # the first Performance render.
    grid.index = grid.index.astype(str)
    return grid if np.isfinite(grid.to_numpy()).all() else None


def _poisson_zero_threshold(p_value: float) -> float:
    """The expected count above which seeing zero has probability below `p_value`."""
    return -math.log(p_value)


def _poisson_cdf(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean), summed in log space (k is small here)."""
    if mean <= 0:
        return 1.0
    total, term = 0.0, math.exp(-mean)
    for i in range(k + 1):
        total += term
        term *= mean / (i + 1)
    return min(total, 1.0)


def _zero_runs(ftd: np.ndarray) -> list[tuple[int, int]]:
    """(start, end) of every maximal run of days with no first deposit, inclusive."""
    zero = np.concatenate(([False], ftd == 0, [False]))
    edges = np.flatnonzero(np.diff(zero.astype(np.int8)))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


def _stopped_converting(
    ftd: pd.DataFrame, regs: pd.DataFrame | None, visits: pd.DataFrame | None, days: pd.DatetimeIndex
) -> list[Finding]:
    out: list[Finding] = []
    traffic = regs if regs is not None else visits
    if traffic is None:
        return out
    unit = "registrations" if regs is not None else "visits"
    # A run still going at the report's end is one candidate per campaign; a run that ended could sit
    # anywhere, so it must clear a bound corrected for every day too.
    ongoing_bound = _poisson_zero_threshold(STOP_P_VALUE / max(len(ftd), 1))
    ended_bound = _poisson_zero_threshold(STOP_P_VALUE / max(len(ftd) * len(days), 1))
    for campaign in ftd.index:
        f = ftd.loc[campaign].to_numpy()
        t = traffic.loc[campaign].to_numpy() if campaign in traffic.index else np.zeros_like(f)
        active = np.flatnonzero(t > 0)
        if not len(active):
            continue
        best: tuple[float, int, int, bool] | None = None
        for start, end in _zero_runs(f):
            # Days without traffic at the edges of a run say nothing about converting.
            inside = active[(active >= start) & (active <= end)]
            if len(inside) < STOP_MIN_DAYS:
                continue
            start, end = int(inside[0]), int(inside[-1])
            before_ftd, before_traffic = f[:start].sum(), t[:start].sum()
            if before_ftd < STOP_MIN_BASELINE_FTDS or before_traffic <= 0:
                continue
            expected = before_ftd / before_traffic * t[start : end + 1].sum()
            ongoing = end == active[-1]
            if expected >= (ongoing_bound if ongoing else ended_bound) and (
                best is None or expected > best[0]
            ):
                best = (expected, start, end, ongoing)
        if best is None:
            continue
        expected, start, end, ongoing = best
        run_days = int(np.count_nonzero(t[start : end + 1] > 0))
        out.append(
            Finding(
                id="stopped_converting",
                severity="high" if ongoing else "medium",
                title=f"{campaign} stopped converting"
                if ongoing
                else f"{campaign} stopped converting for a while",
                detail=f"No first deposits from {_day(days[start])} to {_day(days[end])} ({run_days} days "
                f"with traffic: {int(t[start : end + 1].sum()):,} {unit}); at its earlier rate about "
                f"{expected:,.0f} were expected. A broken landing page, a paused deal or a tracking "
                "problem is likely.",
                campaign=str(campaign),
                date_from=_day(days[start]),
                date_to=_day(days[end]),
                chart="Campaign × day heatmap (first deposits)",
                score=expected,
            )
        )
    return out


def _robust_sd(values: np.ndarray) -> float:
    median = float(np.median(values))
    return 1.4826 * float(np.median(np.abs(values - median)))


def _spikes(visits: pd.DataFrame, regs: pd.DataFrame | None, days: pd.DatetimeIndex) -> list[Finding]:
    out = []
    for campaign in visits.index:
        v = visits.loc[campaign].to_numpy()
        active = v[v > 0]
        if len(active) < 7:
            continue
        median = float(np.median(active))
        sd = max(_robust_sd(active), math.sqrt(max(median, 1.0)))
        candidates = np.flatnonzero(
            (v >= SPIKE_MIN_VISITS) & (v >= SPIKE_MIN_MULTIPLE * median) & ((v - median) / sd >= SPIKE_Z)
        )
        if not len(candidates):
            continue
        r = regs.loc[campaign].to_numpy() if regs is not None and campaign in regs.index else None
        for i in map(int, candidates):  # Python ints: pandas-stubs index a DatetimeIndex by int only
            detail = f"{int(v[i]):,} visits on {_day(days[i])}, against a usual {median:,.0f} a day"
            severity: Severity = "medium"
            score = float(v[i] / max(median, 1.0))
            if r is not None:
                others = np.ones(len(v), dtype=bool)
                others[i] = False
                rate = r[others].sum() / max(v[others].sum(), 1.0)
                expected = rate * v[i]
                if expected < SPIKE_MIN_EXPECTED or _poisson_cdf(int(r[i]), expected) >= SPIKE_P_VALUE:
                    continue  # the extra visits registered as usual: a real campaign push
                detail += (
                    f", with {int(r[i]):,} registrations where about {expected:,.0f} were expected. Bot "
                    "traffic or a broken landing page is likely."
                )
                severity = "high"
            else:
                detail += "; the report has no registrations to tell real visitors from bots."
            out.append(
                Finding(
                    id="traffic_spike",
                    severity=severity,
                    title=f"Traffic spike with no sign-ups on {campaign}"
                    if severity == "high"
                    else f"Traffic spike on {campaign}",
                    detail=detail,
                    campaign=str(campaign),
                    date_from=_day(days[i]),
                    date_to=_day(days[i]),
                    chart="Metrics by day (visits) and the campaign × day heatmap",
                    metric="visits_count",
                    score=score,
                )
            )
    return out


def _rate_shifts(
    grids: dict[str, pd.DataFrame], days: pd.DatetimeIndex, skip: set[tuple[str, str]]
) -> list[Finding]:
    out: list[Finding] = []
    n_days = len(days)
    recent = max(3, int(n_days * SHIFT_RECENT_FRACTION))
    if n_days - recent < SHIFT_MIN_DAYS:
        return out
    for key in _SHIFT_RATES:
        rate = metric(key)
        label, num_name, den_name = mid_sentence(rate.label), rate.numerator or "", rate.denominator or ""
        num_grid, den_grid = grids.get(num_name), grids.get(den_name)
        if num_grid is None or den_grid is None:
            continue
        for campaign in num_grid.index:
            if (campaign, key) in skip:
                continue
            num, den = num_grid.loc[campaign].to_numpy(), den_grid.loc[campaign].to_numpy()
            base_num, base_den = num[:-recent], den[:-recent]
            ok = base_den > 0
            if ok.sum() < SHIFT_MIN_DAYS or den[-recent:].sum() < SHIFT_MIN_DENOMINATOR:
                continue
            daily = base_num[ok] / base_den[ok]
            baseline = float(np.median(daily))
            if baseline <= 0:
                continue
            now = float(num[-recent:].sum() / den[-recent:].sum())
            recent_days = int((den[-recent:] > 0).sum())
            se = max(_robust_sd(daily), math.sqrt(baseline / max(np.median(base_den[ok]), 1.0)))
            se /= math.sqrt(max(recent_days, 1))
            change = (now - baseline) / baseline
            if abs(change) < SHIFT_MIN_CHANGE or abs(now - baseline) < SHIFT_Z * se:
                continue
            direction = "fell" if change < 0 else "rose"
            out.append(
                Finding(
                    id=f"{key}_{'fall' if change < 0 else 'rise'}",
                    severity="medium",
                    title=f"{campaign}: {label} {direction} {abs(change):.0%}",
                    detail=f"{label[:1].upper()}{label[1:]} {now:.1%} from {_day(days[-recent])} to "
                    f"{_day(days[-1])}, against a usual {baseline:.1%} a day before.",
                    campaign=str(campaign),
                    date_from=_day(days[-recent]),
                    date_to=_day(days[-1]),
                    chart="Campaigns ranked and the campaign × day heatmap",
                    score=abs(change),
                )
            )
    return out


def _negative_ngr(frame: pd.DataFrame) -> list[Finding]:
    if (
        "ngr" not in frame.columns
        or not np.isfinite(frame["ngr"].to_numpy(dtype="float64", na_value=0)).all()
    ):
        return []
    currencies: np.ndarray | list[str] = (
        frame["currency"].dropna().unique() if "currency" in frame.columns else []
    )
    if len(currencies) > 1:
        # Amounts in different currencies are never added: a day is negative in one of its currencies.
        by_currency = frame.groupby(["date", "currency"], observed=True)["ngr"].sum()
        daily = by_currency[by_currency < 0].groupby(level=0).min()
        unit = ""
    else:
        daily = frame.groupby("date", observed=True)["ngr"].sum()
        unit = f" {currencies[0]}" if len(currencies) else ""
    negative = daily[daily < 0]
    if negative.empty:
        return []
    dates = [_day(d) for d in negative.index]
    shown = first_n(dates)
    return [
        Finding(
            id="negative_ngr",
            severity="medium",
            title=f"Negative NGR on {plural(len(dates), 'day')}",
            detail=f"NGR summed over the report is below zero on {shown} (lowest "
            f"{negative.min():,.2f}{unit}). Big player wins do this; under revenue share it can carry over "
            "against future income.",
            campaign=None,
            date_from=dates[0],
            date_to=dates[-1],
            chart="Metrics by day (NGR)",
            metric="ngr",
            days=tuple(dates),
            days_shown=shown,
            score=float(-negative.sum()),
        )
    ]


def _concentration(frame: pd.DataFrame, key: str) -> list[Finding]:
    if "partner_income" not in frame.columns:
        return []
    income = frame.groupby(frame[key], observed=True, dropna=False)["partner_income"].sum()
    income.index = income.index.astype(str)
    with np.errstate(all="ignore"):
        total = float(income.to_numpy(dtype="float64").sum())
    if len(income) < 3 or not math.isfinite(total) or total <= 0:
        return []
    top = income.idxmax()
    share = float(income.max()) / total
    if share < CONCENTRATION_INFO:
        return []
    return [
        Finding(
            id="income_concentration",
            severity="medium" if share >= CONCENTRATION_MEDIUM else "info",
            title=f"{share:.0%} of partner income from {top}",
            detail=f"One campaign of {len(income)} brings {share:.0%} of partner income: the deal depends "
            "on it, and a change there moves every figure.",
            campaign=str(top),
            date_from=None,
            date_to=None,
            chart="Campaigns ranked (partner income)",
            score=share,
        )
    ]


def _missing_days(frame: pd.DataFrame, days: pd.DatetimeIndex) -> list[Finding]:
    if len(days) < 2:
        return []
    # Found from the runs between the rows' own days, never by walking every day from first to last.
    missing = missing_days(frame["date"], days[0].date(), days[-1].date())
    if not missing:
        return []
    dates = [day.isoformat() for day in missing[:5]]
    # The first runs, then "and K more", from the runs themselves (the page says them the same way).
    shown = runs_text(missing.runs if isinstance(missing, Runs) else [(d, d) for d in missing])
    return [
        Finding(
            id="days_without_data",
            severity="medium",
            title=f"{plural(len(missing), 'day')} with no data",
            detail=f"No rows at all on {shown}, between days that have rows: the report may have been cut, "
            "or tracking stopped.",
            campaign=None,
            date_from=dates[0],
            date_to=missing[-1].isoformat(),
            chart="Metrics by day (gaps are marked)",
            days=tuple(dates),
            days_shown=shown,
            score=float(len(missing)),
        )
    ]


@overflow_reported
def find_insights(frame: pd.DataFrame, *, grouping: str = "day") -> list[Finding]:
    """Ranked findings (high, medium, info; the most striking first within each) from a parsed report.
    `grouping` is the report's date grouping: days without rows are a finding only for a report grouped
    by day."""
    if frame.empty or "date" not in frame.columns or frame["date"].isna().all():
        return []
    frame = frame[frame["date"].notna()]
    # The rows' own days: a day without rows is no day of traffic, and the calendar between the first
    # and the last day is never walked (a row dated year 1 beside one dated 2026 would be 739,000 days).
    days = pd.DatetimeIndex(frame["date"].unique()).sort_values()
    findings = (_missing_days(frame, days) if grouping == "day" else []) + _negative_ngr(frame)
    key = _campaign_key(frame)
    if key is not None:
        findings += _concentration(frame, key)
        names = ("visits_count", "registrations_count", "first_deposits_count")
        found = {m: _grid(frame, key, m, days) for m in names if m in frame.columns}
        grids = {m: grid for m, grid in found.items() if grid is not None}
        visits, regs, ftd = (grids.get(m) for m in names)
        stopped: list[Finding] = []
        if ftd is not None:
            stopped = _stopped_converting(ftd, regs, visits, days)
        if visits is not None:
            findings += _spikes(visits, regs, days)
        findings += stopped
        findings += _rate_shifts(grids, days, {(f.campaign or "", "ftd_rate") for f in stopped})
    return sorted(findings, key=lambda f: (_RANK[f.severity], -f.score))
