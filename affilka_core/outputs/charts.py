"""Plotly figures for the Performance page, built from aggregates (never from report rows).

Figures are small on purpose: values rounded, one trace per series, no per-row hover data.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from affilka_core.analysis.metrics import OTHER
from affilka_core.analysis.registry import kind, label
from affilka_core.report.periods import Runs

PALETTE = ("#1d4ed8", "#db2777", "#059669", "#d97706", "#7c3aed", "#0891b2", "#dc2626", "#65a30d")
# No template: in the app a figure takes Streamlit's theme, its default; naming one here would cost
# ~14 ms of validation per figure on every rerun. A standalone file sets its own (`export`).
_LAYOUT = dict(
    margin=dict(l=10, r=10, t=40, b=10),
    legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0),
    hovermode="x unified",
    font=dict(size=13),
)


# A label longer than this is shortened in the middle: a chart is no place for a campaign's whole
# 5 MB name (every label travels to the browser in the figure, twice with the hover).
MAX_LABEL = 80


def plot_text(value: object) -> str:
    """Text from a report as Plotly shows it: Plotly reads `<a href>`, `<b>`… in labels, names and titles
    as markup and decodes entities, so `&`, `<` and `>` are escaped and the text shows as written; past
    `MAX_LABEL` characters its middle is left out."""
    text = str(value)
    if len(text) > MAX_LABEL:
        text = f"{text[: MAX_LABEL - 21]}…{text[-20:]}"
    return html.escape(text, quote=False)


def axis_labels(values: Sequence[object]) -> list[str]:
    """`plot_text` of each category on an axis, told apart where shortening made two alike (a
    categorical axis draws equal labels as one)."""
    labels = [plot_text(v) for v in values]
    seen: dict[str, int] = {}
    for i, text in enumerate(labels):
        seen[text] = seen.get(text, 0) + 1
        if seen[text] > 1:
            labels[i] = f"{text} ({seen[text]})"
    return labels


def _label(key: str) -> str:
    return plot_text(label(key))  # a column Affilka does not know is labelled from its own name


def _axis_title(k: str, currency: str | None) -> str:
    money = f"Amount ({plot_text(currency)})" if currency else "Amount"
    return {"count": "Count", "money": money, "rate": "Rate"}[k]


def _values(series: pd.Series, k: str) -> list[float | None]:
    digits = 4 if k == "rate" else 2
    # Not a finite number is no point on a chart (the data check `data.non_finite` says why).
    return [None if pd.isna(v) or not math.isfinite(v) else round(float(v), digits) for v in series]


def gap_runs(days: Sequence[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Consecutive days grouped into (first, last) runs: 1, 2, 3, 7 → (1, 3), (7, 7). Days given as runs
    already (`report.periods.Runs`, as `metrics.gaps` returns them) are read from their runs."""
    if isinstance(days, Runs):
        return days.runs
    runs: list[tuple[dt.date, dt.date]] = []
    for day in sorted(days):
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


GAP_COLOR = "#f59e0b"
_GAP_FONT = dict(size=11, color="#92400e")


def _edge(day: dt.date, hours: int) -> str:
    """`day` at midnight moved by `hours`, as Plotly reads a date, kept within the calendar (year 1 and
    9999 have no day before or after them)."""
    try:
        return str(dt.datetime.combine(day, dt.time()) + dt.timedelta(hours=hours))
    except OverflowError:
        return str(dt.datetime.combine(day, dt.time() if hours < 0 else dt.time(23, 59, 59)))


def _mark_gaps(fig: go.Figure, gaps: Sequence[dt.date]) -> None:
    for i, (first, last) in enumerate(gap_runs(gaps)):
        # Only the first run is labelled; the same shade marks the others.
        note = (
            dict(annotation_text="no rows", annotation_position="top left", annotation_font=_GAP_FONT)
            if i == 0
            else {}
        )
        fig.add_vrect(
            x0=_edge(first, -12),
            x1=_edge(last, 12),
            fillcolor=GAP_COLOR,
            opacity=0.18,
            line_width=0,
            layer="below",
            **note,
        )


def daily_figure(
    table: pd.DataFrame,
    metrics: Sequence[str],
    *,
    currency: str | None = None,
    split_brand: bool = False,
    gaps: Sequence[dt.date] = (),
) -> go.Figure:
    """Metrics by day as small multiples: one panel per metric sharing the date axis, each on its own
    scale (visits in thousands and FTDs in tens both stay readable). Split by brand draws one line per
    brand in each panel. Days in `gaps` (no rows in the report) are shaded and the lines break there,
    given a table with an empty row where each run of them starts (`metrics.by_day(..., span=...)`)."""
    metrics = [m for m in metrics if m in table.columns] or [
        c for c in table.columns if c not in ("date", "brand")
    ][:1]
    fig = make_subplots(
        rows=len(metrics),
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.04 + 0.06 / max(len(metrics), 1),
        subplot_titles=[_label(m) for m in metrics],
    )
    groups = (
        list(table.groupby("brand", observed=True))
        if split_brand and "brand" in table.columns
        else [(None, table)]
    )
    for b_index, (brand, part) in enumerate(groups):
        dates = part["date"].dt.strftime("%Y-%m-%d").tolist()
        for m_index, metric in enumerate(metrics):
            color = PALETTE[(b_index if split_brand else m_index) % len(PALETTE)]
            fig.add_trace(
                go.Scatter(
                    x=dates,
                    y=_values(part[metric], kind(metric)),
                    name=plot_text(brand) if brand is not None else _label(metric),
                    legendgroup=plot_text(brand) if brand is not None else metric,
                    showlegend=brand is not None and m_index == 0,
                    mode="lines",
                    connectgaps=False,
                    line=dict(color=color, width=2),
                ),
                row=m_index + 1,
                col=1,
            )
    for i, metric in enumerate(metrics, start=1):
        k = kind(metric)
        fig.update_yaxes(
            title_text=_axis_title(k, currency),
            row=i,
            col=1,
            rangemode="tozero",
            tickformat=".1%" if k == "rate" else None,
        )
    fig.update_layout(**_LAYOUT, height=120 + 190 * len(metrics), showlegend=split_brand)
    _mark_gaps(fig, gaps)
    return fig


