"""`python -m affilka_core check -`: many URLs from standard input, one verdict each."""

from __future__ import annotations

import tracemalloc

import pytest

from affilka_core.catalogue import URL_CHECK_IDS
from affilka_mock.mock_server import MockAffilka
from tests.cli.conftest import END
from tests.support import GUIDE_URL, TOKEN, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")
GOOD_AND_BAD = f"# offers\nCasino Alpha, {GUIDE_URL}\n\nCasino Beta\t{NO_CAMPAIGN}\n"


def test_json_prints_one_object_per_url_with_its_name_in_input_order(run_cli):
    objects = run_cli("check", "-", "--json", stdin=GOOD_AND_BAD).json_lines()
    assert [o["name"] for o in objects] == ["Casino Alpha", "Casino Beta"]
    assert [o["ok"] for o in objects] == [True, False]


def test_json_objects_have_the_single_check_shape_plus_name(run_cli):
    single = run_cli("check", GUIDE_URL, "--json").json()
    (batch,) = run_cli("check", "-", "--json", stdin=GUIDE_URL).json_lines()
    assert batch.pop("name") == ""
    assert batch == single
    assert {c["id"] for c in batch["checks"]} == set(URL_CHECK_IDS)


def test_exit_1_when_any_url_fails(run_cli):
    assert run_cli("check", "-", stdin=GOOD_AND_BAD).code == 1


def test_exit_0_when_no_url_fails(run_cli):
    assert run_cli("check", "-", stdin=f"A, {GUIDE_URL}\nB, {GUIDE_URL}").code == 0


@pytest.mark.parametrize("stdin", ["", "\n\n", "# only a comment\n"])
def test_no_urls_on_standard_input_is_a_usage_error(run_cli, stdin):
    run = run_cli("check", "-", stdin=stdin)
    assert run.code == 2
    assert "no URLs on standard input" in run.err and run.out == ""


@pytest.mark.parametrize("args", [(), ("--json",)])
def test_the_token_is_never_printed_without_show_token(run_cli, args):
    run = run_cli("check", "-", *args, stdin=f"{TOKEN}, {GUIDE_URL}\n{NO_CAMPAIGN}")
    assert TOKEN not in run.printed
    assert "b7e3…5678" in run.out


def test_show_token_prints_it(run_cli):
    (obj,) = run_cli("check", "-", "--json", "--show-token", stdin=GUIDE_URL).json_lines()
    assert obj["url"] == GUIDE_URL


def test_summary_table_has_a_column_per_step_and_the_first_fix(run_cli):
    run = run_cli("check", "-", stdin=GOOD_AND_BAD)
    header, alpha, beta = run.out.splitlines()[:3]
    assert header.split()[:2] == ["name", "host"] and "1  2  3  4  5  6  7" in header
    assert alpha.startswith("Casino Alpha") and "primetime.partners" in alpha
    assert "✅ ✅ ❌ ⚠️ ✅ ✅ ✅" in beta and "toggle Campaign ON" in beta
    assert "2 URLs: 0 ready, 1 usable with warnings, 1 not usable yet." in run.out


@pytest.mark.parametrize(
    "stdin", [b"\xff\xfe\x00garbage\x00", b"not a url\n%%%\n\x7f", "🎰, https://\n".encode()]
)
def test_any_input_gives_verdicts_not_a_traceback(run_cli, stdin):
    run = run_cli("check", "-", "--json", stdin=stdin)
    assert run.code == 1 and run.err == ""
    objects = run.json_lines()
    assert objects and all(o["ok"] is False for o in objects)


def test_ticket_is_for_one_url_not_a_list(run_cli):
    run = run_cli("check", "-", "--ticket", stdin=GUIDE_URL)
    assert run.code == 2 and "--ticket" in run.err and run.out == ""


def test_fetch_diagnoses_every_url_with_the_single_fetch_shape(run_cli, server):
    stdin = f"good, {server.report_url()}\nexpired, {server.report_url(token='a' * 32)}\n"
    run = run_cli("check", "-", "--fetch", "--json", "--concurrency", "2", stdin=stdin)
    assert run.code == 1
    good, expired = run.json_lines()
    assert set(good) == {"name", "url", "ok", "verdict", "checks", "suggested_url", "data", "insights"}
    assert good["ok"] is True and good["data"]["rows"] == 100
    assert expired["data"] is None
    assert [c["id"] for c in expired["checks"] if c["status"] == "fail"] == ["fetch.unauthorized"]
    assert TOKEN not in run.printed


def test_fetch_summary_table_exits_0_when_every_report_is_fine(run_cli, server):
    run = run_cli("check", "-", "--fetch", stdin=f"good, {server.report_url()}\n")
    assert run.code == 0, run.out
    # Step 4 turns to pass on the data's one brand; the mock's http is allowed for its host.
    assert "✅ ✅ ✅ ✅ ✅ ✅ ✅" in run.out and "1 ready" in run.out


def test_fetched_batch_lines_carry_insights(run_cli, monkeypatch):
    """Every 4th day without rows: the batch's line names those days, as `check --fetch` does."""
    with MockAffilka(token=TOKEN, days=20, campaigns=5, end_date=END, gap_days=4) as gappy:
        monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", gappy.host_port)
        (line,) = run_cli(
            "check", "-", "--fetch", "--json", stdin=f"good, {gappy.report_url()}\n"
        ).json_lines()
        alone = run_cli("check", gappy.report_url(), "--fetch", "--json").json()
    assert [i["id"] for i in line["insights"]] == ["days_without_data"]
    assert line["insights"] == alone["insights"]


def test_check_dash_fetch_never_sends_a_masked_token_and_says_its_line_was_not_fetched(run_cli, server):
    masked = server.report_url().replace(TOKEN, f"{TOKEN[:4]}…{TOKEN[-4:]}")
    before = server.report_requests
    lines = run_cli("check", "-", "--fetch", "--json", stdin=f"Ticket, {masked}\n").json_lines()
    assert server.report_requests == before
    (line,) = lines
    assert line["data"] is None and [c["id"] for c in line["checks"] if c["status"] == "fail"] == [
        "token.present"
    ]


def test_a_huge_list_on_standard_input_is_refused_with_bounded_memory(run_cli):
    stdin = b"a\n" * 2_000_000
    tracemalloc.start()
    try:
        run = run_cli("check", "-", stdin=stdin)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert run.code == 2 and "2,000,000 lines, more than the 2,000 URLs" in run.err
    assert peak < 5 * len(stdin)  # the bytes read and their text; not 2,000,000 items
