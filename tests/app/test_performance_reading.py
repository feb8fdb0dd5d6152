"""Performance read for the person: what stands out first, this period against the last (the previous
period fetched from the mock Affilka over loopback, or generated for demo data), the Offer's campaigns and
the downloads."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest

from affilka_core.analysis import metrics
from affilka_core.analysis.compare import campaign_movers
from affilka_core.analysis.insights import find_insights
from affilka_core.analysis.offer import split_offer
from affilka_core.dates import previous_period
from affilka_core.outputs import charts
from affilka_core.outputs.exports import aggregates_zip, findings_table, table_csv
from affilka_core.outputs.formatting import format_value
from affilka_core.outputs.tables import kpi_rows, tidy
from app_pages._ui.exports import export_for
from app_pages._ui.routes import PERFORMANCE, URL_CHECK
from tests.app.conftest import END
from tests.app.driver import checked, click, loaded, open_page, paste_and_fetch, plotly_specs, report_of
from tests.support import TOKEN

REPORT_FROM, REPORT_TO = dt.date(2026, 4, 12), END  # 10 days; the previous period is 04-02 → 04-11


def demo_performance(home):
    return open_page(click(home, "Try with demo data"), PERFORMANCE)


def live_performance(home, server):
    """Performance for the mock's report of REPORT_FROM → REPORT_TO, pasted and fetched."""
    url = server.report_url(date_from=REPORT_FROM, date_to=REPORT_TO)
    return open_page(paste_and_fetch(home, url), PERFORMANCE)


def compare_on(at):
    return checked(at.toggle(key="perf_compare").set_value(True).run())


def scenario_performance(home, key: str):
    at = checked(home.selectbox(key="scenario_pick").select(key).run())
    return open_page(at, PERFORMANCE)


# --- what stands out ------------------------------------------------------------------------------


def test_what_stands_out_comes_before_the_headline_figures_and_charts(home):
    at = demo_performance(home)
    assert [s.value for s in at.subheader][:3] == ["What stands out", "Headline figures", "By day"]


def test_a_campaign_that_stopped_converting_is_named_in_red_with_its_dates_and_chart(home):
    at = scenario_performance(home, "stopped_converting")
    first = at.error[0].value  # high findings are red boxes, the first one the most striking
    report = report_of(at)
    stopped_from = report.date_to - dt.timedelta(days=8)  # the scenario stops its FTDs for 9 days
    assert "stopped converting" in first
    assert f"{stopped_from} → {report.date_to}" in first
    assert "(#by-campaign)" in first  # links to the campaign × day heatmap
    finding = find_insights(report.frame)[0]
    assert finding.severity == "high" and finding.campaign in first.replace("\\", "")


def test_the_campaign_a_finding_sends_you_to_find_on_the_heatmap_is_on_it_however_small(home):
    at = scenario_performance(home, "stopped_converting")
    (finding,) = [f for f in find_insights(report_of(at).frame) if f.id == "stopped_converting"]
    (heatmap,) = [t for spec in plotly_specs(at) for t in spec["data"] if t["type"] == "heatmap"]
    assert finding.campaign in heatmap["y"] and len(heatmap["y"]) == 11  # the 10 largest, then it
    assert any(f"then {finding.campaign} (named in What stands out)" in c.value for c in at.caption)


def test_a_steady_report_says_nothing_stands_out(home):
    at = scenario_performance(home, "healthy")
    assert any(s.value.startswith("**Nothing stands out:**") for s in at.success)
    assert not [e for e in at.error if "stopped converting" in e.value]


# --- this period against the last -----------------------------------------------------------------


def test_comparing_a_live_report_fetches_the_previous_period_through_the_same_url(home, mock):
    with mock(days=60) as server:
        before = len(server.requests)
        at = compare_on(live_performance(home, server))
        asked = server.requests[before:]
    fetched_now = [path for path in asked if "from=2026-04-12&to=2026-04-21" in path]
    previous = [path for path in asked if "from=2026-04-02&to=2026-04-11" in path]
    assert fetched_now and previous and len(previous) + len(fetched_now) == len(asked)
    assert any(path.endswith("&page=1") for path in previous)
    kept = loaded(at).previous
    assert (kept.report.date_from, kept.report.date_to) == previous_period(REPORT_FROM, REPORT_TO)


