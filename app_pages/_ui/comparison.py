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
from affilka_core.outputs.formatting import card_figures, format_value, money_format
from affilka_core.outputs.markdown import md
from affilka_core.outputs.tables import comparison_rows, mover_rows

from .cards import Card, card_rows, runs
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


def delta_text(d: KpiDelta, currency: str | None, amount: str | None = None) -> str | None:
    """The change as a card shows it: "+€1,234.00 (+12.0%)", "-35 (-8.0%)", "no change"; None when
    unknown. `amount` is the change's size as the set of cards formats it (one format per kind)."""
    if d.change is None:
        return None
    if d.change == 0:
        return "no change"
    sign = "-" if d.change < 0 else "+"
    if d.kind == "rate":
        amount = f"{abs(d.change) * 100:.2f} pp"  # a rate's change is in percentage points
    elif d.kind == "money" and abs(d.change) < 0.005:
        amount = "<" + format_value(0.01, "money", currency)  # a change under a cent is not "+€0.00"
    elif amount is None:
        amount = format_value(abs(d.change), d.kind, currency, compact_form=True)
    percent = f" ({d.percent:+.1%})" if d.percent is not None else ""
    return f"{sign}{amount}{percent}"


def delta_card(d: KpiDelta, value: str, currency: str | None, amount: str | None = None) -> Card:
    """A card for a figure now, its change beside it (`amount`: its size as the set formats it): green
    up, red down, grey and arrowless when it did not change."""
    full = format_value(d.current, d.kind, currency)
    previous = format_value(d.previous, d.kind, currency)
    unchanged = d.change == 0
    return Card(
        d.label,
        value,
        help=f"This period: {full}. Previous period: {previous}.",
        delta=delta_text(d, currency, amount),
        delta_color="off" if unchanged else "normal",
        delta_arrow="off" if unchanged else "auto",
    )


def _delta_cards(deltas: list[KpiDelta], currency: str | None) -> None:
    shown = card_figures([(d.current, d.kind) for d in deltas], currency)
    # The changes, one format per kind too: never "+140k" beside "+12,852".
    changes = card_figures(
        [(abs(d.change) if d.change is not None else None, d.kind) for d in deltas], currency
    )
    made = [
        delta_card(d, value, currency, amount)
        for d, value, amount in zip(deltas, shown, changes, strict=True)
    ]
    card_rows(runs(made, [d.kind for d in deltas]))


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
) -> dict[str, pd.DataFrame]:
    """The toggle and, when on, the previous period's deltas, overlay and movers; returns what it shows
    as tables for the downloads (`comparison`, `comparison_campaigns`), none when it shows none."""
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
        st.caption(md("{}", blocked))
        return {}
    assert report.date_from is not None and report.date_to is not None
    start, end = previous_period(report.date_from, report.date_to)
    if not on:
        st.caption(md("Turn on to compare {} with {} → {}.", report.span_text(), start, end))
        return {}
    kept = result.previous or load_previous(result, report)
    failed = kept.failed_fetch
    if kept.report is None:
        what = md("{}.** {}", failed.title, failed.fix) if failed else md("no report came back.**")
        st.error(md("**The previous period ({} → {}) could not be fetched: {}", start, end, what), icon="❌")
        return {}
    before = metrics.only(kept.report.frame, brands=[brand] if brand else None)
    if before.empty:
        # Every figure would "grow" from nothing and every campaign would top the gainers: say it instead.
        st.info(
            md(
                "**The previous period ({} → {}) has no rows{}**, so there is nothing to compare with: the "
                "casino or these campaigns had no activity then, or the filters in the URL exclude it.",
                start,
                end,
                md(" for {}", brand) if brand else "",
            ),
            icon="📭",
        )
        return {}
    st.caption(
        md(
            "{} against {} ({:,} rows, {}).",
            report.span_text(),
            kept.report.span_text(),
            len(kept.report.frame),
            "fetched" if kept.report.source == "live" else "generated",
        )
    )
    deltas = _deltas(report.key, kept.report.key, brand, part, before)
    _delta_cards(deltas, currency)

    if charted:
        metric = metric_select("Day by day", charted, PERF_COMPARE_METRIC)
        table = _overlay(report.key, kept.report.key, brand, metric, part, before)
        st.plotly_chart(overlay_figure(table, metric, currency=currency), width="stretch")

    movers = _movers(report.key, kept.report.key, brand, part, before)
    shown_movers = {m: movers[m] for m, _ in MOVER_METRICS if m in charted}
    for metric, name in MOVER_METRICS:
        if metric not in charted:  # absent, or money in a report that mixes currencies
            continue
        gainers, losers = movers[metric]
        left, right = st.columns(2)
        with left:
            st.markdown(md("**Campaigns that gained most {}**", name))
            _mover_table(gainers, metric, currency)
        with right:
            st.markdown(md("**Campaigns that lost most {}**", name))
            _mover_table(losers, metric, currency)
    return {
        "comparison": comparison_rows(deltas, currency),
        "comparison_campaigns": mover_rows(shown_movers, currency),
    }