def campaign_figure(table: pd.DataFrame, metric: str, *, currency: str | None = None) -> go.Figure:
    """Campaigns ranked by a metric, largest on top, "Other" in grey."""
    k = kind(metric)
    ordered = table.iloc[::-1]
    colors = ["#9ca3af" if c == OTHER else PALETTE[0] for c in ordered["campaign"]]
    fig = go.Figure(
        go.Bar(
            x=_values(ordered[metric], k),
            y=axis_labels(list(ordered["campaign"])),
            orientation="h",
            marker_color=colors,
            name=_label(metric),
        )
    )
    fig.update_layout(**_LAYOUT, height=120 + 32 * len(table), title=f"{_label(metric)} by campaign")
    fig.update_layout(hovermode="closest", showlegend=False)
    fig.update_xaxes(title_text=_axis_title(k, currency), tickformat=".1%" if k == "rate" else None)
    return fig


def heatmap_figure(matrix: pd.DataFrame, metric: str) -> go.Figure:
    """Campaign × day (or week). Colours are relative to each campaign's own best period, so a small
    campaign that stopped converting shows as a cold stretch as clearly as a big one; hover shows the
    real values."""
    k = kind(metric)
    x = [pd.Timestamp(c).strftime("%Y-%m-%d") for c in matrix.columns]
    values = matrix.astype("float64")
    peaks = values.max(axis=1).where(lambda p: p > 0)
    relative = values.div(peaks, axis=0)
    fig = go.Figure(
        go.Heatmap(
            z=[_values(row, "rate") for _, row in relative.iterrows()],
            customdata=[_values(row, k) for _, row in values.iterrows()],
            x=x,
            y=axis_labels(list(matrix.index)),
            colorscale="Blues",
            zmin=0,
            zmax=1,
            hoverongaps=False,
            hovertemplate="%{y}<br>%{x}: %{customdata}<extra></extra>",
            colorbar=dict(title="of best", tickformat=".0%"),
        )
    )
    period = "week" if matrix.columns.name == "week" else "day"
    fig.update_layout(
        **_LAYOUT, height=140 + 28 * len(matrix), title=f"{_label(metric)} by campaign and {period}"
    )
    fig.update_layout(hovermode="closest")
    fig.update_yaxes(autorange="reversed")
    return fig


def funnel_figure(stages: Sequence[tuple[str, int]]) -> go.Figure:
    """Visits → registrations → first deposits → qualified, with the share kept at each stage."""
    fig = go.Figure(
        go.Funnel(
            y=axis_labels([s for s, _ in stages]),
            x=[v for _, v in stages],
            # The first stage has no previous one: it shows its count alone.
            texttemplate=["%{value:,.0f}"]
            + ["%{value:,.0f}<br>%{percentPrevious:.1%} of previous"] * (len(stages) - 1),
            marker=dict(color=list(PALETTE[: len(stages)])),
        )
    )
    fig.update_layout(**_LAYOUT, height=320, title="Funnel")
    fig.update_layout(hovermode="closest")
    return fig


def overlay_figure(table: pd.DataFrame, metric: str, *, currency: str | None = None) -> go.Figure:
    """This period against the last, day by day: two lines on one axis, aligned by day number (the table
    of `compare.overlay_by_day`); hover names each period's own date."""
    k = kind(metric)
    fig = go.Figure()
    for column, dates, name, color, dash in (
        ("previous", "previous_date", "Previous period", "#9ca3af", "dot"),
        ("current", "date", "This period", PALETTE[0], "solid"),
    ):
        days = pd.to_datetime(table[dates])
        fig.add_trace(
            go.Scatter(
                x=table["day"].tolist(),
                y=_values(table[column], k),
                customdata=[d.strftime("%Y-%m-%d") if pd.notna(d) else "" for d in days],
                name=name,
                mode="lines",
                connectgaps=False,
                line=dict(color=color, width=2, dash=dash),
                hovertemplate="%{customdata}: %{y}<extra>" + name + "</extra>",
            )
        )
    fig.update_layout(**_LAYOUT, height=360)
    # Room between the title and the legend above the plot, so they never overlap.
    fig.update_layout(
        title=dict(text=f"{_label(metric)} by day: this period against the last", y=0.97, yanchor="top"),
        margin=dict(l=10, r=10, t=80, b=10),
    )
    fig.update_xaxes(title_text="Day of the period")
    fig.update_yaxes(
        title_text=_axis_title(k, currency), rangemode="tozero", tickformat=".1%" if k == "rate" else None
    )
    return fig
