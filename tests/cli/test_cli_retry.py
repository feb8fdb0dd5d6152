"""Temporary trouble is told apart from a URL to fix: `check --fetch --json` says `"verdict": "retry"` and
exits 75 when Affilka did not answer (429, 503, a refused connection, a timeout), each produced by a real
server on loopback; a wrong token is still `fix`/1 and a good URL `usable`/0."""

from __future__ import annotations

import io
import socket
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from affilka_core import cli
from affilka_core.cli import EXIT_FAIL, EXIT_OK, EXIT_RETRY
from affilka_core.guide import REPORT_PATH
from affilka_mock.mock_server import MockAffilka
from tests.support import GUIDE_URL, TOKEN, fast_settings

GUIDE_ORIGIN = "https://primetime.partners"


def local_url(host_port: str) -> str:
    """The guide's URL, served from a loopback `host:port` over http."""
    return GUIDE_URL.replace(GUIDE_ORIGIN, f"http://{host_port}")


@pytest.fixture
def allow(monkeypatch: pytest.MonkeyPatch):
    """`allow(host_port)`: the loopback host allowed (env for the URL check, quick fetch settings)."""

    def allowed(host_port: str, **overrides):
        monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", host_port)
        return fast_settings(host_port, **overrides)

    return allowed


@pytest.fixture
def faulty_mock(request) -> Iterator[MockAffilka]:
    """A mock Affilka with the fault flags the test is parametrised with."""
    with MockAffilka(token=TOKEN, days=5, brands=1, campaigns=2, **request.param) as mock:
        yield mock


@pytest.fixture
def refused_host_port() -> str:
    """`127.0.0.1:port` of a port that was free a moment ago, with nothing listening: refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"127.0.0.1:{sock.getsockname()[1]}"


def fetch_json(run_cli, url: str, settings):
    run = run_cli("check", url, "--fetch", "--json", settings=settings)
    return run, run.json()


def failing(data: dict) -> list[dict]:
    return [c for c in data["checks"] if c["status"] == "fail"]


@pytest.mark.parametrize("faulty_mock", [{"always_status": 503}], indirect=True)
def test_a_503_after_retries_is_retry_and_exits_75(run_cli, faulty_mock, allow):
    run, data = fetch_json(run_cli, faulty_mock.report_url(), allow(faulty_mock.host_port))
    assert (run.code, data["verdict"], data["ok"]) == (EXIT_RETRY, "retry", False)
    (check,) = failing(data)
    assert check["id"] == "fetch.server_error"
    assert "try again in a few minutes" in check["fix"] and "Change nothing in the URL" in check["fix"]
    assert faulty_mock.report_requests >= 2  # it was retried before giving up


@pytest.mark.parametrize("faulty_mock", [{"rate_limit": 1000}], indirect=True)
def test_a_429_with_retry_after_is_retry_and_exits_75(run_cli, faulty_mock, allow):
    # One retry: the mock's Retry-After (1 s) is honoured once, then the 429 stands.
    run, data = fetch_json(run_cli, faulty_mock.report_url(), allow(faulty_mock.host_port, retries=1))
    assert (run.code, data["verdict"]) == (EXIT_RETRY, "retry")
    (check,) = failing(data)
    assert check["id"] == "fetch.rate_limited"
    assert "Change nothing in the URL; try again" in check["fix"]


class Terminal(io.StringIO):
    """stderr as a person's terminal: progress and waits are written only there."""

    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("faulty_mock", [{"rate_limit": 1}], indirect=True)
def test_a_person_at_a_terminal_is_told_why_the_fetch_waits(faulty_mock, allow):
    settings = allow(faulty_mock.host_port)
    out, err = io.StringIO(), Terminal()
    code = cli.main(
        ["check", faulty_mock.report_url(), "--fetch"], out, stdin=io.BytesIO(), err=err, settings=settings
    )
    assert code == EXIT_OK
    assert "Affilka asked to wait 1 s (429 Too Many Requests), retry 1 of 3…" in err.getvalue()
    assert TOKEN not in err.getvalue()


def test_a_429_from_another_server_is_retry_too(run_cli, httpserver: HTTPServer, allow):
    httpserver.expect_request(REPORT_PATH).respond_with_json(
        {"error": "Too many requests"}, status=429, headers={"Retry-After": "120"}
    )
    host_port = f"{httpserver.host}:{httpserver.port}"
    run, data = fetch_json(run_cli, local_url(host_port), allow(host_port, retries=0))
    assert (run.code, data["verdict"]) == (EXIT_RETRY, "retry")
    assert [c["id"] for c in failing(data)] == ["fetch.rate_limited"]


