"""One problem, one fix: after `check --fetch`, a data or fetch check that sees again what a URL check
already fails on confirms it instead of asking for a second fix, and the verdict counts one thing to fix.
Every check id stays in the JSON, failing. Also: a saved file cut short is a file to save again (fix, exit
1), not a download to retry; a host paused by a long Retry-After is not asked again, and that is said."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest

from affilka_core.cli import EXIT_FAIL, EXIT_RETRY
from affilka_core.demo import demo_report
from affilka_core.fetch.pacing import Pacer
from affilka_core.guide import REQUIRED_COLUMNS
from affilka_mock.mock_server import MockAffilka
from tests.support import TOKEN, fast_settings

END = dt.date(2026, 4, 21)


@pytest.fixture
def affilka(request, monkeypatch: pytest.MonkeyPatch) -> Iterator[MockAffilka]:
    """A mock Affilka with the options the test is parametrised with, which the fetcher may reach."""
    options = {"days": 7, "brands": 1, "campaigns": 3, "end_date": END, **request.param}
    with MockAffilka(token=TOKEN, **options) as mock:
        monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", mock.host_port)
        yield mock


def check_of(data: dict, check_id: str) -> dict:
    (found,) = [c for c in data["checks"] if c["id"] == check_id]
    return found


def failing(data: dict) -> set[str]:
    return {c["id"] for c in data["checks"] if c["status"] == "fail"}


@pytest.mark.parametrize("affilka", [{"brands": 3}], indirect=True)
def test_several_brands_are_one_thing_to_fix(run_cli, affilka):
    url = affilka.report_url()
    data = run_cli("check", url, "--fetch", "--json").json()
    assert failing(data) == {"brand.filter", "data.multi_brand"}
    brand, mixed = check_of(data, "brand.filter"), check_of(data, "data.multi_brand")
    assert "select the one brand" in brand["fix"]
    assert mixed["fix"] == "" and "one fix for both" in mixed["detail"]
    run = run_cli("check", url, "--fetch")
    assert run.code == EXIT_FAIL and "❌ Not usable yet: 1 to fix" in run.out


@pytest.mark.parametrize("affilka", [{"drop_columns": ("ngr", "partner_income")}], indirect=True)
def test_columns_missing_from_the_url_and_the_rows_are_one_thing_to_fix(run_cli, affilka):
    asked = [c for c in REQUIRED_COLUMNS if c not in ("ngr", "partner_income")]
    url = affilka.report_url(columns=asked)
    data = run_cli("check", url, "--fetch", "--json").json()
    assert failing(data) == {"columns.required", "data.columns_missing"}
    absent = check_of(data, "data.columns_missing")
    assert absent["fix"] == "" and "the URL does not ask for them" in absent["detail"]
    assert "❌ Not usable yet: 1 to fix" in run_cli("check", url, "--fetch").out


@pytest.mark.parametrize("affilka", [{"drop_columns": ("ngr", "partner_income")}], indirect=True)
def test_a_column_asked_for_that_the_rows_still_lack_is_a_second_fix_of_its_own(run_cli, affilka):
    url = affilka.report_url(columns=[c for c in REQUIRED_COLUMNS if c != "partner_income"])
    data = run_cli("check", url, "--fetch", "--json").json()
    absent = check_of(data, "data.columns_missing")
    assert absent["status"] == "fail"
    assert absent["fix"].startswith("Ask your Affiliate Manager to enable ngr on your account")
    assert "partner_income" not in absent["fix"]
    assert "❌ Not usable yet: 2 to fix" in run_cli("check", url, "--fetch").out


def test_a_saved_file_cut_short_is_fix_with_save_again_not_retry(run_cli, tmp_path):
    body = demo_report(5)
    saved = tmp_path / "report.json"
    saved.write_bytes(body[: len(body) // 2])
    run = run_cli("inspect", str(saved), "--json")
    data = run.json()
    assert (run.code, data["verdict"]) == (EXIT_FAIL, "fix")
    (check,) = data["checks"]
    assert check["title"] == "The saved file ends mid-way" and "ends mid-way" in check["detail"]
    assert check["fix"].startswith("Save the JSON tab again (Ctrl+S") and "fetch again" not in check["fix"]


@pytest.mark.parametrize("affilka", [{"truncate_json": True}], indirect=True)
def test_a_download_cut_off_stays_retry(run_cli, affilka):
    run = run_cli(
        "check", affilka.report_url(), "--fetch", "--json", settings=fast_settings(affilka.host_port)
    )
    assert (run.code, run.json()["verdict"]) == (EXIT_RETRY, "retry")


@pytest.mark.parametrize("affilka", [{"rate_limit": 1, "retry_after": 60}], indirect=True)
def test_after_a_long_retry_after_the_host_is_not_asked_again_and_that_is_said(run_cli, affilka):
    settings = fast_settings(affilka.host_port, pacer=Pacer())
    first = run_cli("check", affilka.report_url(), "--fetch", "--json", settings=settings)
    assert first.code == EXIT_RETRY and affilka.report_requests == 1
    again = run_cli("check", affilka.report_url(), "--fetch", "--json", settings=settings)
    assert again.code == EXIT_RETRY and affilka.report_requests == 1  # nothing sent
    limited = check_of(again.json(), "fetch.rate_limited")
    assert re.match(r"Not asked again: at \d\d:\d\d UTC Affilka asked to wait 60 s", limited["detail"])
    assert re.search(r"try again after \d\d:\d\d UTC\.$", limited["fix"])


@pytest.mark.parametrize(
    "affilka",
    [{"html_error": True}, {"always_status": 404}, {"redirect_to": "https://other.example/report.json"}],
    ids=["html-answer", "not-found", "redirect-elsewhere"],
    indirect=True,
)
def test_each_fetch_failure_fix_says_each_instruction_once(run_cli, affilka):
    settings = fast_settings(affilka.host_port, retries=0)
    data = run_cli("check", affilka.report_url(), "--fetch", "--json", settings=settings).json()
    (failed,) = [c for c in data["checks"] if c["id"].startswith("fetch.") and c["status"] == "fail"]
    assert failed["fix"].count("Export report → JSON") == 1, failed["fix"]
    assert failed["fix"].count("Reports → Statistics") == 1, failed["fix"]
