"""What frames every page: the sidebar's report context, a data page's header, its empty state and the
multi-brand warning."""

from __future__ import annotations

import streamlit as st

from affilka_core.analysis.metrics import currencies_in
from affilka_core.catalogue import CheckId
from affilka_core.checks.model import Status
from affilka_core.load import LoadedReport
from affilka_core.outputs import charts
from affilka_core.outputs.markdown import escape
from affilka_core.report.frame import brands_in
from affilka_core.scenarios import SCENARIO_BY_KEY

from .reports import (
    after_failure,
    all_checks,
    failed_title,
    fetch_error,
    load_demo_report,
    loaded_report,
    report_matches,
)
from .routes import URL_CHECK
from .state import SCENARIO, current_result

SOURCE_BADGES = {"live": "🟢 Live report", "demo": "🧪 Demo data", "file": "📄 Saved file"}


def sidebar_context() -> None:
    """The sidebar under the navigation: where the user is (which report, which dates, demo or live) and
    what to do next. Every page calls it first."""
    with st.sidebar:
        _report_context()


def _report_context() -> None:
    report = loaded_report()
    result = current_result()
    shown = st.session_state.get(SCENARIO)
    if shown:
        st.markdown(f"**🎬 Demo scenario:** {SCENARIO_BY_KEY[shown[0]].label}")
    if report is None and shown:
        st.caption("This scenario has no data: its diagnosis is on the URL check page.")
        return
    if report is None:
        st.caption("No report loaded.")
        error = fetch_error() if result is not None and report_matches(result.url) else None
        if error is not None:
            st.caption(
                f"**Next:** the fetch failed ({failed_title(error)}). {after_failure(error)} on the URL "
                "check page."
            )
        elif result is not None and result.url is not None:
            st.caption("**Next:** fetch the pasted URL on the URL check page to see its data.")
        else:
            st.caption("**Next:** paste a URL on the URL check page, or try the demo there.")
        return
    st.markdown(f"**{SOURCE_BADGES[report.source]}**  \n{report.label}")
    if report.date_from and report.date_to:
        st.caption(f"{report.date_from} → {report.date_to} · {len(report.frame):,} rows")
    # When the report came from the pasted URL, its URL checks count too.
    own = result is not None and result.url is not None and report_matches(result.url)
    failing = [c for c in (all_checks(result) if own else report.checks) if c.status == Status.FAIL]
    if failing:
        first = failing[0]
        st.caption(f"**Next:** fix step {first.step} ({failed_title(first)}) on the URL check page.")
    else:
        st.caption("**Next:** read Performance, filter on Data, or copy a ticket summary on URL check.")


def metric_select(label: str, metrics: list[str], key: str) -> str:
    """A metric picker opening on partner income, what an Offer is paid on, when the report has it."""
    return st.selectbox(
        label,
        metrics,
        index=metrics.index("partner_income") if "partner_income" in metrics else 0,
        format_func=charts.label,
        key=key,
    )


def currency_text(currencies: list[str]) -> str:
    """The report's money currency as the page header says it."""
    if not currencies:
        return "no currency stated"
    if len(currencies) == 1:
        return currencies[0]
    return f"{len(currencies)} currencies ({', '.join(currencies)}), never added together"


def report_page(title: str, icon: str, brand_note: str | None = None) -> LoadedReport | None:
    """The top of a data page: title, which report and dates, the multi-brand warning (ending with
    `brand_note`, what the page does with the brands); or the empty state when no report is loaded
    (then None)."""
    report = loaded_report()
    if report is None:
        no_report(title)
        return None
    st.title(f"{icon} {title}")
    shown = st.session_state.get(SCENARIO)
    if shown:
        scenario = SCENARIO_BY_KEY[shown[0]]
        st.badge(f"Demo scenario: {scenario.label}", icon="🎬", color="violet")
        st.caption(f"{scenario.shows} Generated data, nothing fetched.")
    st.caption(
        f"{SOURCE_BADGES[report.source]} · {report.label} · {report.date_from} → {report.date_to} · "
        f"{len(report.frame):,} rows · {currency_text(currencies_in(report.frame))}"
    )
    brand_warning(brands_in(report.frame), brand_note)
    reconciliation(report)
    return report


# What the figures on a data page rest on: Affilka's own totals, and rows the URL did not ask for.
_FIGURE_CHECKS = (CheckId.DATA_TOTALS_MISMATCH, CheckId.DATA_OUTSIDE_RANGE)


def reconciliation(report: LoadedReport) -> None:
    """Whether the rows add up to Affilka's own totals, and rows dated outside from..to, said where the
    figures are read: a failure in red, a warning in amber, a match as a quiet line."""
    for check in report.checks:
        if check.id not in _FIGURE_CHECKS:
            continue
        text = f"**{escape(check.title)}.** {escape(check.detail)}"
        if check.status == Status.FAIL:
            st.error(text, icon="🧮")
        elif check.status == Status.WARN:
            st.warning(text, icon="📅" if check.id == CheckId.DATA_OUTSIDE_RANGE else "🧮")
        elif check.id == CheckId.DATA_TOTALS_MISMATCH:
            st.caption(f"✅ {escape(check.title)}: {escape(check.detail)}")


def no_report(page: str) -> None:
    """The empty state of a data page: what is missing and the two ways to get it (a demo scenario
    whose answer had no rows says so, rather than asking for a URL)."""
    st.title(page)
    shown = st.session_state.get(SCENARIO)
    if shown:
        scenario = SCENARIO_BY_KEY[shown[0]]
        st.badge(f"Demo scenario: {scenario.label}", icon="🎬", color="violet")
        st.info(
            f"**This scenario has no data to show.** {scenario.shows} The URL check page shows its "
            "diagnosis; pick another scenario there, or try the demo data.",
            icon="🎬",
        )
        left, right = st.columns(2)
        left.page_link(URL_CHECK, label="See the diagnosis", icon="🩺")
        right.button("Try with demo data", key=f"demo_{page}", on_click=load_demo_report)
        return
    st.info(
        "No report is loaded yet. Paste an Affilka URL on the URL check page and click **Fetch report**, "
        "or look around with generated demo data.",
        icon="👈",
    )
    left, right = st.columns(2)
    left.page_link(URL_CHECK, label="Paste and fetch a URL", icon="🩺")
    right.button("Try with demo data", key=f"demo_{page}", on_click=load_demo_report)


def brand_warning(brands: list[str], note: str | None = None) -> None:
    """Kept visible on every data page while a report mixes brands (guide step 4); `note` says what
    this page shows of them."""
    if len(brands) > 1:
        st.error(
            f"**This report mixes {len(brands)} brands** ({escape(', '.join(brands[:4]))}"
            f"{'…' if len(brands) > 4 else ''}): CasinoFlux would attribute one casino's players to "
            f"another. {note + ' ' if note else ''}Fix: in Reports → Statistics → Filters, select the "
            "Offer's brand, click Filter and export again (step 4).",
            icon="⚠️",
        )
