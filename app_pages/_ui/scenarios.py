"""Demo scenarios on screen: the picker, and a scenario's verdict, checklist and ticket on the URL check
page, as a pasted URL gets them."""

from __future__ import annotations

import streamlit as st

from affilka_core.outputs.markdown import md
from affilka_core.scenarios import SCENARIO_BY_KEY, SCENARIOS

from .checklist import checklist, support_ticket, verdict_banner
from .fetching import load_scenario
from .findings import cached_findings
from .routes import PERFORMANCE
from .session import SCENARIO_PICK, Loaded


def scenario_picker() -> None:
    """The scenarios "Try with demo data" offers; one pick loads one."""
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


def scenario_view(result: Loaded) -> None:
    """The URL check page for a scenario: badge, what it shows, the verdict, the checklist, the ticket."""
    assert result.scenario is not None
    scenario = SCENARIO_BY_KEY[result.scenario]
    diagnosis = result.diagnosis
    st.badge(md("Demo scenario: {}", scenario.label), icon="🎬", color="violet")
    st.markdown(
        md(
            "**{}.** {} The URL and the answer are generated: nothing was fetched.",
            scenario.label,
            scenario.shows,
        )
    )
    checks = list(diagnosis.checks)
    verdict_banner(checks)
    report = diagnosis.report
    if report is not None:
        notable = [f for f in cached_findings(report.key, None, report) if f.severity != "info"]
        if notable:
            st.warning(
                md(
                    "**The URL is one thing, the data another: {} thing{} out on Performance**{} {}.",
                    len(notable),
                    "s stand" if len(notable) > 1 else " stands",
                    ", first:" if len(notable) > 1 else ":",
                    notable[0].title,
                ),
                icon="🔎",
            )
        if report.frame.empty:
            st.caption(
                "Its report came back with no rows: there is no performance to see, only the checks below."
            )
        else:
            st.page_link(PERFORMANCE, label="See this scenario's performance", icon="📈")
    st.subheader("Checklist")
    checklist(checks)
    support_ticket(checks, diagnosis.url, diagnosis.summary(), secrets=diagnosis.secrets)
