"""Downloads on Performance: the aggregates shown as CSV files in one zip, and a one-file HTML summary.
Both are built only when clicked (deferred), so reruns stay cheap; both hold aggregates, never a token."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from affilka_core.analysis import metrics
from affilka_core.analysis.insights import Finding
from affilka_core.load import LoadedReport
from affilka_core.outputs.exports import aggregates_zip, findings_table, kpi_table, summary_html
from affilka_core.outputs.markdown import md


@dataclass(frozen=True, eq=False)
class PerformanceExport:
    """What Performance shows of one report (and brand): enough to build both downloads."""

    title: str
    subtitle: str
    stem: str
    by_day: pd.DataFrame
    part: pd.DataFrame
    kpis: list[metrics.Kpi]
    currency: str | None
    findings: list[Finding]
    figures: list[go.Figure] = field(default_factory=list)

    def tables(self) -> dict[str, pd.DataFrame]:
        """by_day, by_campaign (every campaign, every metric and rate), kpis, findings."""
        columns = metrics.metric_columns(self.part)
        rank_by = "visits_count" if "visits_count" in columns else next(iter(columns), "visits_count")
        return {
            "by_day": self.by_day,
            "by_campaign": metrics.by_campaign(self.part, rank_by, top=len(self.part) + 1),
            "kpis": kpi_table(self.kpis, self.currency),
            "findings": findings_table(self.findings),
        }

    def zip_bytes(self) -> bytes:
        """The aggregates as CSV files in one zip."""
        return aggregates_zip(self.tables())

    def html_bytes(self) -> bytes:
        """The one-file summary: KPIs, findings and the charts, plotly.js inlined so it opens offline."""
        page = summary_html(
            title=self.title,
            subtitle=self.subtitle,
            kpis=self.kpis,
            currency=self.currency,
            findings=self.findings,
            figures=self.figures,
        )
        return page.encode("utf-8")


def export_for(
    report: LoadedReport,
    brand: str | None,
    part: pd.DataFrame,
    by_day: pd.DataFrame,
    kpis: list[metrics.Kpi],
    currency: str | None,
    findings: list[Finding],
    figures: list[go.Figure],
) -> PerformanceExport:
    """The export of what Performance shows now."""
    span = f"{report.date_from} → {report.date_to}"
    who = report.label + (f" · {brand}" if brand else "")
    stem = f"performance-{report.date_from}-{report.date_to}" + (f"-{_slug(brand)}" if brand else "")
    return PerformanceExport(
        f"Performance · {who}",
        f"{span} · {len(part):,} rows",
        stem,
        by_day,
        part,
        kpis,
        currency,
        findings,
        figures,
    )


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40] or "brand"


def downloads(export: PerformanceExport) -> None:
    """The two download buttons; what they hold is built on click."""
    st.subheader("Download", anchor="download")
    st.caption(
        md(
            "What this page shows, for a spreadsheet or an e-mail: aggregates only (no report rows), and "
            "never the token. Made {}.",
            dt.date.today(),
        )
    )
    left, right = st.columns(2)
    left.download_button(
        "Download the figures (CSV, zip)",
        export.zip_bytes,
        file_name=f"{export.stem}.zip",
        mime="application/zip",
        on_click="ignore",
        icon="📦",
        help="by_day.csv, by_campaign.csv, kpis.csv and findings.csv",
    )
    right.download_button(
        "Download a summary (HTML)",
        export.html_bytes,
        file_name=f"{export.stem}.html",
        mime="text/html",
        on_click="ignore",
        icon="📄",
        help="One file with the KPIs, what stands out and the charts; opens offline, fit to attach to an "
        "e-mail.",
    )
