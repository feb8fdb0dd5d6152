"""The pages within their budgets: a setting out of range is said instead of any page."""

from __future__ import annotations

from tests.app.driver import open_app, paste_and_fetch


def test_a_setting_out_of_range_is_shown_instead_of_the_page(monkeypatch):
    monkeypatch.setenv("AFFILKA_PAGE_DEADLINE", "-5")
    at = open_app()
    assert [e.value for e in at.error] == [
        "**The app's environment needs fixing.** AFFILKA_PAGE_DEADLINE is '-5', out of range: give seconds "
        "from 0.1 to 3,600 (default 120). Then restart the app."
    ]
    assert not at.text_area and not at.button  # no page drawn under it


def test_a_retry_after_of_400_digits_is_could_not_verify_now_with_a_sane_wait(home, mock):
    with mock(rate_limit=50, retry_after=10**400) as server:
        at = paste_and_fetch(home, server.report_url())
    warning = next(w.value for w in at.warning if "Could not verify now" in w.value)
    assert "try again in an hour or more (Affilka asked to wait at least an hour)" in warning
