"""This period against the last, on Performance: the previous period of the same length (fetched through the
same URL with its dates rewritten, or generated for demo data), KPI deltas, the by-day overlay and the
campaigns that moved most."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from affilka_core.analysis import metrics
from affilka_core.analysis.compare import KpiDelta, campaign_movers, kpi_deltas, overlay_by_day
from affilka_core.analysis.registry import kind
from affilka_core.dates import previous_period
from affilka_core.diagnosis import Diagnosis, diagnose_demo
from affilka_core.load import LoadedReport
from affilka_core.outputs.charts import overlay_figure
from affilka_core.outputs.formatting import format_value, money_format
from affilka_core.outputs.markdown import escape

from .fetching import GENERATED_CACHE_SECONDS, fetch_with_progress
from .layout import metric_select
from .session import PERF_COMPARE, PERF_COMPARE_METRIC, Loaded, shown_diagnosis, store, url_text

MOVER_METRICS = (("partner_income", "partner income"), ("first_deposits_count", "FTDs"))


@st.cache_data(ttl=GENERATED_CACHE_SECONDS, max_entries=2, show_spinner=False)
def _previous_demo(days: int, end: dt.date, brands: tuple[str, ...]) -> Diagnosis:
    # Generated, no network and no token: the same for every session, so it may be shared.
    return diagnose_demo(days, end=end, brands=brands)


def load_previous(result: Loaded, report: LoadedReport) -> Diagnosis:
    """Fetch (live: the same URL, dates rewritten, through the same loader as Fetch) or generate (demo)
    the period of the same length that ends the day before the report starts, and keep it beside the
    report in the session's one result."""
    assert report.date_from is not None and report.date_to is not None
    start, end = previous_period(report.date_from, report.date_to)
    if result.source == "live":
        previous = fetch_with_progress(url_text(), (start, end), f"Fetching {start} → {end}…")
    else:
        brands = tuple(report.parsed.brands) or ("Casino Alpha",)
        previous = _previous_demo((end - start).days + 1, end, brands)
    store(result.with_previous(previous))
    return previous


def why_not(result: Loaded, report: LoadedReport) -> str | None:
    """Why this report cannot be compared, or None when it can."""
    if report.date_from is None or report.date_to is None:
        return "The report has no dates, so there is no previous period to compare with."
    try:
        previous_period(report.date_from, report.date_to)
    except ValueError as exc:  # dates no report holds: saying so is all there is to do
        return str(exc)
    if result.source == "file":
        return (
            "A saved file has no URL to fetch the previous period from: paste the report's URL on the URL "
            "check page and fetch it to compare."
        )
    pasted = shown_diagnosis()
    if result.source == "live" and (pasted is None or not result.answers(pasted.url)):
        return "The URL this report came from is no longer pasted: paste it again and fetch to compare."
    return None


@st.cache_data(max_entries=16, show_spinner=False)
def _deltas(key: str, previous: str, brand: str | None, _now: pd.DataFrame, _before: pd.DataFrame):
    return kpi_deltas(_now, _before)


@st.cache_data(max_entries=32, show_spinner=False)
def _overlay(
    key: str, previous: str, brand: str | None, metric: str, _now: pd.DataFrame, _before: pd.DataFrame
):
    return overlay_by_day(_now, _before, metric)


@st.cache_data(max_entries=16, show_spinner=False)
def _movers(key: str, previous: str, brand: str | None, _now: pd.DataFrame, _before: pd.DataFrame):
    return {m: campaign_movers(_now, _before, m) for m, _ in MOVER_METRICS}


def delta_text(d: KpiDelta, currency: str | None) -> str | None:
    """The change as a card shows it: "+€1,234.00 (+12%)", "-35 (-8%)"; None when unknown."""
    if d.change is None:
        return None
    sign = "-" if d.change < 0 else "+"
    if d.kind == "rate":
        amount = f"{abs(d.change) * 100:.2f} pp"  # a rate's change is in percentage points
    else:
        amount = format_value(abs(d.change), d.kind, currency, compact_form=True)
    percent = f" ({d.percent:+.1%})" if d.percent is not None else ""
    return f"{sign}{amount}{percent}"


