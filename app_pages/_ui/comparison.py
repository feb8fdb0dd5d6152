"""This period against the last, on Performance: the previous period of the same length (fetched through the
same URL with its dates rewritten, or generated for demo data), KPI deltas, the by-day overlay and the
campaigns that moved most."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from affilka_core.analysis import metrics
from affilka_core.analysis.compare import KpiDelta, campaign_movers, kpi_deltas, overlay_by_day
from affilka_core.checks.fetch_checks import error_check
from affilka_core.checks.model import Check
from affilka_core.dates import previous_period
from affilka_core.errors import AffilkaError
from affilka_core.load import LoadedReport, load_demo, load_live
from affilka_core.outputs import charts
from affilka_core.outputs.markdown import escape
from affilka_core.url.parse import AffilkaUrl, with_dates

from .layout import metric_select
from .reports import FetchProgress, report_matches
from .state import PREVIOUS, current_result

COMPARE = "perf_compare"
MOVER_METRICS = (("partner_income", "partner income"), ("first_deposits_count", "FTDs"))


@dataclass(frozen=True, eq=False)
class PreviousPeriod:
    """The previous period of the report `for_key`: its report, or the check saying why it failed."""

    for_key: str
    start: dt.date
    end: dt.date
    report: LoadedReport | None = None
    error: Check | None = None


@st.cache_data(ttl=15 * 60, max_entries=2, show_spinner=False)
def _previous_demo(days: int, end: dt.date, brands: tuple[str, ...]) -> LoadedReport:
    # Generated, no network and no token: the same for every session, so it may be shared.
    return load_demo(days, end=end, brands=brands)


def stored_previous(report: LoadedReport) -> PreviousPeriod | None:
    """The previous period kept for this report, if it was loaded."""
    kept = st.session_state.get(PREVIOUS)
    return kept if isinstance(kept, PreviousPeriod) and kept.for_key == report.key else None


def source_url(report: LoadedReport) -> AffilkaUrl | None:
    """The pasted URL a live report was fetched from, while it is still the one pasted."""
    result = current_result()
    url = result.url if result is not None else None
    return url if report.source == "live" and report_matches(url) else None


def load_previous(report: LoadedReport) -> PreviousPeriod:
    """Fetch (live) or generate (demo) the period of the same length that ends the day before the report
    starts, and keep it next to the report, replacing any other previous period (at most one is kept)."""
    assert report.date_from is not None and report.date_to is not None
    start, end = previous_period(report.date_from, report.date_to)
    st.session_state.pop(PREVIOUS, None)  # memory: never two previous periods at once
    if report.source == "demo":
        brands = tuple(metrics.brands_in(report.frame)) or ("Casino Alpha",)
        kept = PreviousPeriod(report.key, start, end, _previous_demo((end - start).days + 1, end, brands))
    else:
        url = source_url(report)
        assert url is not None
        bar = FetchProgress(f"Fetching {start} → {end}…")
        try:
            previous = load_live(with_dates(url, start, end), on_progress=bar.pages, on_wait=bar.waiting)
            kept = PreviousPeriod(report.key, start, end, previous)
        except AffilkaError as exc:
            kept = PreviousPeriod(report.key, start, end, error=error_check(exc))
        finally:
            bar.empty()
    st.session_state[PREVIOUS] = kept
    return kept


def why_not(report: LoadedReport) -> str | None:
    """Why this report cannot be compared, or None when it can."""
    if report.date_from is None or report.date_to is None:
        return "The report has no dates, so there is no previous period to compare with."
    if report.source == "file":
        return (
            "A saved file has no URL to fetch the previous period from: paste the report's URL on the URL "
            "check page and fetch it to compare."
        )
    if report.source == "live" and source_url(report) is None:
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
    if d.kind == "ratio":
        amount = f"{abs(d.change) * 100:.2f} pp"  # a rate's change is in percentage points
    else:
        amount = metrics.format_value(abs(d.change), d.kind, currency, compact=True)
    percent = f" ({d.percent:+.1%})" if d.percent is not None else ""
    return f"{sign}{amount}{percent}"


def _delta_cards(deltas: list[KpiDelta], currency: str | None) -> None:
    # Four to a row: a card holds the value and its change side by side, which needs the width.
    for row in (deltas[i : i + 4] for i in range(0, len(deltas), 4)):
        for col, d in zip(st.columns(max(len(row), 1)), row, strict=False):
            previous = metrics.format_value(d.previous, d.kind, currency)
            col.metric(
                d.label,
                metrics.format_value(d.current, d.kind, currency, compact=True),
                delta=delta_text(d, currency),
                help=f"Previous period: {previous}",
                border=True,
            )


def _mover_table(table: pd.DataFrame, metric: str, currency: str | None) -> None:
    if table.empty:
        st.caption("None.")
        return
    money = charts.kind(metric) == "money"
    fmt = charts.money_format(currency) if money else "localized"
    config = {c: st.column_config.NumberColumn(c.capitalize(), format=fmt) for c in ("current", "previous")}
    config["change"] = st.column_config.NumberColumn("Change", format=fmt)
    config["campaign"] = st.column_config.TextColumn("Campaign")
    st.dataframe(table, hide_index=True, column_config=config, width="stretch")


def comparison_section(
    report: LoadedReport, part: pd.DataFrame, brand: str | None, currency: str | None, charted: list[str]
) -> None:
    """The toggle and, when on, the previous period's deltas, overlay and movers."""
    st.subheader("This period against the last", anchor="comparison")
    blocked = why_not(report)
    on = st.toggle(
        "Compare with the previous period",
        key=COMPARE,
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
    kept = stored_previous(report) or load_previous(report)
    if kept.error is not None:
        st.error(
            f"**The previous period ({start} → {end}) could not be fetched: {kept.error.title}.** "
            f"{kept.error.fix}",
            icon="❌",
        )
        return
    assert kept.report is not None
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
        metric = metric_select("Day by day", charted, "perf_compare_metric")
        table = _overlay(report.key, kept.report.key, brand, metric, part, before)
        st.plotly_chart(charts.overlay_figure(table, metric, currency=currency), width="stretch")

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
