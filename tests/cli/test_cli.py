"""`python -m affilka_core check URL`: the URL checklist as text or JSON, exit codes, usage errors."""

from __future__ import annotations

import pytest

from affilka_core.catalogue import URL_CHECK_IDS
from tests.support import GUIDE_URL, TOKEN


def test_check_guide_url_exits_0_with_steps_and_masked_token(run_cli):
    run = run_cli("check", GUIDE_URL)
    assert run.code == 0, run.err
    assert "Step 1 · Go to Reports → Statistics" in run.out
    assert "Step 7" in run.out and "✅" in run.out
    assert "b7e3…5678" in run.out
    assert TOKEN not in run.printed


def test_check_guide_url_ends_with_the_verdict_sentence(run_cli):
    assert run_cli("check", GUIDE_URL).out.rstrip().endswith("⚠️ Usable, 1 to look at.")


def test_check_failing_url_exits_1_and_prints_the_fix(run_cli):
    run = run_cli("check", GUIDE_URL.replace("period=custom", "period=last_month"))
    assert run.code == 1
    assert "❌ Period is not custom" in run.out
    assert "Fix:" in run.out and "Suggested URL" in run.out
    assert "❌ Not usable yet: 1 to fix, 1 to look at." in run.out
    assert TOKEN not in run.printed


def test_check_json_has_the_contract_shape(run_cli):
    run = run_cli("check", GUIDE_URL.replace("page=1", "page=2"), "--json")
    assert run.code == 1
    data = run.json()
    assert set(data) == {"url", "ok", "verdict", "checks", "suggested_url"}
    assert data["ok"] is False
    assert [c["id"] for c in data["checks"]].count("page.first") == 1
    assert {c["id"] for c in data["checks"]} == set(URL_CHECK_IDS)
    for c in data["checks"]:
        assert set(c) == {"id", "step", "status", "title", "detail", "fix"}
        assert c["status"] in ("pass", "warn", "fail") and 1 <= c["step"] <= 7
    assert "page=1" in data["suggested_url"]
    assert TOKEN not in run.out


def test_check_show_token_prints_it(run_cli):
    data = run_cli("check", GUIDE_URL, "--json", "--show-token").json()
    assert data["url"] == GUIDE_URL and data["ok"] is True


@pytest.mark.parametrize("text", ["", "not a url", "https://", "\x7f%%%", "https://h/?token=" + TOKEN + "%"])
def test_check_any_input_gives_a_verdict_not_a_traceback(run_cli, text):
    run = run_cli("check", text, "--json")
    assert run.code == 1
    assert run.json()["ok"] is False
    assert run.err == ""
    assert TOKEN not in run.printed


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["check"],
        ["check", GUIDE_URL, "--nope"],
        ["frobnicate", GUIDE_URL],
        ["check", GUIDE_URL, "--json", "--ticket"],
        ["check", GUIDE_URL, "--list"],
        ["check", GUIDE_URL, "--concurrency", "0"],
    ],
)
def test_usage_errors_exit_2_with_the_usage_and_without_echoing_the_token(run_cli, args):
    run = run_cli(*args)
    assert run.code == 2
    assert "error:" in run.err and "Traceback" not in run.err
    assert TOKEN not in run.printed
