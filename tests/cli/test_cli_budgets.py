"""The command line within its budgets: a setting out of range stops it at start, standard input is capped
like a report, a path that is not a regular file is said to be one, a list longer than a batch takes is
refused with its count and the limit, and a Retry-After of 400 digits is a sane sentence."""

from __future__ import annotations

import pytest

from affilka_core.cli import EXIT_USAGE
from tests.support import GUIDE_URL


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
