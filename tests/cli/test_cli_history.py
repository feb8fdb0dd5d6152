"""The history on the command line: `check URL [--fetch] --record` (the object gains "case_id"),
`check - --record`, `history [--host H] [--offer KEY] [--limit N] [--json]`, `history show ID [--json]`,
`history purge --older-than DAYS`; and a history that cannot be used never changes a check's output."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

from affilka_core.history.settings import HistorySettings
from affilka_core.history.store import open_store
from tests.databases import UNREACHABLE_URL
from tests.history.conftest import NO_CAMPAIGN, OTHER_HOST, make_case, refused, worked
from tests.support import GUIDE_URL, ROOT, TOKEN

CASE_KEYS = [
    "id",
    "at",
    "source",
    "user",
    "host",
    "offer_key",
    "url",
    "verdict",
    "checks",
    "data",
    "insights",
]


def store_of(url: str):
    return open_store(HistorySettings(url=url, days=0))


# --- check --record ------------------------------------------------------------------------------


def test_check_record_json_gains_the_case_id_of_the_recorded_case(run_cli, history_on):
    run = run_cli("check", NO_CAMPAIGN, "--record", "--json")
    assert run.code == 1
    data = run.json()
    case = store_of(history_on).get(data["case_id"])
    assert (case.source, case.verdict, case.url) == ("cli", "fix", data["url"])
    assert [c.to_dict() for c in case.checks] == [
        {k: c[k] for k in ("id", "status", "title")} for c in data["checks"]
    ]


def test_check_record_prints_the_check_as_always_and_says_the_case_on_stderr(run_cli, sqlite_history):
    plain, recorded = run_cli("check", GUIDE_URL), run_cli("check", GUIDE_URL, "--record")
    assert (recorded.code, recorded.out) == (plain.code, plain.out)
    (case,) = store_of(sqlite_history).recent()
    assert recorded.err == f"Recorded as case {case.id} (python -m affilka_core history show {case.id}).\n"


def test_check_fetch_record_keeps_the_data_summary_and_insights(run_cli, server, sqlite_history):
    data = run_cli("check", server.report_url(), "--fetch", "--record", "--json").json()
    case = store_of(sqlite_history).get(data["case_id"])
    assert case.data == data["data"] and case.data["rows"] == 100
    assert list(case.insights) == data["insights"]


def test_check_dash_record_records_each_line_and_each_json_line_gains_its_case_id(run_cli, sqlite_history):
    run = run_cli("check", "-", "--record", "--json", stdin=f"A, {GUIDE_URL}\nB, {NO_CAMPAIGN}\nnot a url\n")
    ids = [line["case_id"] for line in run.json_lines()]
    assert len(ids) == 3
    assert ids[2] is None  # text that is not a URL is not a case
    assert [c.id for c in store_of(sqlite_history).recent()] == sorted(ids[:2], reverse=True)


def test_check_without_record_keeps_nothing_and_never_loads_the_database_library(tmp_path):
    script = (
        "import io, json, sys\n"
        "from affilka_core import cli\n"
        f"code = cli.main(['check', {GUIDE_URL!r}, '--json'], io.StringIO())\n"
        "print(json.dumps({'code': code, 'sqlalchemy': 'sqlalchemy' in sys.modules}))\n"
    )
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}  # no AFFILKA_HISTORY_URL: the default file
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"code": 0, "sqlalchemy": False}
    assert not (tmp_path / ".affilka").exists()


# --- history -------------------------------------------------------------------------------------


@pytest.fixture
def three_cases(sqlite_history):
    """Three cases on two hosts, a day apart: the guide's URL, the same Offer broken, another host."""
    store = store_of(sqlite_history)
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=3, hours=-1)
    return [
        store.record(make_case(text, at=start + dt.timedelta(days=i), source="cli", user="ana"))
        for i, text in enumerate((GUIDE_URL, NO_CAMPAIGN, OTHER_HOST))
    ]


def test_history_json_lists_the_cases_newest_first_in_the_contract_shape(run_cli, three_cases):
    run = run_cli("history", "--json")
    assert run.code == 0, run.err
    cases = run.json()
    assert [c["id"] for c in cases] == three_cases[::-1]
    assert all(list(c) == CASE_KEYS for c in cases)
    assert all(list(check) == ["id", "status", "title"] for c in cases for check in c["checks"])
    assert cases[0]["data"] is None and cases[0]["insights"] == []


def test_history_filters_by_host_and_offer_and_takes_a_limit(run_cli, three_cases):
    assert [c["id"] for c in run_cli("history", "--host", "starzpartners.com", "--json").json()] == [
        three_cases[2]
    ]
    key = make_case(GUIDE_URL).offer_key
    assert [c["id"] for c in run_cli("history", "--offer", key, "--json").json()] == [three_cases[0]]
    assert [c["id"] for c in run_cli("history", "--limit", "1", "--json").json()] == [three_cases[2]]