def test_a_previous_period_without_rows_says_so_instead_of_showing_every_campaign_as_a_gainer(home, mock):
    with mock(days=10) as server:  # the mock's data starts on REPORT_FROM: nothing before it
        at = compare_on(live_performance(home, server))
    assert any("has no rows" in i.value and "nothing to compare with" in i.value for i in at.info)
    assert not any("gained most" in m.value for m in at.markdown)
    assert not [d for d in at.dataframe if "previous" in " ".join(map(str, d.value.columns)).lower()]


def test_the_previous_period_is_fetched_once_not_on_every_rerun(home, mock):
    with mock(days=60) as server:
        at = compare_on(live_performance(home, server))
        asked = server.report_requests
        at.selectbox(key="perf_compare_metric").select("visits_count").run()
        assert server.report_requests == asked


def test_a_failed_previous_period_says_so_and_the_page_stays_up(home, mock):
    with mock(days=60) as server:
        at = open_page(
            paste_and_fetch(home, server.report_url(date_from=REPORT_FROM, date_to=REPORT_TO)), PERFORMANCE
        )
    at = compare_on(at)  # the server is closed now: the previous period cannot be fetched
    assert any("previous period (2026-04-02 → 2026-04-11) could not be fetched" in e.value for e in at.error)
    assert loaded(at).previous.report is None and loaded(at).previous.failed_fetch is not None


def test_comparing_demo_data_generates_the_period_before_it(home):
    at = compare_on(demo_performance(home))
    report, kept = report_of(at), loaded(at).previous
    assert kept.report.source == "demo"
    assert kept.report.date_to == report.date_from - dt.timedelta(days=1)
    assert (kept.report.date_to - kept.report.date_from) == (report.date_to - report.date_from)


def test_comparison_shows_kpi_deltas_absolute_and_percent(home):
    at = compare_on(demo_performance(home))
    deltas = {m.label: m.proto.delta for m in at.metric if m.proto.delta}
    assert {"Visits", "FTDs", "Partner income", "FTD rate"} <= set(deltas)
    assert deltas["Visits"][0] in "+-" and deltas["Visits"].endswith("%)")
    assert deltas["FTD rate"].split()[1] == "pp"  # a rate moves in percentage points


def test_comparison_overlays_this_period_and_the_last_day_by_day(home):
    at = compare_on(demo_performance(home))
    overlay = next(
        s for s in plotly_specs(at) if "against the last" in s["layout"].get("title", {}).get("text", "")
    )
    assert [t["name"] for t in overlay["data"]] == ["Previous period", "This period"]
    assert len(overlay["data"][1]["x"]) == 90


def test_comparison_lists_the_campaigns_that_moved_most_by_income_and_ftds(home):
    at = compare_on(demo_performance(home))
    headings = [m.value for m in at.markdown if m.value.startswith("**Campaigns that")]
    assert headings == [
        "**Campaigns that gained most partner income**",
        "**Campaigns that lost most partner income**",
        "**Campaigns that gained most FTDs**",
        "**Campaigns that lost most FTDs**",
    ]
    report, kept = report_of(at), loaded(at).previous
    gainers, _ = campaign_movers(report.frame, kept.report.frame, "partner_income")
    shown = [d.value for d in at.dataframe if "change" in d.value.columns]
    assert shown[0]["campaign"].tolist() == gainers["campaign"].tolist()


def test_loading_another_report_drops_the_previous_period(home):
    at = compare_on(demo_performance(home))
    assert loaded(at).previous is not None
    at = click(open_page(at, URL_CHECK), "Try with demo data")
    assert loaded(at).previous is None


# --- the Offer's campaigns ------------------------------------------------------------------------


def test_offer_table_lists_every_campaign_with_its_share_of_visits(home):
    at = demo_performance(home)
    table = next(d.value for d in at.dataframe if "visit_share" in d.value.columns)
    assert {"campaign_id", "campaign", "visit_share", "first_deposits_count", "partner_income"} <= set(table)
    assert table["visit_share"].sum() == pytest.approx(1.0)


