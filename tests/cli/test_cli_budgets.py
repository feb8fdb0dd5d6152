"""The command line within its budgets: a setting out of range stops it at start, standard input is capped
like a report, a path that is not a regular file is said to be one, a list longer than a batch takes is
refused with its count and the limit, and a Retry-After of 400 digits is a sane sentence."""

from __future__ import annotations

import io
import json
import os
import resource
from collections.abc import Iterator
from pathlib import Path

import pytest

from affilka_core import cli
from affilka_core.cli import EXIT_RETRY, EXIT_USAGE
from affilka_core.fetch.settings import FetchSettings
from affilka_mock.mock_server import MockAffilka
from tests.support import GUIDE_URL, TOKEN


def test_a_setting_out_of_range_stops_the_cli_at_start_saying_which_and_what_it_accepts(run_cli, monkeypatch):
    monkeypatch.setenv("AFFILKA_PAGE_DEADLINE", "1e10")
    run = run_cli("check", GUIDE_URL, "--json")
    assert run.code == EXIT_USAGE and run.out == ""
    assert run.err == (
        "error: AFFILKA_PAGE_DEADLINE is '1e10', out of range: give seconds from 0.1 to 3,600 "
        "(default 120).\n"
    )


@pytest.mark.parametrize("value", ["abc", "nan"])
def test_a_setting_that_is_not_a_number_stops_the_cli_instead_of_becoming_the_default(
    run_cli, monkeypatch, value
):
    monkeypatch.setenv("AFFILKA_MAX_ROWS", value)
    run = run_cli("inspect", "-", stdin=b"{}")
    assert run.code == EXIT_USAGE
    assert f"AFFILKA_MAX_ROWS is '{value}', not a number: give rows from 1 to 20,000,000" in run.err


@pytest.fixture
def rate_limiting_mock(monkeypatch) -> Iterator[MockAffilka]:
    """A mock Affilka whose 429s ask to wait 10**400 seconds."""
    with MockAffilka(token=TOKEN, days=3, campaigns=2, rate_limit=50, retry_after=10**400) as mock:
        monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", mock.host_port)
        yield mock


def test_a_retry_after_of_400_digits_is_a_sane_sentence_and_exit_75(run_cli, rate_limiting_mock):
    run = run_cli("check", rate_limiting_mock.report_url(), "--fetch", "--json")
    assert run.code == EXIT_RETRY and run.err == ""
    fix = next(c["fix"] for c in run.json()["checks"] if c["id"] == "fetch.rate_limited")
    assert "try again in an hour or more (Affilka asked to wait at least an hour)" in fix


def test_a_retry_after_of_400_digits_loses_no_row_of_a_batch(run_cli, rate_limiting_mock):
    lines = [f"Offer {n}, {rate_limiting_mock.report_url()}&name=offer{n}" for n in range(3)]
    run = run_cli("check", "-", "--fetch", "--json", stdin="\n".join(lines))
    assert run.code == EXIT_RETRY and run.err == ""
    assert [row["name"] for row in run.json_lines()] == ["Offer 0", "Offer 1", "Offer 2"]
    assert {row["verdict"] for row in run.json_lines()} == {"retry"}


def test_check_dash_with_more_urls_than_a_batch_takes_is_refused_saying_the_limit(run_cli):
    lines = "\n".join(f"Offer {n}, {GUIDE_URL}" for n in range(20_000))
    before = resource.getrusage(resource.RUSAGE_SELF)
    run = run_cli("check", "-", "--json", stdin=lines)
    after = resource.getrusage(resource.RUSAGE_SELF)
    # Checking all 20,000 took 27-55 s of CPU; refusing them reads the list once.
    assert after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime < 10
    assert run.code == EXIT_USAGE and run.out == ""
    assert run.err == (
        "error: 20,000 lines, more than the 2,000 URLs one batch checks (AFFILKA_MAX_BATCH_URLS): split the "
        "list and check each part.\n"
    )


def test_check_dash_takes_as_many_urls_as_the_batch_budget(run_cli):
    lines = "\n".join(f"Offer {n}, {GUIDE_URL}" for n in range(3))
    assert run_cli("check", "-", "--json", stdin=lines, settings=FetchSettings(max_batch_urls=3)).code == 0
    refused = run_cli("check", "-", stdin=lines, settings=FetchSettings(max_batch_urls=2))
    assert refused.code == EXIT_USAGE and "3 lines, more than the 2 URLs one batch checks" in refused.err


class Zeros(io.RawIOBase):
    """Standard input from /dev/zero: endless, counting what was read."""

    def __init__(self) -> None:
        self.given = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        buffer[:] = bytes(len(buffer))
        self.given += len(buffer)
        return len(buffer)


def run_on_zeros(*args: str) -> tuple[int, str, str, int]:
    """`python -m affilka_core *args < /dev/zero` in-process, with a 1 MB cap on a report: exit code,
    stdout, stderr and the bytes read."""
    zeros = Zeros()
    out, err = io.StringIO(), io.StringIO()
    settings = FetchSettings(max_report_bytes=1_000_000)
    code = cli.main(list(args), out, stdin=io.BufferedReader(zeros), err=err, settings=settings)
    return code, out.getvalue(), err.getvalue(), zeros.given


def test_check_dash_from_an_endless_stream_stops_past_the_cap_saying_so():
    code, out, err, given = run_on_zeros("check", "-")
    assert code == EXIT_USAGE and out == ""
    assert err == (
        "error: standard input holds more than 1.0 MB (AFFILKA_MAX_REPORT_BYTES): give at most 2,000 URLs at "
        "a time.\n"
    )
    assert given < 1_100_000  # the cap and one buffer, never the stream


def test_inspect_dash_from_an_endless_stream_is_a_report_too_large():
    code, out, err, given = run_on_zeros("inspect", "-", "--json")
    assert code == 1 and err == "" and given < 1_100_000
    failed = [c for c in json.loads(out)["checks"] if c["status"] == "fail"]
    assert [c["id"] for c in failed] == ["fetch.too_large"]
    assert "over 1.0 MB, the most one report may take (AFFILKA_MAX_REPORT_BYTES)" in failed[0]["detail"]


def test_inspect_a_file_over_the_cap_reads_one_byte_past_it_and_says_too_large(run_cli, tmp_path):
    path = tmp_path / "report.json"
    path.write_bytes(b" " * 2_000_000)
    run = run_cli("inspect", str(path), "--json", settings=FetchSettings(max_report_bytes=1_000_000))
    assert run.code == 1 and run.json()["checks"][0]["id"] == "fetch.too_large"


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda tmp: tmp, "a directory"),
        (lambda tmp: (os.mkfifo(tmp / "pipe"), tmp / "pipe")[1], "a device, pipe or socket"),
        (lambda tmp: Path("/dev/zero"), "a device, pipe or socket"),
    ],
    ids=["directory", "fifo", "dev-zero"],
)
def test_inspect_of_what_is_not_a_regular_file_says_so(run_cli, tmp_path, make, kind):
    path = make(tmp_path)
    run = run_cli("inspect", str(path))
    assert run.code == EXIT_USAGE and run.out == ""
    assert run.err == (
        f"error: not a regular file: {path} is {kind}. Give the saved report's JSON file, - for standard "
        "input, or the report's URL.\n"
    )
