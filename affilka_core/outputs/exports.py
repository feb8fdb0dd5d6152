"""Exports of what the Performance page shows: the aggregates as CSV, and a one-file HTML summary (KPIs,
findings, the charts) that opens offline, to attach to an e-mail.

Only aggregates and findings go out, never report rows; nothing here holds a token.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from functools import cache

import jinja2
import pandas as pd
import plotly.graph_objects as go
from markupsafe import Markup

from affilka_core.analysis.insights import Finding
from affilka_core.analysis.metrics import Kpi
from affilka_core.outputs.csv_writer import csv_bytes
from affilka_core.outputs.formatting import format_value
from affilka_core.url.masking import mask_url


def table_csv(table: pd.DataFrame) -> bytes:
    """A table as CSV through the one writer (`csv_writer.csv_bytes`): cells and headers defused."""
    return csv_bytes(table)


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


# Every `{{ }}` is HTML-escaped (autoescape) and anything token-like in it masked (`finalize`); only
# the style sheet and the charts plotly draws are marked safe, and plotly writes its JSON with `<`
# escaped.
_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{{ title }}</title><style>{{ style }}</style></head><body>
<h1>{{ title }}</h1><p class="muted">{{ subtitle }}</p>
<div class="kpis">
{%- for label, shown in kpis %}<div class="kpi"><span class="muted">{{ label }}</span><b>{{ shown }}</b></div>
{%- endfor %}</div>
<h2>What stands out</h2>
{%- for f in findings %}
<div class="finding {{ f.severity }}"><b>{{ f.title }}</b> <span class="muted">({{ f.severity }})</span><br>
{{- f.detail }}</div>
{%- else %}
<p class="muted">Nothing stands out: traffic and rates are steady.</p>
{%- endfor %}
{%- for name, headers, rows in tables %}
<h2>{{ name }}</h2><table><tr>{% for h in headers %}<th>{{ h }}</th>{% endfor %}</tr>
{%- for row in rows %}<tr>{% for cell in row %}<td>{{ cell }}</td>{% endfor %}</tr>{% endfor %}</table>
{%- endfor %}
<h2>Charts</h2>{{ charts }}
<p class="muted">Made by Affilka URL doctor on {{ when }} UTC from aggregates only.</p>
</body></html>
"""


def _cell(value: object) -> str:
    """A table's cell as the summary shows it: nothing when missing, numbers with thousands separators
    and no trailing zeros."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:,.6f}".rstrip("0").rstrip(".")
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _masked(value: object) -> object:
    return mask_url(value) if isinstance(value, str) and not isinstance(value, Markup) else value


@cache
def _page() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, finalize=_masked, undefined=jinja2.StrictUndefined)
    return env.from_string(_PAGE)


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
    """One self-contained HTML page: title, KPI cards, findings, `tables` (titled: the comparison, the
    Offer's split, as the page shows them) and the charts, with plotly.js inlined once so it opens with no
    network. Built from a template that escapes every text it is given."""
    when = (generated or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    charts = "".join(
        # Away from Streamlit its theme's placeholder colours mean nothing: a plain template instead.
        go.Figure(fig)
        .update_layout(template=FILE_TEMPLATE)
        .to_html(full_html=False, include_plotlyjs=(i == 0), config={"displaylogo": False})
        for i, fig in enumerate(figures)
    )
    return _page().render(
        title=title,
        subtitle=subtitle,
        style=Markup(_STYLE),
        kpis=[(k.label, format_value(k.value, k.kind, currency)) for k in kpis],
        findings=findings,
        tables=[
            (
                name,
                [str(c) for c in table.columns],
                [[_cell(v) for v in row] for row in table.itertuples(False)],
            )
            for name, table in (tables or {}).items()
        ],
        charts=Markup(charts),
        when=f"{when:%Y-%m-%d %H:%M}",
    )