def test_picking_the_offers_campaign_shows_what_casinoflux_attributes_and_warns_of_inflation(home):
    at = demo_performance(home)
    frame = report_of(at).frame
    campaign_id = str(frame["campaign_id"].iloc[0])
    at = checked(at.multiselect(key="perf_offer_campaigns").set_value([campaign_id]).run())
    split = split_offer(frame, [campaign_id])
    visits = [m.value for m in at.metric if m.label == "Visits"]
    assert format_value(int(split.offer["visits_count"].sum()), "count", compact_form=True) in visits
    assert format_value(int(split.others["visits_count"].sum()), "count", compact_form=True) in visits
    assert split.inflation_warning and [w.value for w in at.warning if w.value == split.inflation_warning]


def test_picking_every_campaign_leaves_nothing_to_other_deals_and_no_warning(home):
    at = demo_performance(home)
    picker = at.multiselect(key="perf_offer_campaigns")
    all_ids = sorted({str(i) for i in report_of(at).frame["campaign_id"]})
    at = checked(picker.set_value(all_ids).run())
    assert not [w for w in at.warning if "Other deals bring" in w.value]
    assert any("Other deals bring little" in s.value for s in at.success)


# --- downloads ------------------------------------------------------------------------------------


def test_performance_offers_the_figures_and_a_summary_to_download(home):
    at = demo_performance(home)
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    assert {"Download the figures (CSV, zip)", "Download a summary (HTML)"} <= set(buttons)
    assert all(b.deferred_file_id for b in buttons.values())  # built on click, not on every rerun


def live_export(home, mock):
    """The export Performance offers for a live report, and the tables it is made of."""
    with mock(days=60) as server:
        at = live_performance(home, server)
    report = report_of(at)
    daily = metrics.by_day(report.frame, span=(report.date_from, report.date_to))
    kpis = metrics.kpis(report.frame)
    findings = find_insights(report.frame)
    export = export_for(report, None, report.frame, daily, kpis, "EUR", findings, [])
    return daily, kpis, findings, export


def test_the_zip_holds_by_day_by_campaign_kpis_and_findings_as_the_core_writes_them(home, mock):
    daily, kpis, findings, export = live_export(home, mock)
    archive = zipfile.ZipFile(io.BytesIO(export.zip_bytes()))
    assert archive.namelist() == ["by_day.csv", "by_campaign.csv", "kpis.csv", "findings.csv"]
    # Money to cents with its currency, counts whole: the figures as the page reads them.
    assert archive.read("by_day.csv") == table_csv(tidy(daily, "EUR"))
    assert archive.read("kpis.csv") == table_csv(kpi_rows(kpis, "EUR"))
    assert archive.read("findings.csv") == table_csv(findings_table(findings))
    core = zipfile.ZipFile(io.BytesIO(aggregates_zip(export.tables())))
    assert all(archive.read(name) == core.read(name) for name in core.namelist())


def test_no_export_holds_the_token(home, mock):
    *_, export = live_export(home, mock)
    blob = export.zip_bytes()
    for member in zipfile.ZipFile(io.BytesIO(blob)).namelist():
        assert TOKEN.encode() not in zipfile.ZipFile(io.BytesIO(blob)).read(member)
    page = export.html_bytes()
    assert TOKEN.encode() not in page and b"<h2>What stands out</h2>" in page


def test_the_summary_holds_the_kpis_and_charts_and_opens_offline(home):
    at = demo_performance(home)
    report = report_of(at)
    kpis = metrics.kpis(report.frame)
    funnel = charts.funnel_figure(metrics.funnel(report.frame))
    export = export_for(report, None, report.frame, metrics.by_day(report.frame), kpis, "EUR", [], [funnel])
    page = export.html_bytes().decode()
    assert all(k.label in page for k in kpis) and "Plotly.newPlot" in page
    assert 'src="http' not in page  # plotly.js is inlined: nothing to fetch when it opens
