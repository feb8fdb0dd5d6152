"""Fetching from the home page, the Performance and Data pages: AppTest against demo data and the mock
Affilka over loopback (empty, multi-brand, failing)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from affilka_mock.mock_server import MockAffilka
from tests.support import APP, TOKEN

END = dt.date(2026, 4, 21)
PERFORMANCE = "pages/1_Performance.py"
DATA = "pages/2_Data.py"


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    st.cache_data.clear()


def mock(**options) -> MockAffilka:
    options.setdefault("days", 21)
    options.setdefault("campaigns", 6)
    options.setdefault("end_date", END)
    return MockAffilka(token=TOKEN, **options)


@pytest.fixture
def allowed(monkeypatch) -> Iterator[callable]:
    def allow(server: MockAffilka) -> MockAffilka:
        monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", server.host_port)
        return server

    yield allow


def home() -> AppTest:
    return AppTest.from_file(APP, default_timeout=60).run()


def click(at: AppTest, label: str) -> AppTest:
    next(b for b in at.button if b.label == label).click().run()
    assert not at.exception, at.exception
    return at


def paste_and_fetch(server: MockAffilka, url: str | None = None) -> AppTest:
    at = home()
    at.text_area(key="url_input").input(url or server.report_url()).run()
    return click(at, "Fetch report")


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [e.value for e in at.error] + [w.value for w in at.warning]
    parts += [s.value for s in at.success] + [i.value for i in at.info] + [str(m.value) for m in at.metric]
    parts += [c.value for c in at.code] + [t.value for t in at.text_area] + [str(c.value) for c in at.caption]
    return "\n".join(parts)


def step_header(at: AppTest, step: int) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("#### ") and f"Step {step} ·" in m.value)


def plotly_specs(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


# --- demo ----------------------------------------------------------------------------------------


def test_demo_loads_with_one_click_and_is_labelled_as_demo():
    at = click(home(), "Try with demo data")
    assert "Demo data loaded" in at.success[0].value
    assert "🧪 Demo data" in texts(at)
    assert at.session_state["report"].source == "demo"


def test_performance_with_demo_data_shows_kpis_and_charts():
    at = click(home(), "Try with demo data")
    at.switch_page(PERFORMANCE).run()
    assert not at.exception
    labels = {m.label: m.value for m in at.metric}
    assert {"Visits", "Registrations", "FTDs", "Deposits", "NGR", "Partner income"} <= set(labels)
    assert {"Registration rate", "FTD rate", "Qualification rate", "Avg first deposit", "EPC"} <= set(labels)
    assert labels["Partner income"].startswith("€") and labels["FTD rate"].endswith("%")
    kinds = [spec["data"][0]["type"] for spec in plotly_specs(at)]
    assert kinds == ["scatter", "bar", "heatmap", "funnel"]


def test_choosing_daily_metrics_redraws_one_panel_each():
    at = click(home(), "Try with demo data")
    at.switch_page(PERFORMANCE).run()
    at.multiselect(key="perf_daily_metrics").set_value(["visits_count", "ngr", "ftd_rate"]).run()
    assert not at.exception
    daily = plotly_specs(at)[0]
    assert [t["name"] for t in daily["data"]] == ["Visits", "NGR", "FTD rate"]
    assert {t["yaxis"] for t in daily["data"]} == {"y", "y2", "y3"}


def test_campaign_ranking_keeps_top_ten_and_other():
    at = click(home(), "Try with demo data")
    at.switch_page(PERFORMANCE).run()
    bars = plotly_specs(at)[1]["data"][0]
    assert len(bars["y"]) == 11 and bars["y"][0] == "Other"  # drawn bottom-up: "Other" last, at the bottom


def test_data_page_with_demo_data_filters_and_downloads_csv():
    at = click(home(), "Try with demo data")
    at.switch_page(DATA).run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 90 * 14
    campaign = str(table["campaign"].iloc[0])
    at.multiselect(key="data_campaigns").set_value([campaign]).run()
    assert len(at.dataframe[0].value) == 90
    download = at.get("download_button")[0]
    assert download.proto.label == "Download these rows as CSV"


def test_pages_without_a_report_explain_what_to_do():
    for page in (PERFORMANCE, DATA):
        at = home()
        at.switch_page(page).run()
        assert not at.exception
        assert "No report is loaded yet" in at.info[0].value
        click(at, "Try with demo data")
        assert at.session_state["report"].source == "demo"


# --- live ----------------------------------------------------------------------------------------


def test_fetch_from_the_home_page_joins_the_checklist(allowed):
    with allowed(mock(page_size=40)) as server:
        at = paste_and_fetch(server)
    assert "Fetched 4 pages: 126 rows" in at.success[-1].value
    text = texts(at)
    assert "Report fetched: the token works" in text
    assert "Brand filter set" in text  # one brand in the data turns step 4 to pass
    assert step_header(at, 4).startswith("#### ✅")
    assert "🟢 Live" in text
    assert TOKEN not in text


def test_live_report_reaches_performance_and_data_with_the_token_masked(allowed):
    with allowed(mock()) as server:
        at = paste_and_fetch(server)
    at.switch_page(PERFORMANCE).run()
    assert not at.exception and len(plotly_specs(at)) == 4
    assert "Live report" in texts(at)
    at.switch_page(DATA).run()
    raw = at.code[0].value
    assert '"rows"' in raw and TOKEN not in texts(at)


def test_a_second_fetch_of_the_same_url_comes_from_the_cache(allowed):
    with allowed(mock()) as server:
        at = paste_and_fetch(server)
        before = server.report_requests
        click(at, "Fetch report")
        assert server.report_requests == before
    assert at.session_state["report"] is not None


def test_date_preset_rewrites_from_and_to_and_refetches(allowed):
    with allowed(mock(end_date=dt.date.today() - dt.timedelta(days=1), days=60)) as server:
        at = home()
        at.text_area(key="url_input").input(server.report_url()).run()
        at.button_group(key="range_choice").set_value("Last 7 days").run()
        click(at, "Fetch report")
        asked = server.requests[-1]
    report = at.session_state["report"]
    assert (report.date_to - report.date_from).days == 6
    assert f"from={report.date_from}" in asked and f"to={report.date_to}" in asked
    assert len({d.date() for d in report.frame["date"]}) == 7


def test_empty_report_fails_step_5_and_performance_says_why(allowed):
    with allowed(mock(empty=True)) as server:
        at = paste_and_fetch(server)
    assert step_header(at, 5).startswith("#### ❌")
    assert "The report has no rows" in texts(at)
    at.switch_page(PERFORMANCE).run()
    assert not at.exception and "nothing to chart" in at.info[0].value


def test_multi_brand_report_warns_everywhere_and_splits_by_brand(allowed):
    with allowed(mock(brands=2)) as server:
        at = paste_and_fetch(server)
    assert step_header(at, 4).startswith("#### ❌")
    assert "2 brands mixed in one report" in texts(at)
    at.switch_page(PERFORMANCE).run()
    assert "This report mixes 2 brands" in at.error[0].value
    daily = plotly_specs(at)[0]
    assert {t["name"] for t in daily["data"]} == {"Casino Alpha", "Casino Beta"}
    at.button_group(key="perf_brand").set_value("Casino Beta").run()
    assert not at.exception
    assert "This report mixes 2 brands" in at.error[0].value  # still visible on one brand
    at.switch_page(DATA).run()
    assert "This report mixes 2 brands" in at.error[0].value


@pytest.mark.parametrize(
    ("options", "url_change", "title"),
    [
        ({}, {"token": "0" * 32}, "Token expired or invalid"),
        ({"always_status": 404}, {}, "No report at this address (404)"),
        ({"server_errors": 50}, {}, "Affilka answered with a server error"),
        ({"html_error": True}, {}, "The answer is not a JSON report"),
    ],
)
def test_fetch_failures_appear_as_failing_checks_with_their_fix(allowed, options, url_change, title):
    with allowed(mock(**options)) as server:
        url = server.report_url(**({"token": url_change["token"]} if "token" in url_change else {}))
        at = paste_and_fetch(server, url)
    assert f"Fetch failed: {title}" in at.error[0].value
    assert any(title in m.value and m.value.startswith("❌") for m in at.markdown)
    assert any("What to do" in e.value for e in at.error)
    assert at.session_state["report"] is None
    assert TOKEN not in texts(at)


def test_blocked_host_is_a_failing_check(monkeypatch):
    monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", "")
    with mock() as server:
        at = paste_and_fetch(server)
    assert "Host refused" in at.error[0].value


def test_changing_the_date_range_after_a_fetch_fetches_again(allowed):
    with allowed(mock(end_date=dt.date.today() - dt.timedelta(days=1), days=60)) as server:
        at = paste_and_fetch(server)
        assert len(at.session_state["report"].frame) == 60 * 6
        at.button_group(key="range_choice").set_value("Last 30 days").run()
    assert not at.exception
    report = at.session_state["report"]
    assert (report.date_to - report.date_from).days == 29 and len(report.frame) == 30 * 6


def test_sidebar_says_what_to_do_next():
    at = home()
    assert any("Next:" in c.value and "paste a URL" in c.value for c in at.sidebar.caption)
    click(at, "Try with demo data")
    assert any("Next:" in c.value for c in at.sidebar.caption)
