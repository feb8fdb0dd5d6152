"""Performance: KPIs, metrics by day and by campaign, the funnel — from aggregates, never raw rows."""

import datetime as dt

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from affilka_core.analysis import metrics
from affilka_core.analysis.registry import DERIVED, HEATMAP_KEYS, kind, label
from affilka_core.catalogue import CheckId
from affilka_core.outputs import charts
from affilka_core.outputs.formatting import card_figures, format_value
from affilka_core.outputs.markdown import escape, md
from affilka_core.report.frame import row_currencies
from affilka_core.text import first_n, plural
from app_pages._ui.cards import Card, card_rows, runs
from app_pages._ui.comparison import comparison_section
from app_pages._ui.exports import downloads, export_for
from app_pages._ui.findings import BY_CAMPAIGN, BY_DAY, cached_findings, findings_section, named_metrics
from app_pages._ui.layout import metric_select, report_page
from app_pages._ui.offer import offer_section
from app_pages._ui.session import PERF_BRAND, PERF_CAMPAIGN_METRIC, PERF_DAILY_METRICS, PERF_HEAT_METRIC

ALL_BRANDS = "All brands"

# The banner says what this page does with the brands, so it reads the brand picked below first.
picked_before = st.session_state.get(PERF_BRAND)
picked_brand = None if picked_before in (None, ALL_BRANDS) else str(picked_before)
brand_note = (
    md("Every figure below is for {} only.", picked_brand)
    if picked_brand
    else md(
        "Only the by-day lines below are split by brand; the KPI cards, campaigns, heat map and funnel add "
        "all brands together unless you pick one brand."
    )
)
page = report_page("Performance", "📈", brand_note)
if page is None:
    st.stop()
result, report = page

frame = report.frame
currencies = row_currencies(frame)
mixed = len(currencies) > 1
currency = metrics.main_currency(frame)
brands = report.parsed.brands
if frame.empty:
    st.info(
        "The report has no rows, so there is nothing to chart. The URL check page says why (step 5): "
        "check the columns and the brand filter in Affilka, click Filter and export again.",
        icon="🫙",
    )
    st.stop()


brand = None
if len(brands) > 1:
    # Its options render Markdown: brand names from the report show as written.
    picked = st.segmented_control(
        "Brand", [ALL_BRANDS, *brands], default=ALL_BRANDS, key=PERF_BRAND, format_func=escape
    )
    brand = None if picked in (None, ALL_BRANDS) else picked

# Aggregates are cached per loaded report and brand; `_part` (the rows of that brand) is not hashed.
part = metrics.only(frame, brands=[brand] if brand else None)
# Day gaps only mean something in a report grouped by day (a week-grouped one fails step 3 instead).
by_days = report.grouping == "day"
span = (report.date_from, report.date_to) if by_days and report.date_from and report.date_to else None


@st.cache_data(max_entries=64, show_spinner=False)
def _daily(
    key: str, brand: str | None, _part: pd.DataFrame, split: bool, span: tuple[dt.date, dt.date] | None
) -> pd.DataFrame:
    return metrics.by_day(_part, split_brand=split, span=span)


@st.cache_data(max_entries=64, show_spinner=False)
def _campaigns(key: str, brand: str | None, _part: pd.DataFrame, metric: str) -> pd.DataFrame:
    return metrics.by_campaign(_part, metric)


HEATMAP_TOP = 10  # campaigns on the heatmap, besides those a finding names


@st.cache_data(max_entries=64, show_spinner=False)
def _matrix(
    key: str, brand: str | None, _part: pd.DataFrame, metric: str, pinned: tuple[str, ...]
) -> pd.DataFrame:
    return metrics.day_campaign_matrix(_part, metric, top=HEATMAP_TOP, pinned=pinned)


@st.cache_data(max_entries=16, show_spinner=False)
def _kpis(key: str, brand: str | None, _part: pd.DataFrame) -> list[metrics.Kpi]:
    return metrics.kpis(_part)


@st.cache_data(max_entries=16, show_spinner=False)
def _money_by_currency(key: str, brand: str | None, _part: pd.DataFrame) -> dict[str, list[metrics.Kpi]]:
    return metrics.money_kpis_by_currency(_part)


@st.cache_data(max_entries=16, show_spinner=False)
def _funnel(key: str, brand: str | None, _part: pd.DataFrame) -> list[tuple[str, int]]:
    return metrics.funnel(_part)


def cards(figures: list[metrics.Kpi], currency: str | None, suffix: str = "") -> None:
    """KPI cards, one format per kind, the full figure on hover: a row for each run of one kind (counts,
    money, rates), as many to a row as fit whole."""
    shown = card_figures([(kpi.value, kpi.kind) for kpi in figures], currency)
    made = [
        Card(kpi.label + suffix, value, help=f"{kpi.help}: {format_value(kpi.value, kpi.kind, currency)}")
        for kpi, value in zip(figures, shown, strict=True)
    ]
    card_rows(runs(made, [kpi.kind for kpi in figures]))


# The by-day aggregates come first: the findings link only to what the by-day chart can draw.
split = len(brands) > 1 and brand is None
daily = _daily(report.key, brand, part, split, span)
charted = [
    m
    for m in [*metrics.metric_columns(frame), *(d.key for d in DERIVED)]
    if m in daily.columns and not (mixed and kind(m) == "money")
]

