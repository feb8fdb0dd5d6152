"""What the app records in the case history: each Check URL click and each fetch (not each keystroke),
each Batch check line once and each batch fetch; never the demo or a scenario; and a history that cannot
be used never stops a check (a small note says why)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from affilka_core.history.settings import HistorySettings
from affilka_core.history.store import open_store
from app_pages._ui.routes import BATCH
from tests.app.driver import TIMEOUT_S, checked, click, open_page, paste, paste_and_fetch, step_headers, texts
from tests.databases import UNREACHABLE_URL
from tests.support import APP, GUIDE_URL, TOKEN, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")


def cases(url: str):
    """What the history holds, newest first."""
    return open_store(HistorySettings(url=url, days=0)).recent(limit=1000)


def history_links(at) -> list[str]:
    return [link.label for link in at.get("page_link") if "history" in link.label]


def test_a_check_url_click_is_one_case_and_typing_or_rerunning_records_nothing(sqlite_history, home):
    at = paste(home, NO_CAMPAIGN)
    assert cases(sqlite_history) == []  # pasted, checklist on screen, not clicked
    click(at, "Check URL")
    (case,) = cases(sqlite_history)
    assert (case.source, case.user, case.verdict, case.data) == ("app", "anonymous", "fix", None)
    assert history_links(at) == [f"Saved to the history as case {case.id}"]
    at.toggle(key="reveal_token").set_value(True).run()
    assert len(cases(sqlite_history)) == 1 and history_links(at) == []  # said once


def test_a_fetch_is_a_case_with_its_data_summary(sqlite_history, home, mock):
    with mock(days=5, campaigns=2) as server:
        at = paste_and_fetch(home, server.report_url())
    (case,) = cases(sqlite_history)
    assert case.data["rows"] == 10 and case.verdict in ("usable", "fix")
    assert case.url == at.session_state["result"].diagnosis.url.masked()
    assert history_links(at) == [f"Saved to the history as case {case.id}"]
    assert TOKEN not in texts(at)


def test_fetching_again_is_another_case(sqlite_history, home, mock):
    with mock(days=5, campaigns=2) as server:
        at = paste_and_fetch(home, server.report_url())
        click(at, "Fetch again")
    assert len(cases(sqlite_history)) == 2


def test_the_demo_and_the_scenarios_are_never_recorded(sqlite_history, home):
    at = click(home, "Try with demo data")
    checked(at.selectbox(key="scenario_pick").select("expired_token").run())
    checked(at.selectbox(key="scenario_pick").select("healthy").run())
    assert cases(sqlite_history) == []


def test_batch_check_records_each_line_once_and_each_fetch(sqlite_history, home, mock):
    with mock(days=5, campaigns=2) as server:
        at = paste(
            open_page(home, BATCH), f"good, {server.report_url()}\nbroken, {NO_CAMPAIGN}\n", "batch_input"
        )
        assert [c.source for c in cases(sqlite_history)] == ["batch", "batch"]
        at.toggle(key="batch_failing_only").set_value(True).run()
        at.checkbox(key="batch_want_fetch").check().run()
        assert len(cases(sqlite_history)) == 2  # toggles record nothing again
        click(at, "Fetch 2 reports")
    recorded = cases(sqlite_history)
    assert len(recorded) == 4
    assert sorted(c.data["rows"] for c in recorded[:2] if c.data) == [10]
    assert any(link == "2 fetched reports saved to the history, a case each" for link in history_links(at))


def test_an_unreachable_history_never_stops_a_check_and_a_small_note_says_why(monkeypatch, home):
    monkeypatch.setenv("AFFILKA_HISTORY_URL", UNREACHABLE_URL)
    at = click(paste(home, NO_CAMPAIGN), "Check URL")
    assert len(step_headers(at)) == 7
    assert any("Not usable yet" in e.value for e in at.error)
    (note,) = [c.value for c in at.caption if "Not saved to the history" in c.value]
    assert "127.0.0.1:9" in note and "secret-password" not in note and TOKEN not in note


def test_the_history_url_can_come_from_the_secrets_file_when_the_environment_names_none(
    sqlite_url, monkeypatch, tmp_path
):
    monkeypatch.delenv("AFFILKA_HISTORY_URL")
    monkeypatch.chdir(tmp_path)  # where the default history would go, were the secret not read
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.secrets["connections"] = {"history": {"url": sqlite_url}}
    click(paste(checked(at.run()), GUIDE_URL), "Check URL")
    assert len(cases(sqlite_url)) == 1
    assert not (tmp_path / ".affilka").exists()
