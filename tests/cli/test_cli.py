"""`python -m affilka_core check`, run as a user runs it: in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from affilka_core.checks import URL_CHECK_IDS
from tests.support import GUIDE_URL, TOKEN


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "affilka_core", *args],
        capture_output=True,
        text=True,
        timeout=60,
        encoding="utf-8",
    )


def test_check_guide_url_exits_0_with_steps_and_masked_token():
    proc = run("check", GUIDE_URL)
    assert proc.returncode == 0, proc.stderr
    assert "Step 1 · Go to Reports → Statistics" in proc.stdout
    assert "Step 7" in proc.stdout and "✅" in proc.stdout
    assert "b7e3…5678" in proc.stdout
    assert TOKEN not in proc.stdout + proc.stderr


def test_check_failing_url_exits_1_and_prints_the_fix():
    proc = run("check", GUIDE_URL.replace("period=custom", "period=last_month"))
    assert proc.returncode == 1
    assert "❌ Period is not custom" in proc.stdout
    assert "Fix:" in proc.stdout and "Suggested URL" in proc.stdout
    assert TOKEN not in proc.stdout


def test_check_json_has_the_contract_shape():
    proc = run("check", GUIDE_URL.replace("page=1", "page=2"), "--json")
    assert proc.returncode == 1
    data = json.loads(proc.stdout)
    assert set(data) == {"url", "ok", "checks", "suggested_url"}
    assert data["ok"] is False
    assert [c["id"] for c in data["checks"]].count("page.first") == 1
    assert {c["id"] for c in data["checks"]} == set(URL_CHECK_IDS)
    for c in data["checks"]:
        assert set(c) == {"id", "step", "status", "title", "detail", "fix"}
        assert c["status"] in ("pass", "warn", "fail") and 1 <= c["step"] <= 7
    assert "page=1" in data["suggested_url"]
    assert TOKEN not in proc.stdout


def test_check_show_token_prints_it():
    proc = run("check", GUIDE_URL, "--json", "--show-token")
    data = json.loads(proc.stdout)
    assert data["url"] == GUIDE_URL and data["ok"] is True


@pytest.mark.parametrize("text", ["", "not a url", "https://", "\x7f%%%", "https://h/?token=" + TOKEN + "%"])
def test_check_any_input_gives_a_verdict_not_a_traceback(text):
    proc = run("check", text, "--json")
    assert proc.returncode in (0, 1)
    assert "Traceback" not in proc.stderr
    json.loads(proc.stdout)
    assert TOKEN not in proc.stdout + proc.stderr


@pytest.mark.parametrize("args", [[], ["check"], ["check", GUIDE_URL, "--nope"], ["frobnicate", GUIDE_URL]])
def test_usage_errors_exit_2_without_echoing_the_token(args):
    proc = run(*args)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert TOKEN not in proc.stdout + proc.stderr
