"""Each fix text matches its cause, produced by a real server on loopback: a redirect to another host, a
download cut off, rows dated outside from..to, data that stopped arriving."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from affilka_core.demo import demo_report
from affilka_core.guide import REPORT_PATH
from affilka_mock.mock_server import MockAffilka
from tests.support import GUIDE_URL, TOKEN, fast_settings

# The guide's URL asks for 2026-04-01..2026-04-21.
TO = dt.date(2026, 4, 21)


@pytest.fixture
def faulty_mock(request) -> Iterator[MockAffilka]:
    """A mock Affilka with the fault flags the test is parametrised with."""
    with MockAffilka(token=TOKEN, days=5, brands=1, campaigns=2, **request.param) as mock:
        yield mock


@pytest.fixture
def affilka(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch):
    """`affilka(body)`: a server that is not the project's mock answering the report path with `body`;
    returns the guide's URL pointed at it and the fetch settings that may reach it."""

    def serve(body: bytes) -> tuple[str, object]:
        httpserver.expect_request(REPORT_PATH).respond_with_data(body, content_type="application/json")
        host_port = f"{httpserver.host}:{httpserver.port}"
        monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", host_port)
        url = GUIDE_URL.replace("https://primetime.partners", f"http://{host_port}")
        return url, fast_settings(host_port)

    return serve


def check_of(data: dict, check_id: str) -> dict:
    (found,) = [c for c in data["checks"] if c["id"] == check_id]
    return found


@pytest.mark.parametrize(
    "faulty_mock", [{"redirect_to": "https://login.elsewhere.example/users/sign_in"}], indirect=True
)
def test_a_redirect_to_a_sign_in_page_elsewhere_is_the_token(run_cli, faulty_mock, monkeypatch):
    monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", faulty_mock.host_port)
    settings = fast_settings(faulty_mock.host_port)
    run = run_cli("check", faulty_mock.report_url(), "--fetch", "--json", settings=settings)
    data = run.json()
    assert (run.code, data["verdict"]) == (1, "fix")
    assert [c["id"] for c in data["checks"] if c["status"] == "fail"] == ["fetch.unauthorized"]


@pytest.mark.parametrize(
    "faulty_mock", [{"redirect_to": "https://reports.elsewhere.example/r.json"}], indirect=True
)
def test_a_redirect_to_another_host_says_so(run_cli, faulty_mock, monkeypatch):
    monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", faulty_mock.host_port)
    settings = fast_settings(faulty_mock.host_port)
    data = run_cli("check", faulty_mock.report_url(), "--fetch", "--json", settings=settings).json()
    check = check_of(data, "fetch.connection")
    assert check["title"] == "Affilka redirected to another host" and data["verdict"] == "fix"
    assert "elsewhere.example" in check["detail"]


@pytest.mark.parametrize("faulty_mock", [{"truncate_json": True}], indirect=True)
def test_a_download_cut_off_says_fetch_again_not_copy_the_json_tab(run_cli, faulty_mock, monkeypatch):
    monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", faulty_mock.host_port)
    settings = fast_settings(faulty_mock.host_port)
    run = run_cli("check", faulty_mock.report_url(), "--fetch", "--json", settings=settings)
    check = check_of(run.json(), "fetch.not_json")
    assert check["title"] == "The download was cut off"
    assert "fetch again" in check["fix"] and "tab" not in check["fix"]


def test_a_row_dated_the_day_after_to_warns_naming_that_date(run_cli, affilka):
    # 2026-04-01..2026-04-22: Affilka's extra day after `to`.
    url, settings = affilka(demo_report(22, end=TO + dt.timedelta(days=1), campaigns=3))
    run = run_cli("check", url, "--fetch", "--json", settings=settings)
    data = run.json()
    check = check_of(data, "data.outside_range")
    assert check["status"] == "warn" and "2026-04-22 (3 rows)" in check["detail"]
    assert "included in the figures" in check["detail"]
    assert data["data"]["rows"] == 66 and run.code == 0


def test_data_that_stopped_a_week_before_to_warns_freshness(run_cli, affilka):
    url, settings = affilka(demo_report(14, end=TO - dt.timedelta(days=7), campaigns=3))
    data = run_cli("check", url, "--fetch", "--json", settings=settings).json()
    check = check_of(data, "data.freshness")
    assert check["status"] == "warn" and check["title"] == "Data is 7 days behind"