# What stands out comes first: the reading the charts below leave to the person.
findings = cached_findings(report.key, brand, report, part)
findings_section(findings, charted)

# KPI cards. Money in several currencies is never added up: each currency gets its own cards.
st.subheader("Headline figures", anchor="kpis")
figures = _kpis(report.key, brand, part)
if mixed:
    # The fix is the data check's own: it knows whether the URL already asks for conversion.
    currency_check = next(
        (c for c in result.diagnosis.checks if c.id == CheckId.DATA_MULTI_CURRENCY and c.fix), None
    )
    st.warning(
        md(
            "**Money comes in {} currencies ({}).** Amounts in different currencies are never added "
            "together here: money figures are shown per currency (each from the rows in that currency) and "
            "money is left out of the charts.{}",
            len(currencies),
            ", ".join(currencies),
            md(" Fix (step 5): {}", currency_check.fix) if currency_check else "",
        ),
        icon="💱",
    )
    cards([k for k in figures if k.kind != "money"], None)
    for code, money in _money_by_currency(report.key, brand, part).items():
        st.caption(md("Money in {} (rows in {} only)", code, code))
        cards(money, code, f" ({code})")
else:
    cards(figures, currency)

# Every chart drawn, for the HTML summary.
shown: list[go.Figure] = []

# By day
st.subheader("By day", anchor=BY_DAY)
gaps = metrics.gaps(part, span) if span else []
if gaps:
    shown_gaps = first_n([d.isoformat() for d in gaps[:8]], 8, total=len(gaps))
    st.warning(
        md(
            "**{} {} no rows:** {}. They are shaded in the by-day charts, where the lines break instead of "
            "joining across them. Quiet days happen; a run of them usually means the date range or filters "
            "changed (see step 5 on the URL check page).",
            plural(len(gaps), "day"),
            "has" if len(gaps) == 1 else "have",
            shown_gaps,
        ),
        icon="📅",
    )
if mixed:
    st.caption(
        md(
            "Money metrics are not charted: the report mixes {}, and a line or bar would add them together. "
            "The per-currency figures are in the cards above.",
            ", ".join(currencies),
        )
    )
# A metric a finding names is drawn from the start, so the finding's link shows it (negative NGR days).
wanted = ("visits_count", "first_deposits_count", "partner_income", *named_metrics(findings))
defaults = [m for m in dict.fromkeys(wanted) if m in charted]
chosen = st.multiselect(
    "Metrics",
    charted,
    default=defaults,
    format_func=label,
    key=PERF_DAILY_METRICS,
    help="Counts, money and rates get their own panels, so each keeps a readable scale.",
)
if chosen:
    shown.append(charts.daily_figure(daily, chosen, currency=currency, split_brand=split, gaps=gaps))
    st.plotly_chart(shown[-1], width="stretch")
else:
    st.caption("Pick at least one metric.")

sections = comparison_section(result, report, part, brand, currency, charted)

# By campaign
st.subheader("By campaign", anchor=BY_CAMPAIGN)
left, right = st.columns([2, 3])
with left:
    metric = metric_select("Rank campaigns by", charted, PERF_CAMPAIGN_METRIC)
    table = _campaigns(report.key, brand, part, metric)
    shown.append(charts.campaign_figure(table, metric, currency=currency))
    st.plotly_chart(shown[-1], width="stretch")
with right:
    heat_options = [m for m in charted if m in HEATMAP_KEYS]
    heat_metric = st.selectbox(
        "Day × campaign: spot the campaign that stopped converting",
        heat_options,
        index=heat_options.index("first_deposits_count") if "first_deposits_count" in heat_options else 0,
        format_func=label,
        key=PERF_HEAT_METRIC,
    )
    # A campaign a finding sends the reader to find here is on the grid, however small it is.
    pinned = tuple(sorted({c for f in findings if (c := f.on_heatmap)}))
    matrix = _matrix(report.key, brand, part, heat_metric, pinned)
    if matrix.empty:
        st.caption("The report has no days or campaigns to cross.")
    else:
        shown.append(charts.heatmap_figure(matrix, heat_metric))
        st.plotly_chart(shown[-1], width="stretch")
        campaigns = part["campaign"].nunique() if "campaign" in part.columns else 0
        extra = list(matrix.index[HEATMAP_TOP:])
        if campaigns > len(matrix):
            # A small campaign that stopped converting is not on it: say so rather than let it pass.
            st.caption(
                md(
                    "The {} largest of {} campaigns{}; the others are in the Data page's table.",
                    min(HEATMAP_TOP, len(matrix)),
                    campaigns,
                    md(", then {} (named in What stands out)", ", ".join(extra)) if extra else "",
                )
            )

sections |= offer_section(report.key, part, brand, currency, mixed)

# Funnel
st.subheader("Funnel", anchor="funnel")
stages = _funnel(report.key, brand, part)
if len(stages) >= 2:
    shown.append(charts.funnel_figure(stages))
    st.plotly_chart(shown[-1], width="stretch")
else:
    st.caption("The funnel needs visits, registrations, first deposits and qualified players in the report.")

money_by_currency = _money_by_currency(report.key, brand, part) if mixed else {}
downloads(
    export_for(
        report,
        brand,
        part,
        daily,
        figures,
        None if mixed else currency,
        findings,
        shown,
        money_by_currency,
        sections,
    )
)
