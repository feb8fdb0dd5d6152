"""Performance: KPIs, metrics by day and by campaign, the funnel — from aggregates, never raw rows."""

import pandas as pd
import streamlit as st

from affilka_core import charts, metrics
from pages._ui.layout import report_page, sidebar_context

sidebar_context()
report = report_page("Performance", "📈")
if report is None:
    st.stop()

frame = report.frame
currency = metrics.main_currency(frame)
brands = metrics.brands_in(frame)
if frame.empty:
    st.info(
        "The report has no rows, so there is nothing to chart. The URL check page says why (step 5): "
        "check the columns and the brand filter in Affilka, click Filter and export again.",
        icon="🫙",
    )
    st.stop()


brand = None
if len(brands) > 1:
    picked = st.segmented_control("Brand", ["All brands", *brands], default="All brands", key="perf_brand")
    brand = None if picked in (None, "All brands") else picked

# Aggregates are cached per loaded report and brand; `_part` (the rows of that brand) is not hashed.
part = metrics.only(frame, brands=[brand] if brand else None)


@st.cache_data(max_entries=64, show_spinner=False)
def _daily(key: str, brand: str | None, _part: pd.DataFrame, split: bool) -> pd.DataFrame:
    return metrics.by_day(_part, split_brand=split)


@st.cache_data(max_entries=64, show_spinner=False)
def _campaigns(key: str, brand: str | None, _part: pd.DataFrame, metric: str) -> pd.DataFrame:
    return metrics.by_campaign(_part, metric)


@st.cache_data(max_entries=64, show_spinner=False)
def _matrix(key: str, brand: str | None, _part: pd.DataFrame, metric: str) -> pd.DataFrame:
    return metrics.day_campaign_matrix(_part, metric)


@st.cache_data(max_entries=16, show_spinner=False)
def _kpis(key: str, brand: str | None, _part: pd.DataFrame) -> list[metrics.Kpi]:
    return metrics.kpis(_part)


@st.cache_data(max_entries=16, show_spinner=False)
def _funnel(key: str, brand: str | None, _part: pd.DataFrame) -> list[tuple[str, int]]:
    return metrics.funnel(_part)


# KPI cards
figures = _kpis(report.key, brand, part)
for row in (figures[:6], figures[6:]):
    cols = st.columns(len(row))
    for col, kpi in zip(cols, row, strict=True):
        full = metrics.format_value(kpi.value, kpi.kind, currency)
        shown = metrics.format_value(kpi.value, kpi.kind, currency, compact=True)
        col.metric(kpi.label, shown, help=f"{kpi.help}: {full}", border=True)

# By day
st.subheader("By day")
split = len(brands) > 1 and brand is None
daily = _daily(report.key, brand, part, split)
available = [
    m for m in [*metrics.metric_columns(frame), *(r[0] for r in metrics.RATES)] if m in daily.columns
]
defaults = [m for m in ("visits_count", "first_deposits_count", "partner_income") if m in available]
chosen = st.multiselect(
    "Metrics",
    available,
    default=defaults,
    format_func=charts.label,
    key="perf_daily_metrics",
    help="Counts, money and rates get their own panels, so each keeps a readable scale.",
)
if chosen:
    st.plotly_chart(charts.daily_figure(daily, chosen, currency=currency, split_brand=split), width="stretch")
else:
    st.caption("Pick at least one metric.")

# By campaign
st.subheader("By campaign")
left, right = st.columns([2, 3])
with left:
    ranked_options = [m for m in available if m in daily.columns]
    metric = st.selectbox(
        "Rank campaigns by",
        ranked_options,
        index=ranked_options.index("partner_income") if "partner_income" in ranked_options else 0,
        format_func=charts.label,
        key="perf_campaign_metric",
    )
    table = _campaigns(report.key, brand, part, metric)
    st.plotly_chart(charts.campaign_figure(table, metric, currency=currency), width="stretch")
with right:
    heat_options = [m for m in ranked_options if m in metrics.HEATMAP_METRICS]
    heat_metric = st.selectbox(
        "Day × campaign: spot the campaign that stopped converting",
        heat_options,
        index=heat_options.index("first_deposits_count") if "first_deposits_count" in heat_options else 0,
        format_func=charts.label,
        key="perf_heat_metric",
    )
    matrix = _matrix(report.key, brand, part, heat_metric)
    if matrix.empty:
        st.caption("The report has no days or campaigns to cross.")
    else:
        st.plotly_chart(charts.heatmap_figure(matrix, heat_metric), width="stretch")

# Funnel
st.subheader("Funnel")
stages = _funnel(report.key, brand, part)
if len(stages) >= 2:
    st.plotly_chart(charts.funnel_figure(stages), width="stretch")
else:
    st.caption("The funnel needs visits, registrations, first deposits and qualified players in the report.")
