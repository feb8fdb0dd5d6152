"""What the URL check page says is true: after a failed fetch, for a chosen date range, for several URLs
in the box and for text that is not a URL."""

from __future__ import annotations

import datetime as dt

from app_pages._ui.routes import GUIDE
from tests.app.driver import click, fetch_with_range, open_page, paste, paste_and_fetch
from tests.support import GUIDE_URL, TOKEN

WRONG_TOKEN = "0" * 32


def shown(at, needle: str) -> str:
    """The Markdown line holding `needle`, as the reader sees it (Markdown escapes removed)."""
    return next(line for line in (m.value.replace("\\", "") for m in at.markdown) if needle in line)


def failed_fetch(home, mock):
    with mock() as server:
        return paste_and_fetch(home, server.report_url(token=WRONG_TOKEN))


# --- after a failed fetch ------------------------------------------------------------------------


def test_after_a_failed_fetch_step_4_says_the_fetch_failed_not_fetch_the_report(home, mock):
    at = failed_fetch(home, mock)
    step4 = shown(at, "Brand filter not verifiable")
    assert "Fetch the report" not in step4
    assert "The fetch failed (token expired or invalid)" in step4 and "fetch again" in step4


def test_after_a_failed_fetch_the_fetch_panel_says_what_failed_and_offers_fetch_again(home, mock):
    at = failed_fetch(home, mock)
    panel = [m.value for m in at.markdown if m.value.startswith("**")]
    assert "**The last fetch failed: token expired or invalid.** Fix step 7, then click Fetch again." in panel
    assert not any("**Fetch the report**" in m for m in panel)
    assert [b.label for b in at.button if b.label.startswith("Fetch")] == ["Fetch again"]


def test_after_a_failed_fetch_the_sidebar_says_what_failed_and_what_next(home, mock):
    at = failed_fetch(home, mock)
    next_step = next(c.value for c in at.sidebar.caption if "Next:" in c.value)
    assert "fetch the pasted URL" not in next_step
    assert "the fetch failed (token expired or invalid). Fix step 7, then click Fetch again" in next_step


def test_after_affilka_did_not_answer_every_next_step_says_fetch_again_later_not_fix(home, mock):
    with mock(server_errors=50, server_error_retry_after=0) as server:
        at = paste_and_fetch(home, server.report_url())
    panel = next(m.value for m in at.markdown if m.value.startswith("**The last fetch failed"))
    assert panel.endswith("Change nothing in the URL; click Fetch again later.")
    next_step = next(c.value for c in at.sidebar.caption if "Next:" in c.value)
    assert "Change nothing in the URL" in next_step and "Fix step" not in next_step
    assert "Fix step" not in shown(at, "Brand filter not verifiable")
    assert not any(
        "select the one brand" in w.value for w in at.warning
    )  # no fix contradicting "change nothing"
    assert "**The last fetch failed: Affilka answered with a server error.**" in panel  # its capital kept


# --- the chosen date range -----------------------------------------------------------------------


def choose_last_30_days(home, mock):
    """A URL for 2026-04-01..21 fetched from the mock for the last 30 days instead, as CasinoFlux
    rewrites from/to."""
    with mock(end_date=dt.date.today() - dt.timedelta(days=1), days=60) as server:
        url = server.report_url(date_from="2026-04-01", date_to="2026-04-21")
        return fetch_with_range(paste(home, url), "Last 30 days")


def last_30_days() -> tuple[dt.date, dt.date]:
    end = dt.date.today() - dt.timedelta(days=1)
    return end - dt.timedelta(days=29), end


def test_chosen_range_shows_in_at_a_glance(home, mock):
    start, end = last_30_days()
    at = choose_last_30_days(home, mock)
    assert shown(at, "(chosen;") == f"**{start} → {end} (chosen; the URL says 2026-04-01 → 2026-04-21)**"


def test_chosen_range_shows_in_the_dates_check(home, mock):
    start, end = last_30_days()
    at = choose_last_30_days(home, mock)
    line = shown(at, "Valid date range")
    assert f"Chosen range {start} → {end} (30 days)" in line
    assert "the URL itself says 2026-04-01 → 2026-04-21" in line


def test_chosen_range_shows_in_the_fetch_panel(home, mock):
    start, end = last_30_days()
    at = choose_last_30_days(home, mock)
    assert any(
        c.value.startswith(f"The last fetch asked for {start} → {end}, the range picked") for c in at.caption
    )
    assert any(f"{start} → {end}" in s.value for s in at.success)  # what came back


# --- several URLs, or no URL ---------------------------------------------------------------------


def test_two_pasted_urls_are_announced_with_a_way_to_batch_check(home):
    second = GUIDE_URL.replace("primetime.partners", "luckyaffiliates.com")
    at = paste(home, GUIDE_URL + "\n" + second)
    assert "**You pasted 2 URLs.**" in at.warning[0].value
    assert any(b.label == "Open all 2 in Batch check" for b in at.button)


def test_opening_pasted_urls_in_batch_check_carries_them_over_masked(home):
    second = GUIDE_URL.replace("primetime.partners", "luckyaffiliates.com")
    at = click(paste(home, GUIDE_URL + " " + second), "Open all 2 in Batch check")
    box = at.text_area(key="batch_input").value
    assert box.count("\n") == 1 and "primetime.partners" in box and "luckyaffiliates.com" in box
    assert TOKEN not in box and "b7e3…5678" in box
    assert at.metric[0].value == "2"  # the batch page checks both offers
    assert TOKEN not in str(dict(at.query_params))


def test_text_that_is_not_a_url_gets_one_message_not_a_checklist(home):
    at = paste(home, "hello, here is the report you asked for")
    assert len(at.error) == 1 and "**Not usable yet: this is not a report URL.**" in at.error[0].value
    assert "What to do" in at.error[0].value
    assert not any("Not checked" in m.value for m in at.markdown)
    assert not any("things to fix" in e.value for e in at.error)
    assert "Checklist" not in [s.value for s in at.subheader]


def test_chosen_range_shows_in_the_support_ticket(home, mock):
    start, end = last_30_days()
    at = choose_last_30_days(home, mock)
    ticket = next(c.value for c in at.code if c.language == "markdown")
    assert f"{start} → {end}" in ticket and "2026-04-01 → 2026-04-21" not in ticket
    assert TOKEN not in ticket


def test_setup_guide_gives_text_that_is_not_a_url_one_message(home):
    at = open_page(paste(home, "hello, here is the report you asked for"), GUIDE)
    assert "**Not usable yet: this is not a report URL.**" in at.error[0].value
    assert not any("things to fix" in e.value for e in at.error)
