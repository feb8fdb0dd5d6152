"""What stands out, first on Performance: the report's findings ranked, each naming its campaign and dates
and linking to the chart that shows it."""

from __future__ import annotations

from collections.abc import Collection

import pandas as pd
import streamlit as st

from affilka_core.analysis.insights import Finding, find_insights
from affilka_core.analysis.registry import label
from affilka_core.load import LoadedReport
from affilka_core.outputs.markdown import Markdown, md, md_join
from affilka_core.text import days_text

# Performance's sections, by the anchors of their headers.
BY_DAY, BY_CAMPAIGN = "by-day", "by-campaign"
SHOWN = 6  # findings shown before "more"
_BOXES = {"high": (st.error, "🔴", "High"), "medium": (st.warning, "🟠", "Medium")}


@st.cache_data(max_entries=16, show_spinner=False)
def cached_findings(
    key: str, brand: str | None, _report: LoadedReport, _part: pd.DataFrame | None = None
) -> list[Finding]:
    """The findings of one loaded report (`_part`: its rows of one brand); neither is hashed, the load's
    key and the brand stand for them."""
    return find_insights(_report.frame if _part is None else _part, grouping=_report.grouping)


def chart_anchor(chart: str) -> str | None:
    """The section of Performance holding the chart a finding names."""
    if chart.startswith("Metrics by day"):
        return BY_DAY
    if chart.startswith("Campaign"):
        return BY_CAMPAIGN
    return None


def where(f: Finding, charted: Collection[str] | None = None) -> Markdown:
    """Campaign, dates (separate days listed as days) and the chart to look at, as one line. The chart
    is a link only when it draws what the finding names (`charted`: the metrics Performance can chart;
    None: any)."""
    parts = []
    if f.campaign:
        parts.append(md("Campaign **{}**", f.campaign))
    if f.days_shown:
        parts.append(md("{}", f.days_shown))
    elif f.days:
        parts.append(md("{}", days_text(f.days)))
    elif f.date_from:
        same_day = f.date_to in (None, f.date_from)
        parts.append(md("{}", f.date_from) if same_day else md("{} → {}", f.date_from, f.date_to))
    if f.chart:
        anchor = chart_anchor(f.chart)
        drawn = f.metric is None or charted is None or f.metric in charted
        if anchor and drawn:
            parts.append(md("see [{}](#{})", f.chart, anchor))
        elif anchor:
            parts.append(md("not charted here: {} is in the cards above", label(f.metric or "")))
        else:
            parts.append(md("see {}", f.chart))
    return md_join(" · ", parts)


def finding_box(f: Finding, charted: Collection[str] | None = None) -> None:
    """High in red, medium in amber, info in grey."""
    text = md("**{}** — {}", f.title, f.detail)
    line = where(f, charted)
    if f.severity in _BOXES:
        box, icon, name = _BOXES[f.severity]
        box(md("{}\n\n{} · {}", text, name, line), icon=icon)
    else:
        with st.container(border=True):
            st.markdown(md(":gray-badge[Info] :gray[{}]\n\n:gray[{}]", text, line))


def named_metrics(findings: list[Finding]) -> list[str]:
    """The metrics the findings' by-day links name: the by-day chart draws them, so each link shows
    what it names."""
    return list(dict.fromkeys(f.metric for f in findings if f.metric and chart_anchor(f.chart) == BY_DAY))


def findings_section(findings: list[Finding], charted: Collection[str] | None = None) -> None:
    """The ranked findings, the most striking first; the rest behind "more". `charted`: the metrics the
    by-day chart can draw (a link to a metric it cannot draw is not made)."""
    st.subheader("What stands out", anchor="what-stands-out")
    if not any(f.severity != "info" for f in findings):
        st.success(
            md(
                "**Nothing stands out:** no campaign stopped converting, no spike without sign-ups, no sharp "
                "change in a rate{}",
                " (notes below)." if findings else ".",
            ),
            icon="✅",
        )
    for f in findings[:SHOWN]:
        finding_box(f, charted)
    if len(findings) > SHOWN:
        with st.expander(md("{} more", len(findings) - SHOWN)):
            for f in findings[SHOWN:]:
                finding_box(f, charted)
