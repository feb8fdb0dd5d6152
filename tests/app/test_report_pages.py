"""Fetching on the URL check page, then the Performance and Data pages: demo data and the mock Affilka over
loopback (empty, multi-brand, failing)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from affilka_mock.mock_server import MockAffilka
from app_pages._ui.routes import DATA, PERFORMANCE
from tests.app.driver import (
    click,
    fetch_with_range,
    open_app,
    open_page,
    paste,
    paste_and_fetch,
    plotly_specs,
    report_of,
    step_header,
    texts,
)
from tests.support import TOKEN

YESTERDAY = dt.date.today() - dt.timedelta(days=1)

# --- demo ----------------------------------------------------------------------------------------


def test_demo_loads_with_one_click_and_is_labelled_as_demo(home):
    at = click(home, "Try with demo data")
    assert "Demo data loaded" in at.success[0].value
    assert "🧪 Demo data" in texts(at)
    assert report_of(at).source == "demo"


def test_performance_with_demo_data_shows_kpis(home):
    at = open_page(click(home, "Try with demo data"), PERFORMANCE)
    labels = {m.label: m.value for m in at.metric}
    assert {"Visits", "Registrations", "FTDs", "Deposits", "NGR", "Partner income"} <= set(labels)
    assert {"Registration rate", "FTD rate", "Qualification rate", "Avg first deposit", "EPC"} <= set(labels)
    assert labels["Partner income"].startswith("€") and labels["FTD rate"].endswith("%")


def test_performance_with_demo_data_draws_daily_campaign_heatmap_and_funnel_charts(home):
    at = open_page(click(home, "Try with demo data"), PERFORMANCE)
    assert [spec["data"][0]["type"] for spec in plotly_specs(at)] == ["scatter", "bar", "heatmap", "funnel"]


def test_heatmap_offers_the_metrics_worth_crossing_by_day_and_campaign(home):
    at = open_page(click(home, "Try with demo data"), PERFORMANCE)
    heat = at.selectbox(key="perf_heat_metric")
    assert heat.value == "first_deposits_count"
    assert {"Registration rate", "FTD rate", "Visits", "NGR"} <= set(heat.options)
    assert "Deposits sum" not in heat.options and "EPC" not in heat.options


def test_choosing_daily_metrics_redraws_one_panel_each(home):
    at = open_page(click(home, "Try with demo data"), PERFORMANCE)
    at.multiselect(key="perf_daily_metrics").set_value(["visits_count", "ngr", "ftd_rate"]).run()
    assert not at.exception
    daily = plotly_specs(at)[0]
    assert [t["name"] for t in daily["data"]] == ["Visits", "NGR", "FTD rate"]
    assert {t["yaxis"] for t in daily["data"]} == {"y", "y2", "y3"}


def test_campaign_ranking_keeps_top_ten_and_other(home):
    at = open_page(click(home, "Try with demo data"), PERFORMANCE)
    bars = plotly_specs(at)[1]["data"][0]
    assert len(bars["y"]) == 11 and bars["y"][0] == "Other"  # drawn bottom-up: "Other" last, at the bottom


def test_data_page_with_demo_data_filters_by_campaign(home):
    at = open_page(click(home, "Try with demo data"), DATA)
    table = at.dataframe[0].value
    assert len(table) == 90 * 14
    campaign = str(table["campaign"].iloc[0])
    at.multiselect(key="data_campaigns").set_value([campaign]).run()
    assert len(at.dataframe[0].value) == 90
    assert at.get("download_button")[0].proto.label == "Download these rows as CSV"


def test_data_page_shows_money_in_the_report_currency_and_counts_as_plain_numbers(home):
    at = open_page(click(home, "Try with demo data"), DATA)
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["partner_income"]["type_config"]["format"] == "euro"  # the demo report is in EUR
    assert columns["visits_count"]["type_config"]["format"] == "localized"


@pytest.mark.parametrize("page", [PERFORMANCE, DATA])
def test_pages_without_a_report_explain_what_to_do(home, page):
    at = open_page(home, page)
    assert "No report is loaded yet" in at.info[0].value
    click(at, "Try with demo data")
    assert report_of(at).source == "demo"


# --- live ----------------------------------------------------------------------------------------


def test_fetch_on_the_url_check_page_joins_the_checklist(home, mock):
    with mock(page_size=40) as server:
        at = paste_and_fetch(home, server.report_url())
    assert any("Fetched 4 pages: 126 rows" in s.value for s in at.success)
    text = texts(at)
    assert "Report fetched: the token works" in text
    assert "Brand filter set" in text  # one brand in the data turns step 4 to pass
    assert step_header(at, 4).startswith("#### ✅")
    assert "🟢 Live" in text
    assert TOKEN not in text


def test_live_report_reaches_performance_with_the_token_masked(home, mock):
    with mock() as server:
        at = open_page(paste_and_fetch(home, server.report_url()), PERFORMANCE)
    assert len(plotly_specs(at)) == 4
    assert "Live report" in texts(at) and TOKEN not in texts(at)


def test_live_report_reaches_data_with_its_raw_json_masked(home, mock):
    with mock() as server:
        at = open_page(paste_and_fetch(home, server.report_url()), DATA)
    raw = at.code[0].value
    assert '"rows"' in raw and TOKEN not in texts(at)


def test_date_preset_rewrites_from_and_to_and_refetches(home, mock):
    with mock(end_date=YESTERDAY, days=60) as server:
        at = fetch_with_range(paste(home, server.report_url()), "Last 7 days")
        asked = server.requests[-1]
    report = report_of(at)
    assert (report.date_to - report.date_from).days == 6
    assert f"from={report.date_from}" in asked and f"to={report.date_to}" in asked
    assert len({d.date() for d in report.frame["date"]}) == 7


def test_picking_a_range_fetches_nothing_until_fetch_is_clicked(home, mock):
    with mock(end_date=YESTERDAY, days=60) as server:
        at = paste_and_fetch(home, server.report_url())
        asked = server.report_requests
        at.button_group(key="range_choice").set_value("Last 30 days").run()
        at.date_input(key="range_custom").set_value((YESTERDAY - dt.timedelta(days=3), YESTERDAY)).run()
        assert server.report_requests == asked
    assert len(report_of(at).frame) == 60 * 6  # still the report that was fetched


def test_a_custom_range_costs_exactly_one_request(home, mock):
    start = YESTERDAY - dt.timedelta(days=9)
    with mock(end_date=YESTERDAY, days=60, page_size=1000) as server:
        at = paste_and_fetch(home, server.report_url())
        asked = server.report_requests
        # Custom, the first date, then the second: a form sends nothing until Fetch is clicked.
        at.button_group(key="range_choice").set_value("Custom")
        at.date_input(key="range_custom").set_value((start,))
        at = fetch_with_range(at, "Custom", (start, YESTERDAY))
        assert server.report_requests == asked + 1
    report = report_of(at)
    assert (report.date_from, report.date_to) == (start, YESTERDAY) and len(report.frame) == 10 * 6


def test_changing_the_date_range_after_a_fetch_fetches_again(home, mock):
    with mock(end_date=YESTERDAY, days=60) as server:
        at = paste_and_fetch(home, server.report_url())
        assert len(report_of(at).frame) == 60 * 6
        at = fetch_with_range(at, "Last 30 days")
    assert not at.exception
    report = report_of(at)
    assert (report.date_to - report.date_from).days == 29 and len(report.frame) == 30 * 6


def test_empty_report_fails_step_5_and_performance_says_why(home, mock):
    with mock(empty=True) as server:
        at = paste_and_fetch(home, server.report_url())
    assert step_header(at, 5).startswith("#### ❌")
    assert "The report has no rows" in texts(at)
    assert "nothing to chart" in open_page(at, PERFORMANCE).info[0].value


def test_multi_brand_report_fails_step_4(home, mock):
    with mock(brands=2) as server:
        at = paste_and_fetch(home, server.report_url())
    assert step_header(at, 4).startswith("#### ❌")
    assert "2 brands mixed in one report" in texts(at)


def test_multi_brand_report_is_split_by_brand_and_warned_about_on_every_data_page(home, mock):
    with mock(brands=2) as server:
        at = open_page(paste_and_fetch(home, server.report_url()), PERFORMANCE)
    assert "This report mixes 2 brands" in at.error[0].value
    assert {t["name"] for t in plotly_specs(at)[0]["data"]} == {"Casino Alpha", "Casino Beta"}
    at.button_group(key="perf_brand").set_value("Casino Beta").run()
    assert not at.exception
    assert "This report mixes 2 brands" in at.error[0].value  # still visible on one brand
    assert "This report mixes 2 brands" in open_page(at, DATA).error[0].value


@pytest.mark.parametrize(
    ("options", "token", "title"),
    [
        ({}, "0" * 32, "Token expired or invalid"),
        ({"always_status": 404}, None, "No report at this address (404)"),
        ({"html_error": True}, None, "The answer is not a JSON report"),
    ],
)
def test_fetch_failures_appear_as_failing_checks_with_their_fix(home, mock, options, token, title):
    with mock(**options) as server:
        at = paste_and_fetch(home, server.report_url(**({"token": token} if token else {})))
    assert f"Fetch failed: {title}" in at.error[0].value
    assert any(title in m.value and m.value.startswith("❌") for m in at.markdown)
    assert any("What to do" in e.value for e in at.error)
    assert report_of(at) is None
    assert TOKEN not in texts(at)


def test_a_server_error_is_could_not_verify_now_with_no_step_to_fix(home, mock):
    with mock(server_errors=50, server_error_retry_after=0) as server:
        at = paste_and_fetch(home, server.report_url())
    banner = next(
        w.value for w in at.warning if "Could not verify now: Affilka answered with a server error" in w.value
    )
    assert "See step" not in banner and "Fetch again" in banner
    assert not [e for e in at.error if "server error" in e.value]
    assert any(m.value.startswith("#### ⏳ Step 7") for m in at.markdown)
    assert any(m.value.startswith("⏳ **Affilka answered with a server error**") for m in at.markdown)
    assert report_of(at) is None


def test_blocked_host_is_a_failing_check(monkeypatch):
    monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", "")
    with MockAffilka(token=TOKEN, days=5, campaigns=2) as server:
        at = paste_and_fetch(open_app(), server.report_url())
    assert "Host refused" in at.error[0].value


# --- the sidebar ---------------------------------------------------------------------------------


def test_sidebar_says_what_to_do_next_before_anything_is_loaded(home):
    assert any("Next:" in c.value and "paste a URL" in c.value for c in home.sidebar.caption)


def test_sidebar_names_the_loaded_report_and_the_next_step(home):
    at = click(home, "Try with demo data")
    assert any("🧪 Demo data" in m.value for m in at.sidebar.markdown)
    assert any("Next:" in c.value for c in at.sidebar.caption)


def test_sidebar_context_stays_on_every_page(home):
    at = open_page(click(home, "Try with demo data"), DATA)
    assert any("🧪 Demo data" in m.value for m in at.sidebar.markdown)
