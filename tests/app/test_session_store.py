"""The session's report store: every Fetch click asks Affilka, nothing fetched is shared between sessions,
a failure never shows an older success, and the page says when the report was fetched."""

from __future__ import annotations

from affilka_core.load import LoadedReport
from app_pages._ui.routes import DATA, PERFORMANCE, URL_CHECK
from app_pages._ui.session import Loaded
from tests.app.driver import click, open_app, open_page, paste_and_fetch, report_of, texts


def first_pages(server) -> int:
    """How many times the server was asked for page 1: once per fetch (later pages are asked for
    ahead, so the total request count varies)."""
    return sum(path.endswith("page=1") or "page=1&" in path for path in server.requests)


def test_every_fetch_click_asks_the_server(home, mock):
    with mock() as server:
        at = paste_and_fetch(home, server.report_url())
        click(at, "Fetch again")
        assert first_pages(server) == 2


def test_two_sessions_fetching_the_same_url_each_reach_the_server(mock):
    with mock() as server:
        paste_and_fetch(open_app(), server.report_url())
        other = paste_and_fetch(open_app(), server.report_url())
        assert first_pages(server) == 2
    assert report_of(other) is not None


def test_fetch_again_after_the_server_stopped_shows_the_failure_not_the_old_success(home, mock):
    with mock() as server:
        at = paste_and_fetch(home, server.report_url())
        assert "Report fetched: the token works" in texts(at)
    click(at, "Fetch again")  # the server is gone now
    assert report_of(at) is None
    assert any("Could not verify now: could not reach the host" in w.value for w in at.warning)
    assert "Report fetched: the token works" not in texts(at)
    assert not at.success


def test_the_fetch_panel_says_when_the_report_was_fetched(home, mock):
    with mock() as server:
        at = paste_and_fetch(home, server.report_url())
    assert "; fetched " in at.success[0].value and at.success[0].value.endswith("just now.")
    assert ") (" not in at.success[0].value  # the rows' span may end in parentheses of its own
    assert any(b.label == "Fetch again" for b in at.button)


def test_a_fetched_report_stays_in_the_session_between_pages(home, mock):
    with mock() as server:
        at = paste_and_fetch(home, server.report_url())
        asked = server.report_requests
        open_page(open_page(open_page(at, PERFORMANCE), DATA), URL_CHECK)
        assert server.report_requests == asked
    assert "Fetched" in at.success[0].value


def test_a_session_holds_one_report_a_new_fetch_replaces_it(home, mock):
    with mock() as server:
        at = paste_and_fetch(home, server.report_url())
        first = report_of(at)
        click(at, "Fetch again")
    held = [at.session_state[k] for k in at.session_state]
    results = [v for v in held if isinstance(v, Loaded)]
    assert len(results) == 1 and report_of(at) is not first
    assert not [v for v in held if isinstance(v, LoadedReport)]  # the report lives in the one result
