"""Demo scenarios on screen: the picker, loading one (no network), its badge, and its checklist and verdict
on the URL check page, as a pasted URL gets them."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from affilka_core.diagnosis import Diagnosis
from affilka_core.outputs.markdown import escape
from affilka_core.scenarios import SCENARIO_BY_KEY, SCENARIOS, Scenario, diagnose_scenario

from .checklist import checklist, support_ticket, verdict_banner
from .findings import cached_findings
from .reports import forget_extras
from .routes import PERFORMANCE
from .state import FETCH_ERROR, FETCHED_AT, FETCHED_FOR, REPORT, SCENARIO, SCENARIO_PICK, set_url

SCENARIO_CACHE_SECONDS = 15 * 60


@st.cache_data(ttl=SCENARIO_CACHE_SECONDS, max_entries=8, show_spinner=False)
def scenario_diagnosis(key: str, end: dt.date) -> Diagnosis:
    """The scenario through the path a pasted URL takes (its URL's checklist, then the built report parsed
    and diagnosed, or the fetcher's failure as a check). Generated, with a demo token: safe to share."""
    return diagnose_scenario(key, end=end)


def current_scenario() -> tuple[Scenario, Diagnosis] | None:
    """The scenario on screen and its diagnosis (rows left out), if one is loaded."""
    shown = st.session_state.get(SCENARIO)
    return (SCENARIO_BY_KEY[shown[0]], shown[1]) if shown else None


def load_scenario() -> None:
    """Load the picked scenario as if its URL had been pasted and fetched: the URL check page shows its
    checklist, Performance and Data its rows (when it has any)."""
    key = st.session_state.get(SCENARIO_PICK)
    if key is None:
        return
    diagnosis = scenario_diagnosis(key, dt.date.today() - dt.timedelta(days=1))
    set_url("")
    forget_extras()
    for name in (FETCH_ERROR, FETCHED_FOR, FETCHED_AT):
        st.session_state.pop(name, None)
    st.session_state[REPORT] = diagnosis.report
    st.session_state[SCENARIO] = (key, diagnosis.without_frame())


def scenario_picker() -> None:
    """The scenarios "Try with demo data" offers, one pick loads one."""
    st.selectbox(
        "Or show a demo scenario",
        [s.key for s in SCENARIOS],
        index=None,
        placeholder="Healthy, several brands, expired token, a campaign that stopped converting…",
        format_func=lambda key: f"{SCENARIO_BY_KEY[key].label} — {SCENARIO_BY_KEY[key].shows}",
        key=SCENARIO_PICK,
        on_change=load_scenario,
        help="Generated reports and failures sent through the same checks as a pasted URL; no network. "
        "For demos and for training support.",
    )


def scenario_badge(scenario: Scenario) -> None:
    """Says plainly that what is on screen is a demo scenario, not a casino's report."""
    st.badge(f"Demo scenario: {scenario.label}", icon="🎬", color="violet")


def scenario_view(scenario: Scenario, diagnosis: Diagnosis) -> None:
    """The URL check page for a scenario: badge, what it shows, the verdict, the checklist, the ticket."""
    scenario_badge(scenario)
    st.markdown(
        f"**{scenario.label}.** {scenario.shows} The URL and the answer are generated: nothing was fetched."
    )
    checks = list(diagnosis.checks)
    verdict_banner(checks)
    report = st.session_state.get(REPORT)
    if report is not None:
        notable = [f for f in cached_findings(report.key, None, report.frame) if f.severity != "info"]
        if notable:
            st.warning(
                f"**The URL is one thing, the data another: {len(notable)} thing"
                f"{'s stand' if len(notable) > 1 else ' stands'} out on Performance**, first "
                f"{escape(notable[0].title)}.",
                icon="🔎",
            )
        st.page_link(PERFORMANCE, label="See this scenario's performance", icon="📈")
    st.subheader("Checklist")
    checklist(checks)
    support_ticket(checks, diagnosis.url, diagnosis.summary())
