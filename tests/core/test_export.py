"""Exports: the aggregates as CSV through the one writer (cells and headers defused for spreadsheets) and
the one-file offline HTML summary (a template that escapes every text)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile

import pandas as pd
import pytest

from affilka_core.analysis import metrics
from affilka_core.analysis.insights import find_insights
from affilka_core.outputs import charts
from affilka_core.outputs.csv_writer import csv_bytes, safe_headers
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


# --- the one CSV writer ---------------------------------------------------------------------------


def test_a_header_a_spreadsheet_would_run_is_renamed_in_the_zip():
    frame = steady_report()
    frame['=HYPERLINK("https://evil.example","x")'] = 1
    by_day = metrics.by_day(frame)
    header = aggregates_zip({"by_day": by_day})
    with zipfile.ZipFile(io.BytesIO(header)) as archive:
        first = archive.read("by_day.csv").decode("utf-8-sig").splitlines()[0].split(",")
    assert "extra_HYPERLINK_https_evil_example_x" in first and not any(h.startswith("=") for h in first)


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r", "＝"])
def test_every_cell_starting_as_a_formula_gets_the_apostrophe(start):
    text = csv_bytes(pd.DataFrame({"campaign": [f"{start}1+1"]})).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text.split("\r\n", 1)[1]))) == [f"'{start}1+1"]


def test_numbers_stay_numbers_negative_ones_too():
    text = csv_bytes(pd.DataFrame({"ngr": [-12.5, 3.0], "visits_count": [-1, 2]})).decode("utf-8-sig")
    assert text.splitlines()[1:] == ["-12.5,-1", "3.0,2"]


def test_a_line_break_inside_a_cell_cannot_start_a_row_of_its_own():
    text = csv_bytes(pd.DataFrame({"campaign": ["Spring\r=1+1", "x\n@SUM(1)"], "n": [1, 2]})).decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [["campaign", "n"], ["Spring\r=1+1", "1"], ["x\n@SUM(1)", "2"]]


def test_a_categorical_column_is_defused_category_by_category():
    column = pd.Categorical(["=1+1", "'=1+1", "ok", None])
    rows = list(csv.reader(io.StringIO(csv_bytes(pd.DataFrame({"c": column})).decode("utf-8-sig"))))
    assert [r[0] for r in rows[1:]] == ["'=1+1", "'=1+1", "ok", ""]


def test_two_headers_that_would_read_alike_once_renamed_stay_apart():
    assert safe_headers(["=a(b)", "+a b", "visits_count"]) == ["extra_a_b", "extra_a_b_2", "visits_count"]


# --- the HTML summary -----------------------------------------------------------------------------


def test_the_html_summary_escapes_every_text_it_is_given():
    frame = steady_report()
    page = _summary(frame, title='Casino <img src=x onerror="alert(1)">', subtitle="<b>x</b>", figures=[])
    assert "<img" not in page and "<b>x</b>" not in page
    assert "Casino &lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in page


def test_the_html_summary_masks_anything_token_like_it_is_given():
    page = _summary(steady_report(), subtitle="from token:3f2c1a9e_7b4d_4e21_9c0a_5d8e7f6a1b2c", figures=[])
    assert "3f2c1a9e_7b4d_4e21_9c0a_5d8e7f6a1b2c" not in page and "token:3f2c…1b2c" in page
