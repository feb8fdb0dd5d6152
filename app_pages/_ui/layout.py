"""What frames every page: the sidebar's context (drawn once, by app.py), a data page's header, its
empty state, the multi-brand warning and the reconciliation with Affilka's totals."""

from __future__ import annotations

import streamlit as st

from affilka_core.analysis.registry import label
from affilka_core.catalogue import CheckId
from affilka_core.checks.model import Status
from affilka_core.load import LoadedReport
from affilka_core.outputs.markdown import escape
from affilka_core.report.frame import row_currencies
from affilka_core.scenarios import SCENARIO_BY_KEY
from affilka_core.text import mid_sentence, plural

from .fetching import after_failure, load_demo
from .routes import URL_CHECK
from .session import DEMO_BUTTON, Loaded, loaded, shown_diagnosis

SOURCE_BADGES = {
    "live": "🟢 Live report",
    "demo": "🧪 Demo data",
    "file": "📄 Saved file",
    "scenario": "🎬 Demo scenario",
}


def sidebar_context() -> None:
    """Under the navigation: where the user is (which report, which dates, demo or live) and what to do
    next. Drawn once per run, by app.py."""
    with st.sidebar:
        _report_context()


def _report_context() -> None:
    result = loaded()
    pasted = shown_diagnosis()
    report = result.diagnosis.report if result else None
    if result is not None and result.scenario:
        st.markdown(f"**🎬 Demo scenario:** {SCENARIO_BY_KEY[result.scenario].label}")
        if report is None:
            st.caption("This scenario has no data: its diagnosis is on the URL check page.")
            return
    if report is None:
        st.caption("No report loaded.")
        failed = result.diagnosis.failed_fetch if result and pasted and result.answers(pasted.url) else None
        if failed is not None:
            st.caption(
                f"**Next:** the fetch failed ({mid_sentence(failed.title)}). "
                f"{after_failure(failed.temporary, failed.step)} on the URL check page."
            )
        elif pasted is not None and pasted.url is not None:
            st.caption("**Next:** fetch the pasted URL on the URL check page to see its data.")
        else:
            st.caption("**Next:** paste a URL on the URL check page, or try the demo there.")
        return
    assert result is not None
    st.markdown(f"**{SOURCE_BADGES[result.source]}**  \n{escape(report.label)}")
    if report.date_from and report.date_to:
        st.caption(f"{report.date_from} → {report.date_to} · {plural(len(report.frame), 'row')}")
    failing = [c for c in result.diagnosis.checks if c.status == Status.FAIL]
    if failing:
        first = failing[0]
        st.caption(f"**Next:** fix step {first.step} ({mid_sentence(first.title)}) on the URL check page.")
    else:
        st.caption("**Next:** read Performance, filter on Data, or copy a ticket summary on URL check.")


def metric_select(text: str, metrics: list[str], key: str) -> str:
    """A metric picker opening on partner income, what an Offer is paid on, when the report has it."""
    return st.selectbox(
        text,
        metrics,
        index=metrics.index("partner_income") if "partner_income" in metrics else 0,
        format_func=label,
        key=key,
    )


def currency_text(currencies: list[str]) -> str:
    """The report's money currency as the page header says it."""
    if not currencies:
        return "no currency stated"
    if len(currencies) == 1:
        return currencies[0]
    return f"{len(currencies)} currencies ({', '.join(currencies)}), never added together"


def report_page(title: str, icon: str, brand_note: str | None = None) -> tuple[Loaded, LoadedReport] | None:
    """The top of a data page: title, which report and dates, the multi-brand warning (ending with
    `brand_note`, what the page does with the brands); or the empty state when no report is loaded
    (then None)."""
    result = loaded()
    report = result.diagnosis.report if result else None
    if result is None or report is None:
        no_report(title, result)
        return None
    st.title(f"{icon} {title}")
    if result.scenario:
        scenario = SCENARIO_BY_KEY[result.scenario]
        st.badge(f"Demo scenario: {scenario.label}", icon="🎬", color="violet")
        st.caption(f"{scenario.shows} Generated data, nothing fetched.")
    st.caption(
        f"{SOURCE_BADGES[result.source]} · {escape(report.label)} · {report.date_from} → {report.date_to} · "
        f"{plural(len(report.frame), 'row')} · {currency_text(row_currencies(report.frame))}"
    )
    brand_warning(report.parsed.brands, brand_note)
    reconciliation(result)
    return result, report


# What the figures on a data page rest on: Affilka's own totals, rows the URL did not ask for, rows dated
# on no report day, and figures that are not numbers.
_FIGURE_CHECKS = (
    CheckId.DATA_TOTALS_MISMATCH,
    CheckId.DATA_OUTSIDE_RANGE,
    CheckId.DATA_DATE_BOUNDS,
    CheckId.DATA_NON_FINITE,
)


def reconciliation(result: Loaded) -> None:
    """Whether the rows add up to Affilka's own totals, and rows dated outside from..to, said where the
    figures are read: a failure in red, a warning in amber, a match as a quiet line."""
    for check in result.diagnosis.checks:
        if check.id not in _FIGURE_CHECKS:
            continue
        text = f"**{escape(check.title)}.** {escape(check.detail)}"
        if check.status == Status.FAIL:
            st.error(text, icon="🧮")
        elif check.status == Status.WARN:
            st.warning(text, icon="📅" if check.id == CheckId.DATA_OUTSIDE_RANGE else "🧮")
        elif check.id == CheckId.DATA_TOTALS_MISMATCH:
            st.caption(f"✅ {escape(check.title)}: {escape(check.detail)}")


def no_report(page: str, result: Loaded | None) -> None:
    """The empty state of a data page: what is missing and the two ways to get it (a demo scenario whose
    answer had no rows says so, rather than asking for a URL)."""
    st.title(page)
    if result is not None and result.scenario:
        scenario = SCENARIO_BY_KEY[result.scenario]
        st.badge(f"Demo scenario: {scenario.label}", icon="🎬", color="violet")
        st.info(
            f"**This scenario has no data to show.** {scenario.shows} The URL check page shows its "
            "diagnosis; pick another scenario there, or try the demo data.",
            icon="🎬",
        )
        left, right = st.columns(2)
        left.page_link(URL_CHECK, label="See the diagnosis", icon="🩺")
        right.button("Try with demo data", key=DEMO_BUTTON.format(page=page), on_click=load_demo)
        return
    st.info(
        "No report is loaded yet. Paste an Affilka URL on the URL check page and click **Fetch report**, "
        "or look around with generated demo data.",
        icon="👈",
    )
    left, right = st.columns(2)
    left.page_link(URL_CHECK, label="Paste and fetch a URL", icon="🩺")
    right.button("Try with demo data", key=DEMO_BUTTON.format(page=page), on_click=load_demo)


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
