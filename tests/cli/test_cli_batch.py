"""`python -m affilka_core check -`: many URLs from standard input, run in a subprocess."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from affilka_core.checks import URL_CHECK_IDS
from affilka_mock.mock_server import MockAffilka
from tests.support import GUIDE_URL, TOKEN, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")
GOOD_AND_BAD = f"# offers\nCasino Alpha, {GUIDE_URL}\n\nCasino Beta\t{NO_CAMPAIGN}\n"


def run(
    stdin: str | bytes, *args: str, server: MockAffilka | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AFFILKA_ALLOW_PRIVATE_HOSTS": server.host_port if server else ""}
    proc = subprocess.run(
        [sys.executable, "-m", "affilka_core", "check", "-", *args],
        input=stdin.encode() if isinstance(stdin, str) else stdin,
        capture_output=True,
        timeout=120,
        env=env,
    )
    return subprocess.CompletedProcess(proc.args, proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def lines(proc: subprocess.CompletedProcess[str]) -> list[dict]:
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_json_prints_one_object_per_url_with_its_name_in_input_order():
    proc = run(GOOD_AND_BAD, "--json")
    objects = lines(proc)
    assert [o["name"] for o in objects] == ["Casino Alpha", "Casino Beta"]
    assert [o["ok"] for o in objects] == [True, False]


def test_json_objects_have_the_single_check_shape_plus_name():
    single = json.loads(
        subprocess.run(
            [sys.executable, "-m", "affilka_core", "check", GUIDE_URL, "--json"],
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=60,
        ).stdout
    )
    (batch,) = lines(run(GUIDE_URL, "--json"))
    assert batch.pop("name") == ""
    assert batch == single
    assert {c["id"] for c in batch["checks"]} == set(URL_CHECK_IDS)


def test_exit_1_when_any_url_fails():
    assert run(GOOD_AND_BAD).returncode == 1


def test_exit_0_when_no_url_fails():
    assert run(f"A, {GUIDE_URL}\nB, {GUIDE_URL}").returncode == 0


@pytest.mark.parametrize("stdin", ["", "\n\n", "# only a comment\n"])
def test_no_urls_on_standard_input_is_a_usage_error(stdin):
    proc = run(stdin)
    assert proc.returncode == 2
    assert "no URLs on standard input" in proc.stderr and "Traceback" not in proc.stderr


def test_the_token_is_never_printed_without_show_token():
    for args in ((), ("--json",)):
        proc = run(f"{TOKEN}, {GUIDE_URL}\n{NO_CAMPAIGN}", *args)
        assert TOKEN not in proc.stdout + proc.stderr
        assert "b7e3…5678" in proc.stdout or args == ()


def test_show_token_prints_it():
    (obj,) = lines(run(GUIDE_URL, "--json", "--show-token"))
    assert obj["url"] == GUIDE_URL


def test_summary_table_has_a_column_per_step_and_the_first_fix():
    proc = run(GOOD_AND_BAD)
    header, alpha, beta = proc.stdout.splitlines()[:3]
    assert header.split()[:2] == ["name", "host"] and "1  2  3  4  5  6  7" in header
    assert alpha.startswith("Casino Alpha") and "primetime.partners" in alpha
    assert "✅ ✅ ❌ ⚠️ ✅ ✅ ✅" in beta and "toggle Campaign ON" in beta
    assert "2 URLs: 0 ready, 1 usable with warnings, 1 not usable yet." in proc.stdout


@pytest.mark.parametrize(
    "stdin", [b"\xff\xfe\x00garbage\x00", b"not a url\n%%%\n\x7f", "🎰, https://\n".encode()]
)
def test_any_input_gives_verdicts_not_a_traceback(stdin):
    proc = run(stdin, "--json")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert all(o["ok"] is False for o in lines(proc))


def test_bad_concurrency_is_a_usage_error():
    proc = run(GUIDE_URL, "--fetch", "--concurrency", "0")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


@pytest.fixture(scope="module")
def server() -> Iterator[MockAffilka]:
    with MockAffilka(token=TOKEN, days=10, campaigns=3, end_date=dt.date(2026, 4, 21)) as mock:
        yield mock


def test_fetch_diagnoses_every_url_with_the_single_fetch_shape(server):
    stdin = f"good, {server.report_url()}\nexpired, {server.report_url(token='a' * 32)}\n"
    proc = run(stdin, "--fetch", "--json", "--concurrency", "2", server=server)
    assert proc.returncode == 1
    good, expired = lines(proc)
    assert set(good) == {"name", "url", "ok", "checks", "suggested_url", "data"}
    assert good["ok"] is True and good["data"]["rows"] == 30
    assert expired["data"] is None
    assert [c["id"] for c in expired["checks"] if c["status"] == "fail"] == ["fetch.unauthorized"]
    assert TOKEN not in proc.stdout + proc.stderr


def test_fetch_summary_table_exits_0_when_every_report_is_fine(server):
    proc = run(f"good, {server.report_url()}\n", "--fetch", server=server)
    assert proc.returncode == 0, proc.stdout
    # Step 4 turns to pass on the data's one brand; step 7 warns only because the mock serves http.
    assert "✅ ✅ ✅ ✅ ✅ ✅ ⚠️  URL uses http" in proc.stdout