def test_a_refused_connection_is_retry_and_exits_75(run_cli, allow, refused_host_port):
    run, data = fetch_json(run_cli, local_url(refused_host_port), allow(refused_host_port))
    assert (run.code, data["verdict"]) == (EXIT_RETRY, "retry")
    (check,) = failing(data)
    assert check["id"] == "fetch.connection" and check["title"] == "Could not reach the host"
    assert "The URL may be fine" in check["fix"]


@pytest.mark.parametrize("faulty_mock", [{"slow_ms": 1500}], indirect=True)
def test_no_answer_in_time_is_retry_and_exits_75(run_cli, faulty_mock, allow):
    settings = allow(faulty_mock.host_port, read_timeout=0.3, retries=0)
    run, data = fetch_json(run_cli, faulty_mock.report_url(), settings)
    assert (run.code, data["verdict"]) == (EXIT_RETRY, "retry")
    assert [c["id"] for c in failing(data)] == ["fetch.timeout"]


def test_a_wrong_token_is_fix_and_exits_1(run_cli, server):
    run, data = fetch_json(run_cli, server.report_url(token="f" * 32), fast_settings(server.host_port))
    assert (run.code, data["verdict"]) == (EXIT_FAIL, "fix")
    assert [c["id"] for c in failing(data)] == ["fetch.unauthorized"]


def test_a_good_url_is_usable_and_exits_0(run_cli, server):
    run, data = fetch_json(run_cli, server.report_url(), fast_settings(server.host_port))
    assert (run.code, data["verdict"], data["ok"]) == (EXIT_OK, "usable", True)


def test_a_url_to_fix_stays_fix_when_affilka_also_did_not_answer(run_cli, allow, refused_host_port):
    url = local_url(refused_host_port).replace("period=custom", "period=today")
    run, data = fetch_json(run_cli, url, allow(refused_host_port))
    assert (run.code, data["verdict"]) == (EXIT_FAIL, "fix")
    assert {c["id"] for c in failing(data)} == {"period.custom", "fetch.connection"}


def test_check_without_fetch_says_usable_or_fix(run_cli):
    assert run_cli("check", GUIDE_URL, "--json").json()["verdict"] == "usable"
    assert run_cli("check", "hello there", "--json").json()["verdict"] == "fix"


def test_batch_lines_carry_the_verdict_and_exit_75_when_only_temporary(run_cli, allow, refused_host_port):
    stdin = f"Alpha, {local_url(refused_host_port)}\n"
    run = run_cli("check", "-", "--fetch", "--json", stdin=stdin, settings=allow(refused_host_port))
    (line,) = run.json_lines()
    assert (run.code, line["verdict"], line["name"]) == (EXIT_RETRY, "retry", "Alpha")
    table = run_cli("check", "-", "--fetch", stdin=stdin, settings=allow(refused_host_port))
    assert "Could not verify now" in table.out and "1 could not be verified now" in table.out


def test_inspect_of_a_url_that_gets_no_answer_is_retry(run_cli, allow, refused_host_port):
    run = run_cli("inspect", local_url(refused_host_port), "--json", settings=allow(refused_host_port))
    assert (run.code, run.json()["verdict"]) == (EXIT_RETRY, "retry")


def test_human_output_says_could_not_verify_now_and_suggests_no_new_url(run_cli, allow, refused_host_port):
    url = local_url(refused_host_port)
    run = run_cli("check", url, "--fetch", settings=allow(refused_host_port))
    assert run.code == EXIT_RETRY
    assert "⏳ Could not verify now: the report did not come back now, so the URL may be fine" in run.out
    assert "Suggested URL" not in run.out


@pytest.mark.parametrize("faulty_mock", [{"truncate_json": True}], indirect=True)
def test_a_report_cut_off_midway_is_retry_and_exits_75(run_cli, faulty_mock, allow):
    run, data = fetch_json(run_cli, faulty_mock.report_url(), allow(faulty_mock.host_port))
    assert (run.code, data["verdict"]) == (EXIT_RETRY, "retry")
    (check,) = failing(data)
    assert check["id"] == "fetch.not_json" and check["title"] == "The download was cut off"
    assert "cut short" in check["detail"] and "Change nothing in the URL" in check["fix"]
