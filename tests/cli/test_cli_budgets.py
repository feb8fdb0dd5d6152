"""The command line within its budgets: a setting out of range stops it at start, standard input is capped
like a report, a path that is not a regular file is said to be one, a list longer than a batch takes is
refused with its count and the limit, and a Retry-After of 400 digits is a sane sentence."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from affilka_core.cli import EXIT_RETRY, EXIT_USAGE
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