def _delta_cards(deltas: list[KpiDelta], currency: str | None) -> None:
    # Four to a row: a card holds the value and its change side by side, which needs the width.
    for row in (deltas[i : i + 4] for i in range(0, len(deltas), 4)):
        for col, d in zip(st.columns(max(len(row), 1)), row, strict=False):
            previous = format_value(d.previous, d.kind, currency)
            col.metric(
                d.label,
                format_value(d.current, d.kind, currency, compact_form=True),
                delta=delta_text(d, currency),
                help=f"Previous period: {previous}",
                border=True,
            )


def _mover_table(table: pd.DataFrame, metric: str, currency: str | None) -> None:
    if table.empty:
        st.caption("None.")
        return
    money = kind(metric) == "money"
    fmt = money_format(currency) if money else "localized"
    config = {c: st.column_config.NumberColumn(c.capitalize(), format=fmt) for c in ("current", "previous")}
    config["change"] = st.column_config.NumberColumn("Change", format=fmt)
    config["campaign"] = st.column_config.TextColumn("Campaign")
    st.dataframe(table, hide_index=True, column_config=config, width="stretch")


def comparison_section(
    result: Loaded,
    report: LoadedReport,
    part: pd.DataFrame,
    brand: str | None,
    currency: str | None,
    charted: list[str],
) -> None:
    """The toggle and, when on, the previous period's deltas, overlay and movers."""
    st.subheader("This period against the last", anchor="comparison")
    blocked = why_not(result, report)
    on = st.toggle(
        "Compare with the previous period",
        key=PERF_COMPARE,
        disabled=blocked is not None,
        help="The period of the same length just before this one: fetched through the same URL with its "
        "dates rewritten (as CasinoFlux does), or generated for demo data.",
    )
    if blocked is not None:
        st.caption(blocked)
        return
    assert report.date_from is not None and report.date_to is not None
    start, end = previous_period(report.date_from, report.date_to)
    if not on:
        st.caption(f"Turn on to compare {report.date_from} → {report.date_to} with {start} → {end}.")
        return
    kept = result.previous or load_previous(result, report)
    failed = kept.failed_fetch
    if kept.report is None:
        what = f"{failed.title}.** {failed.fix}" if failed else "no report came back.**"
        st.error(f"**The previous period ({start} → {end}) could not be fetched: {what}", icon="❌")
        return
    before = metrics.only(kept.report.frame, brands=[brand] if brand else None)
    if before.empty:
        # Every figure would "grow" from nothing and every campaign would top the gainers: say it instead.
        st.info(
            f"**The previous period ({start} → {end}) has no rows"
            f"{' for ' + escape(brand) if brand else ''}**, so there is nothing to compare with: the casino "
            "or these campaigns had no activity then, or the filters in the URL exclude it.",
            icon="📭",
        )
        return
    st.caption(
        f"{report.date_from} → {report.date_to} against {start} → {end} "
        f"({len(kept.report.frame):,} rows{', fetched' if kept.report.source == 'live' else ', generated'})."
    )
    deltas = _deltas(report.key, kept.report.key, brand, part, before)
    _delta_cards(deltas, currency)

    if charted:
        metric = metric_select("Day by day", charted, PERF_COMPARE_METRIC)
        table = _overlay(report.key, kept.report.key, brand, metric, part, before)
        st.plotly_chart(overlay_figure(table, metric, currency=currency), width="stretch")

    movers = _movers(report.key, kept.report.key, brand, part, before)
    for metric, name in MOVER_METRICS:
        if metric not in charted:  # absent, or money in a report that mixes currencies
            continue
        gainers, losers = movers[metric]
        left, right = st.columns(2)
        with left:
            st.markdown(f"**Campaigns that gained most {name}**")
            _mover_table(gainers, metric, currency)
        with right:
            st.markdown(f"**Campaigns that lost most {name}**")
            _mover_table(losers, metric, currency)
