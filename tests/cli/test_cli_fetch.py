"""`check --fetch` and `inspect`, against the mock Affilka on loopback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import requests

from tests.support import TOKEN

SUMMARY_KEYS = {
    "rows",
    "brands",
    "campaigns",
    "date_min",
    "date_max",
    "currencies",
    "totals",
    "verdict",
    "checks",
    "insights",
}


@pytest.fixture
def saved_page(server, tmp_path: Path) -> Path:
    """A whole one-page report (6 days of 5 campaigns, 30 rows), saved as the JSON tab would save it."""
    path = tmp_path / "report.json"
    url = server.report_url(date_from="2026-04-02", date_to="2026-04-07")
    path.write_bytes(requests.get(url, timeout=10).content)
    return path


def test_inspect_of_one_saved_page_of_a_longer_report_says_the_file_is_partial(run_cli, server, tmp_path):
    path = tmp_path / "page1.json"
    path.write_bytes(requests.get(server.report_url(), timeout=10).content)
    run = run_cli("inspect", str(path), "--json")
    totals = next(c for c in run.json()["checks"] if c["id"] == "data.totals_mismatch")
    assert totals["status"] == "warn" and totals["title"] == "This file holds 1 of the report's 4 pages"


def test_check_fetch_reports_every_row_of_every_page_and_exits_0(run_cli, server):
    run = run_cli("check", server.report_url(), "--fetch", "--json")
    assert run.code == 0, run.out
    data = run.json()
    assert set(data) == {"url", "ok", "verdict", "checks", "suggested_url", "data", "insights"}
    assert data["ok"] is True
    assert data["data"]["rows"] == 20 * 5
    assert data["data"]["brands"] == ["Casino Alpha"] and data["data"]["campaigns"] == 5
    assert (data["data"]["date_min"], data["data"]["date_max"]) == ("2026-04-02", "2026-04-21")
    assert data["data"]["currencies"] == ["EUR"]
    assert data["data"]["totals"]["visits_count"] > 0
    ids = {c["id"] for c in data["checks"]}
    assert {"fetch.ok", "data.empty", "data.multi_brand", "brand.filter"} <= ids
    assert TOKEN not in run.printed


def test_check_fetch_with_a_wrong_token_reports_unauthorized(run_cli, server):
    run = run_cli("check", server.report_url(token="f" * 32), "--fetch", "--json")
    assert run.code == 1
    data = run.json()
    assert data["data"] is None
    assert [c["id"] for c in data["checks"] if c["status"] == "fail"] == ["fetch.unauthorized"]


def test_check_fetch_still_fetches_when_url_checks_fail(run_cli, server):
    run = run_cli("check", server.report_url(page=2), "--fetch", "--json")
    assert run.code == 1
    data = run.json()
    assert data["data"]["rows"] == 100  # every page, from page 1
    assert any(c["id"] == "page.first" and c["status"] == "fail" for c in data["checks"])


def test_check_fetch_human_output_shows_data_and_masks_the_token(run_cli, server):
    run = run_cli("check", server.report_url(), "--fetch")
    assert run.code == 0
    assert "Report fetched: the token works" in run.out
    assert "100 rows" in run.out and "Brands: Casino Alpha" in run.out
    assert TOKEN not in run.printed


def test_check_fetch_of_an_unreadable_url_stops_at_the_url(run_cli, server):
    run = run_cli("check", "hello there", "--fetch", "--json")
    assert run.code == 1
    data = run.json()
    assert data["data"] is None
    assert not [c for c in data["checks"] if c["id"].startswith(("fetch.", "data."))]


def test_inspect_a_saved_report_file(run_cli, saved_page):
    run = run_cli("inspect", str(saved_page), "--json")
    assert run.code == 0, run.out
    data = run.json()
    assert set(data) == SUMMARY_KEYS
    assert isinstance(data["rows"], int) and data["rows"] == 30  # the saved tab
    assert isinstance(data["brands"], list) and isinstance(data["currencies"], list)
    assert isinstance(data["campaigns"], int)
    assert {c["id"] for c in data["checks"]} >= {"data.empty", "data.columns_missing"}


def test_inspect_reads_standard_input(run_cli, saved_page):
    run = run_cli("inspect", "-", "--json", stdin=saved_page.read_bytes())
    assert run.code == 0 and run.json()["rows"] == 30


def test_inspect_a_url_fetches_every_page(run_cli, server):
    run = run_cli("inspect", server.report_url(), "--json")
    data = run.json()
    assert set(data) == SUMMARY_KEYS and data["rows"] == 100
    assert run.code == 0
    assert TOKEN not in run.printed


def test_inspect_an_html_file_says_not_json(run_cli, tmp_path: Path):
    page = tmp_path / "saved.html"
    page.write_text("<html><body>Sign in</body></html>")
    run = run_cli("inspect", str(page), "--json")
    assert run.code == 1
    data = run.json()
    assert data["rows"] == 0 and data["checks"][0]["id"] == "fetch.not_json"


def test_inspect_human_output(run_cli, saved_page):
    run = run_cli("inspect", str(saved_page))
    assert run.code == 0 and "30 rows" in run.out and run.err == ""
    assert run.out.rstrip().endswith("Ready for CasinoFlux.")


def test_inspect_a_missing_file_is_a_usage_error(run_cli):
    run = run_cli("inspect", "/no/such/report.json")
    assert run.code == 2 and "no such file" in run.err


# --- what stands out ---------------------------------------------------------------------------------

INSIGHT_KEYS = {"id", "severity", "title", "detail", "campaign", "date_from", "date_to"}


def test_check_fetch_json_lists_insights(run_cli, server):
    data = run_cli("check", server.report_url(), "--fetch", "--json").json()
    assert isinstance(data["insights"], list)
    for finding in data["insights"]:
        assert set(finding) == INSIGHT_KEYS and finding["severity"] in ("high", "medium", "info")


def test_check_fetch_json_has_no_insights_when_no_data_came_back(run_cli, server):
    data = run_cli("check", server.report_url(token="f" * 32), "--fetch", "--json").json()
    assert data["data"] is None and data["insights"] == []


def test_check_without_fetch_has_no_insights_key(run_cli, server):
    assert "insights" not in run_cli("check", server.report_url(), "--json").json()


def test_inspect_names_a_campaign_that_stopped_converting(run_cli, tmp_path: Path):
    from affilka_core.scenarios import SCENARIO_BY_KEY

    path = tmp_path / "stopped.json"
    path.write_bytes(SCENARIO_BY_KEY["stopped_converting"].build(dt.date(2026, 4, 21)))
    data = run_cli("inspect", str(path), "--json").json()
    (finding,) = [f for f in data["insights"] if f["id"] == "stopped_converting"]
    assert finding["severity"] == "high" and finding["campaign"] and finding["date_to"] == "2026-04-21"


def test_inspect_of_an_unreadable_file_has_empty_insights(run_cli, tmp_path: Path):
    path = tmp_path / "broken.json"
    path.write_bytes(b"<html>sign in</html>")
    data = run_cli("inspect", str(path), "--json").json()
    assert data["insights"] == [] and data["rows"] == 0
