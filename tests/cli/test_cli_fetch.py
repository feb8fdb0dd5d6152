"""`check --fetch` and `inspect`, in a subprocess, against the mock Affilka on loopback."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from affilka_mock.mock_server import MockAffilka
from tests.support import TOKEN

END = dt.date(2026, 4, 21)
SUMMARY_KEYS = {"rows", "brands", "campaigns", "date_min", "date_max", "currencies", "totals", "checks"}


@pytest.fixture(scope="module")
def server() -> Iterator[MockAffilka]:
    with MockAffilka(token=TOKEN, days=20, brands=1, campaigns=5, page_size=30, end_date=END) as mock:
        yield mock


def run(
    server: MockAffilka | None, *args: str, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AFFILKA_ALLOW_PRIVATE_HOSTS": server.host_port if server else ""}
    proc = subprocess.run(
        [sys.executable, "-m", "affilka_core", *args],
        capture_output=True,
        timeout=120,
        env=env,
        input=stdin,
    )
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def test_check_fetch_reports_every_row_of_every_page_and_exits_0(server):
    proc = run(server, "check", server.report_url(), "--fetch", "--json")
    assert proc.returncode == 0, proc.stdout
    data = json.loads(proc.stdout)
    assert {"url", "ok", "checks", "suggested_url", "data"} <= set(data)
    assert data["ok"] is True
    assert data["data"]["rows"] == 20 * 5
    assert data["data"]["brands"] == ["Casino Alpha"] and data["data"]["campaigns"] == 5
    assert (data["data"]["date_min"], data["data"]["date_max"]) == ("2026-04-02", "2026-04-21")
    assert data["data"]["currencies"] == ["EUR"]
    assert data["data"]["totals"]["visits_count"] > 0
    ids = {c["id"] for c in data["checks"]}
    assert {"fetch.ok", "data.empty", "data.multi_brand", "brand.filter"} <= ids
    assert TOKEN not in proc.stdout + proc.stderr


def test_check_fetch_with_a_wrong_token_reports_unauthorized(server):
    proc = run(server, "check", server.report_url(token="f" * 32), "--fetch", "--json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["data"] is None
    failing = [c for c in data["checks"] if c["status"] == "fail"]
    assert [c["id"] for c in failing] == ["fetch.unauthorized"]


def test_check_fetch_still_fetches_when_url_checks_fail(server):
    proc = run(server, "check", server.report_url(page=2), "--fetch", "--json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["data"]["rows"] == 100  # every page, from page 1
    assert any(c["id"] == "page.first" and c["status"] == "fail" for c in data["checks"])


def test_check_fetch_human_output_shows_data_and_masks_the_token(server):
    proc = run(server, "check", server.report_url(), "--fetch")
    assert proc.returncode == 0
    assert "Report fetched: the token works" in proc.stdout
    assert "100 rows" in proc.stdout and "Brands: Casino Alpha" in proc.stdout
    assert TOKEN not in proc.stdout + proc.stderr


def test_check_fetch_of_an_unreadable_url_stops_at_the_url(server):
    proc = run(server, "check", "hello there", "--fetch", "--json")
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["data"] is None


def test_inspect_a_saved_report_file(server, tmp_path: Path):
    saved = tmp_path / "report.json"
    saved.write_bytes(requests.get(server.report_url(), timeout=10).content)
    proc = run(None, "inspect", str(saved), "--json")
    assert proc.returncode == 0, proc.stdout
    data = json.loads(proc.stdout)
    assert set(data) == SUMMARY_KEYS
    assert isinstance(data["rows"], int) and data["rows"] == 30  # one page of the saved tab
    assert isinstance(data["brands"], list) and isinstance(data["currencies"], list)
    assert isinstance(data["campaigns"], int)
    assert {c["id"] for c in data["checks"]} >= {"data.empty", "data.columns_missing"}


def test_inspect_reads_standard_input(server):
    body = requests.get(server.report_url(), timeout=10).content
    proc = run(None, "inspect", "-", "--json", stdin=body)
    assert proc.returncode == 0 and json.loads(proc.stdout)["rows"] == 30


def test_inspect_a_url_fetches_every_page(server):
    proc = run(server, "inspect", server.report_url(), "--json")
    data = json.loads(proc.stdout)
    assert set(data) == SUMMARY_KEYS and data["rows"] == 100
    assert proc.returncode == 0
    assert TOKEN not in proc.stdout + proc.stderr


def test_inspect_an_html_file_says_not_json(tmp_path: Path):
    page = tmp_path / "saved.html"
    page.write_text("<html><body>Sign in</body></html>")
    proc = run(None, "inspect", str(page), "--json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert data["rows"] == 0 and data["checks"][0]["id"] == "fetch.not_json"


def test_inspect_human_output(server, tmp_path: Path):
    saved = tmp_path / "report.json"
    saved.write_bytes(requests.get(server.report_url(), timeout=10).content)
    proc = run(None, "inspect", str(saved))
    assert proc.returncode == 0 and "30 rows" in proc.stdout and "Traceback" not in proc.stderr


def test_inspect_a_missing_file_is_a_usage_error():
    proc = run(None, "inspect", "/no/such/report.json")
    assert proc.returncode == 2 and "no such file" in proc.stderr and "Traceback" not in proc.stderr