def test_history_text_shows_each_case_on_a_line_and_where_an_offer_broke(run_cli, sqlite_history):
    store = store_of(sqlite_history)
    start = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)
    ok = store.record(worked(make_case(GUIDE_URL, at=start, user="ana", source="cli")))
    later = start + dt.timedelta(days=1, hours=5)
    broke = store.record(refused(make_case(GUIDE_URL, at=later, user="ben", source="cli")))
    lines = run_cli("history").out.splitlines()
    assert lines[0].startswith("id ")
    assert lines[1].startswith(f"{broke:<7} 2026-11-03 14:00  fix      cli     ben ")
    assert lines[1].endswith("primetime.partners — Token expired or invalid")
    assert lines[2] == " " * 8 + "broke: token expired or invalid since 2026-11-03 14:00"
    assert lines[3].startswith(f"{ok:<7} 2026-11-02 09:00  usable   cli     ana ")


def test_history_show_prints_one_case_with_its_checklist_by_step(run_cli, three_cases):
    run = run_cli("history", "show", str(three_cases[1]))
    assert run.code == 0, run.err
    assert run.out.startswith(f"Case {three_cases[1]} · ")
    assert "Step 3 · Configure Group by" in run.out and "❌ Group by lacks campaign" in run.out
    assert "token=b7e3…5678" in run.out and TOKEN not in run.out


def test_history_show_json_is_the_case_object(run_cli, three_cases):
    case = run_cli("history", "show", str(three_cases[0]), "--json").json()
    assert list(case) == CASE_KEYS and case["id"] == three_cases[0] and case["verdict"] == "usable"


def test_history_show_of_an_unknown_case_exits_1_saying_so(run_cli, sqlite_history):
    run = run_cli("history", "show", "999")
    assert (run.code, run.out) == (1, "")
    assert "no case 999" in run.err


def test_history_purge_deletes_only_the_older_cases(run_cli, three_cases):
    run = run_cli("history", "purge", "--older-than", "2")
    assert (run.code, run.out) == (0, "Deleted 1 case older than 2 days.\n")
    assert [c["id"] for c in run_cli("history", "--json").json()] == three_cases[:0:-1]


@pytest.mark.parametrize(
    "args", [["history", "show", "two"], ["history", "purge"], ["history", "--limit", "-1"]]
)
def test_history_usage_errors_exit_2(run_cli, sqlite_history, args):
    assert run_cli(*args).code == 2


# --- a history that cannot be used ---------------------------------------------------------------


def test_an_unreachable_history_never_changes_the_check_and_says_why_on_one_line(run_cli, monkeypatch):
    monkeypatch.setenv("AFFILKA_HISTORY_URL", UNREACHABLE_URL)
    plain = run_cli("check", NO_CAMPAIGN, "--json")
    run = run_cli("check", NO_CAMPAIGN, "--record", "--json")
    assert run.code == plain.code == 1
    assert run.json() == plain.json() | {"case_id": None}
    (line,) = run.err.splitlines()
    assert line.startswith("history is off: cannot use postgresql://affilka:***@127.0.0.1:9/history (")
    assert line.endswith("; the case was not recorded") and "secret-password" not in line


def test_history_commands_on_an_unreachable_history_exit_1_saying_why(run_cli, monkeypatch):
    monkeypatch.setenv("AFFILKA_HISTORY_URL", UNREACHABLE_URL)
    run = run_cli("history")
    assert (run.code, run.out) == (1, "")
    assert run.err.startswith("history is off: cannot use postgresql://")


def test_a_history_switched_off_says_so_and_records_nothing(run_cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run = run_cli("check", GUIDE_URL, "--record")
    assert run.code == 0
    assert run.err == "history is off: AFFILKA_HISTORY_URL is off; the case was not recorded\n"
    assert not (tmp_path / ".affilka").exists()


# --- numbers out of range, filters that match nothing --------------------------------------------


@pytest.mark.parametrize("case_id", ["9223372036854775808", "99999999999999999999999", "0", "-3"])
def test_history_show_of_an_id_no_case_can_have_is_no_such_case(run_cli, three_cases, case_id):
    run = run_cli("history", "show", case_id)
    assert run.code == 1 and run.out == ""
    assert run.err == f"error: no case {case_id} in the history (never recorded, or purged)\n"


@pytest.mark.parametrize("limit", ["0", "99999999999999999999", "10001"])
def test_history_limit_out_of_range_is_a_usage_error_naming_the_range(run_cli, three_cases, limit):
    run = run_cli("history", "--limit", limit)
    assert run.code == 2 and "give a whole number from 1 to 10,000" in run.err and "Traceback" not in run.err


@pytest.mark.parametrize("days", ["999999999", "99999999999999999999", "36501", "-1"])
def test_history_purge_days_out_of_range_is_a_usage_error_naming_the_range(run_cli, three_cases, days):
    run = run_cli("history", "purge", "--older-than", days)
    assert run.code == 2 and "give a whole number from 0 to 36,500" in run.err
    assert len(store_of_cases(run_cli)) == 3  # nothing purged


def store_of_cases(run_cli) -> list:
    return run_cli("history", "--json").json()


def test_history_with_a_filter_that_matches_nothing_says_no_case_matches_it(run_cli, three_cases):
    run = run_cli("history", "--host", "nosuchhost")
    assert run.code == 0
    assert run.out.startswith("No case matches --host nosuchhost") and "recorded yet" not in run.out
