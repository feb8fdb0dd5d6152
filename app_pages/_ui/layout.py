"""What frames every page: the sidebar's context (drawn once, by app.py), a data page's header, its
empty state, the multi-brand warning and the reconciliation with Affilka's totals."""

from __future__ import annotations

import streamlit as st

from affilka_core.analysis.registry import label
from affilka_core.catalogue import CheckId
from affilka_core.checks.model import Status
from affilka_core.load import LoadedReport
from affilka_core.outputs.markdown import Markdown, md, md_join
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
    if result is not None and result.scenario and report is None:
        # With data, the source line below names the scenario; without, this is all there is.
        st.markdown(md("**🎬 Demo scenario:** {}", SCENARIO_BY_KEY[result.scenario].label))
        st.caption("This scenario has no data: its diagnosis is on the URL check page.")
        return
    if report is None:
        st.caption("No report loaded.")
        failed = result.diagnosis.failed_fetch if result and pasted and result.answers(pasted.url) else None
        if failed is not None:
            st.caption(
                md(
                    "**Next:** the fetch failed ({}). {} on the URL check page.",
                    mid_sentence(failed.title),
                    after_failure(failed.temporary, failed.step),
                )
            )
        elif pasted is not None and pasted.url is not None:
            st.caption("**Next:** fetch the pasted URL on the URL check page to see its data.")
        else:
            st.caption("**Next:** paste a URL on the URL check page, or try the demo there.")
        return
    assert result is not None
    st.markdown(md("**{}**  \n{}", SOURCE_BADGES[result.source], report.label))
    if report.date_from and report.date_to:
        st.caption(md("{} · {}", report.span_text(), plural(len(report.frame), "row")))
    failing = [c for c in result.diagnosis.checks if c.status == Status.FAIL]
    if failing:
        first = failing[0]
        st.caption(
            md("**Next:** fix step {} ({}) on the URL check page.", first.step, mid_sentence(first.title))
        )
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
    """The report's money currency as the page header says it (report text: put it in with `md`)."""
    if not currencies:
        return "no currency stated"
    if len(currencies) == 1:
        return currencies[0]
    return f"{len(currencies)} currencies ({', '.join(currencies)}), never added together"


def report_page(
    title: str, icon: str, brand_note: Markdown | None = None
) -> tuple[Loaded, LoadedReport] | None:
    """The top of a data page: title, which report and dates, the multi-brand warning (ending with
    `brand_note`, what the page does with the brands); or the empty state when no report is loaded
    (then None)."""
    result = loaded()
    report = result.diagnosis.report if result else None
    if result is None or report is None:
        no_report(title, result)
        return None
    st.title(md("{} {}", icon, title))
    if result.scenario:
        scenario = SCENARIO_BY_KEY[result.scenario]
        st.badge(md("Demo scenario: {}", scenario.label), icon="🎬", color="violet")
        st.caption(md("{} Generated data, nothing fetched.", scenario.shows))
    st.caption(
        md(
            "{} · {} · {} · {} · {}",
            SOURCE_BADGES[result.source],
            report.label,
            report.span_text(),
            plural(len(report.frame), "row"),
            currency_text(row_currencies(report.frame)),
        )
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
        text = md("**{}.** {}", check.title, check.detail)
        if check.status == Status.FAIL:
            st.error(text, icon="🧮")
        elif check.status == Status.WARN:
            st.warning(text, icon="📅" if check.id == CheckId.DATA_OUTSIDE_RANGE else "🧮")
        elif check.id == CheckId.DATA_TOTALS_MISMATCH:
            st.caption(md("✅ {}: {}", check.title, check.detail))


def no_report(page: str, result: Loaded | None) -> None:
    """The empty state of a data page: what is missing and the two ways to get it (a demo scenario whose
    answer had no rows says so, rather than asking for a URL; a fetch that failed says why, with the
    way back to it)."""
    st.title(page)
    failed = result.diagnosis.failed_fetch if result is not None and not result.scenario else None
    if failed is not None:
        box = st.warning if failed.temporary else st.error
        box(
            md(
                "**The last fetch failed: {}.** {} {} on the URL check page.",
                mid_sentence(failed.title),
                failed.detail,
                after_failure(failed.temporary, failed.step),
            ),
            icon="⏳" if failed.temporary else "❌",
        )
        with st.container(horizontal=True, vertical_alignment="center"):
            st.page_link(URL_CHECK, label="Back to the URL check", icon="🩺")
            st.button("Try with demo data", key=DEMO_BUTTON.format(page=page), on_click=load_demo)
        return
    if result is not None and result.scenario:
        scenario = SCENARIO_BY_KEY[result.scenario]
        st.badge(md("Demo scenario: {}", scenario.label), icon="🎬", color="violet")
        st.info(
            md(
                "**This scenario has no data to show.** {} The URL check page shows its diagnosis; pick "
                "another scenario there, or try the demo data.",
                scenario.shows,
            ),
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


def brand_warning(brands: list[str], note: Markdown | None = None) -> None:
    """Kept visible on every data page while a report mixes brands (guide step 4); `note` says what
    this page shows of them."""
    if len(brands) > 1:
        st.error(
            md(
                "**This report mixes {} brands** ({}{}): CasinoFlux would attribute one casino's players to "
                "another. {}Fix: in Reports → Statistics → Filters, select the Offer's brand, click Filter "
                "and export again (step 4).",
                len(brands),
                md_join(", ", brands[:4]),
                "…" if len(brands) > 4 else "",
                md("{} ", note) if note else "",
            ),
            icon="⚠️",
        )
