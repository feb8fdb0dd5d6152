"""Exports of what the Performance page shows: the aggregates as CSV, and a one-file HTML summary (KPIs,
findings, the charts) that opens offline, to attach to an e-mail.

Only aggregates and findings go out, never report rows; nothing here holds a token.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from affilka_core.analysis.insights import Finding
from affilka_core.analysis.metrics import Kpi
from affilka_core.outputs.formatting import format_value

# A spreadsheet runs a cell starting with one of these as a formula; report text (campaign names) and
# pasted text are prefixed with an apostrophe so it shows as written.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, made inert; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def table_csv(table: pd.DataFrame) -> bytes:
    """A table as CSV (UTF-8 with a byte-order mark, so spreadsheets read accents and symbols), text
    cells defused."""
    table = table.copy()
    for column in table.columns:
        dtype = table[column].dtype
        if pd.api.types.is_string_dtype(dtype) or isinstance(dtype, pd.CategoricalDtype):
            table[column] = table[column].astype(object).map(defuse)
    return table.to_csv(index=False).encode("utf-8-sig")


def kpi_table(kpis: Iterable[Kpi], currency: str | None = None) -> pd.DataFrame:
    """KPIs as rows: key, label, value, shown (as the page formats it)."""
    return pd.DataFrame(
        [
            {
                "key": k.key,
                "label": k.label,
                "value": k.value,
                "shown": format_value(k.value, k.kind, currency),
            }
            for k in kpis
        ],
        columns=["key", "label", "value", "shown"],
    )


def findings_table(findings: Iterable[Finding]) -> pd.DataFrame:
    """Findings as rows with the JSON shape's fields."""
    columns = ["id", "severity", "title", "detail", "campaign", "date_from", "date_to"]
    return pd.DataFrame([f.to_dict() for f in findings], columns=columns)


def aggregates_zip(tables: Mapping[str, pd.DataFrame]) -> bytes:
    """Several tables as CSV files in one zip (`by_day.csv`, `by_campaign.csv`, …)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in tables.items():
            archive.writestr(f"{name}.csv", table_csv(table))
    return buffer.getvalue()


_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;margin:2rem auto;
max-width:1100px;padding:0 1rem}h1{margin-bottom:.2rem}.muted{color:#6b7280}
.kpis{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:.6rem;margin:1rem 0}
.kpi{border:1px solid #e5e7eb;border-radius:.5rem;padding:.6rem .8rem}.kpi b{display:block;font-size:1.3rem}
.finding{border-left:4px solid #9ca3af;padding:.3rem .8rem;margin:.5rem 0}.high{border-color:#dc2626}
.medium{border-color:#d97706}.info{border-color:#2563eb}
table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.2rem .6rem;border-bottom:1px solid #e5e7eb}
"""


FILE_TEMPLATE = "plotly_white"


def summary_html(
    *,
    title: str,
    subtitle: str,
    kpis: Sequence[Kpi],
    currency: str | None,
    findings: Sequence[Finding],
    figures: Sequence[go.Figure],
    generated: dt.datetime | None = None,
    tables: Mapping[str, pd.DataFrame] | None = None,
) -> str:
    """One self-contained HTML page: title, KPI cards, findings, the charts and `tables` (titled: the
    comparison, the Offer's split, as the page shows them), with plotly.js inlined once so it opens with
    no network. Every text from the report is HTML-escaped."""
    when = (generated or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    esc = html.escape
    cards = "".join(
        f'<div class="kpi"><span class="muted">{esc(k.label)}</span>'
        f"<b>{esc(format_value(k.value, k.kind, currency))}</b></div>"
        for k in kpis
    )
    if findings:
        items = "".join(
            f'<div class="finding {esc(f.severity)}"><b>{esc(f.title)}</b> '
            f'<span class="muted">({esc(f.severity)})</span><br>{esc(f.detail)}</div>'
            for f in findings
        )
    else:
        items = '<p class="muted">Nothing stands out: traffic and rates are steady.</p>'
    charts = "".join(
        # Away from Streamlit its theme's placeholder colours mean nothing: a plain template instead.
        go.Figure(fig)
        .update_layout(template=FILE_TEMPLATE)
        .to_html(full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False})
        for i, fig in enumerate(figures)
    )
    extra = "".join(
        f"<h2>{esc(name)}</h2>" + table.to_html(index=False, escape=True, na_rep="", border=0)
        for name, table in (tables or {}).items()
    )
    return (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{esc(title)}</title><style>{_STYLE}</style></head><body>"
        f'<h1>{esc(title)}</h1><p class="muted">{esc(subtitle)}</p>'
        f'<div class="kpis">{cards}</div><h2>What stands out</h2>{items}{extra}<h2>Charts</h2>{charts}'
        f'<p class="muted">Made by Affilka URL doctor on {when:%Y-%m-%d %H:%M} UTC from aggregates only.</p>'
        "</body></html>"
    )
