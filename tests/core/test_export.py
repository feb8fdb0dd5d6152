"""Exports: the aggregates as CSV (defused for spreadsheets) and the one-file offline HTML summary."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pandas as pd

from affilka_core.analysis import metrics
from affilka_core.analysis.insights import find_insights
from affilka_core.outputs import charts
from affilka_core.outputs.exports import aggregates_zip, findings_table, kpi_table, summary_html, table_csv
from tests.core.frames import steady_report


def _summary(frame: pd.DataFrame, **overrides) -> str:
    args = dict(
        title="Casino Alpha · 2026-04-01 → 2026-04-30",
        subtitle="Live report",
        kpis=metrics.kpis(frame),
        currency="EUR",
        findings=find_insights(frame),
        figures=[charts.daily_figure(metrics.by_day(frame), ["visits_count"])],
        generated=dt.datetime(2026, 5, 1, 9, 0, tzinfo=dt.UTC),
    )
    args.update(overrides)
    return summary_html(**args)


def test_a_campaign_name_a_spreadsheet_would_run_is_defused_in_csv():
    table = pd.DataFrame({"campaign": ['=HYPERLINK("http://x")', "Spring banners"], "visits_count": [1, 2]})
    text = table_csv(table).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\nSpring banners,2" in text


def test_the_zip_holds_one_csv_per_table():
    frame = steady_report()
    data = aggregates_zip({"by_day": metrics.by_day(frame), "kpis": kpi_table(metrics.kpis(frame), "EUR")})
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert sorted(archive.namelist()) == ["by_day.csv", "kpis.csv"]
        by_day = pd.read_csv(archive.open("by_day.csv"), encoding="utf-8-sig")
    assert len(by_day) == 30 and by_day["visits_count"].sum() == frame["visits_count"].sum()


def test_the_findings_table_has_the_json_fields():
    frame = steady_report()
    frame.loc[frame["date"] == pd.Timestamp("2026-04-06"), "ngr"] = -100.0
    table = findings_table(find_insights(frame))
    assert list(table.columns) == ["id", "severity", "title", "detail", "campaign", "date_from", "date_to"]
    assert "negative_ngr" in set(table["id"])


def test_the_html_summary_opens_offline_with_plotly_inlined_once():
    page = _summary(steady_report())
    assert page.startswith("<!DOCTYPE html>") and '<script src="http' not in page
    assert page.count("Plotly.newPlot") == 1 and len(page) > 1_000_000  # plotly.js itself is inline


def test_the_html_summary_shows_kpis_and_findings():
    frame = steady_report()
    frame.loc[frame["date"] == pd.Timestamp("2026-04-06"), "ngr"] = -100.0
    page = _summary(frame)
    assert "Partner income" in page and "Negative NGR on 1 day" in page


def test_report_text_is_escaped_in_the_html_summary():
    frame = steady_report()
    frame["campaign"] = frame["campaign"].replace("Telegram VIP", "<script>alert(1)</script>")
    frame.loc[frame["campaign"] == "<script>alert(1)</script>", "partner_income"] *= 50
    page = _summary(frame, figures=[])
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_html_summary_draws_with_a_plain_template_whatever_the_default_template(monkeypatch):
    import plotly.io as pio

    # In the app the default is Streamlit's theme, whose placeholder colours only its frontend fills in.
    monkeypatch.setattr(pio.templates, "default", "plotly_dark")
    page = _summary(steady_report())
    assert '"plot_bgcolor":"white"' in page and '"plot_bgcolor":"rgb(17,17,17)"' not in page
