"""The Setup guide page: the guide's steps and troubleshooting, each with the pasted URL's status."""

from __future__ import annotations

from affilka_core.guide import STEPS, TROUBLESHOOTING
from app_pages._ui.routes import GUIDE
from tests.app.driver import open_page, paste, paste_and_fetch, step_header, step_headers, texts
from tests.support import GUIDE_URL, TOKEN, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")


def test_without_a_url_the_steps_are_a_plain_guide(home):
    at = open_page(home, GUIDE)
    assert step_headers(at) == [f"#### Step {s.number} · {s.name}" for s in STEPS]
    assert not at.error and not at.warning


def test_without_a_url_the_page_links_to_the_url_check_to_paste_one(home):
    at = open_page(home, GUIDE)
    assert "Paste a URL on the URL check page" in at.info[0].value
    link = next(link.proto for link in at.get("page_link") if link.label == "Paste a URL to check")
    assert link.page == ""  # the URL check is the default page, served at the app's root


def test_guide_url_passes_every_step_but_the_brand_filter(home):
    headers = step_headers(open_page(paste(home, GUIDE_URL), GUIDE))
    assert len(headers) == 7
    for header in headers:
        assert header.startswith("#### ⚠️" if "Step 4" in header else "#### ✅"), header


def test_broken_url_fails_its_step_and_says_what_to_do(home):
    at = open_page(paste(home, NO_CAMPAIGN), GUIDE)
    assert step_header(at, 3).startswith("#### ❌")
    fixes = [e.value for e in at.error if "What to do" in e.value]
    assert any("Group by lacks campaign" in f and "toggle Campaign ON" in f for f in fixes)
    assert TOKEN not in texts(at)


def test_every_troubleshooting_entry_is_shown_with_its_detecting_checks(home):
    at = open_page(paste(home, NO_CAMPAIGN), GUIDE)
    headers = {m.value for m in at.markdown if m.value.startswith("#### ")}
    assert next(h for h in headers if "API sync fails in CasinoFlux" in h).startswith("#### ❌")
    for entry in TROUBLESHOOTING:
        assert any(entry.title in h for h in headers), entry.title
    detected = [c.value for c in at.caption if c.value.startswith("Detected by:")]
    assert any("❌ `group_by.required`" in d for d in detected)
    assert any("➖ `data.empty`" in d and "not run yet" in d for d in detected)


def test_after_a_fetch_the_data_checks_speak_for_their_steps(home, mock):
    with mock(days=10, campaigns=3, empty=True) as server:
        at = open_page(paste_and_fetch(home, server.report_url()), GUIDE)
    assert step_header(at, 5).startswith("#### ❌")
    empty = next(m.value for m in at.markdown if "JSON tab opens but data is empty" in m.value)
    assert empty.startswith("#### ❌")
    assert any("The report has no rows" in e.value for e in at.error)


CUT = GUIDE_URL.split("&group_by%5B%5D=day")[0] + "&group_by%5B%"


def test_url_checks_skipped_on_a_cut_url_are_said_not_checked_for_the_cut_not_awaiting_a_fetch(home):
    at = open_page(paste(home, CUT), GUIDE)
    detected = [c.value for c in at.caption if c.value.startswith("Detected by")]
    api_sync = next(d for d in detected if "group_by.required" in d)
    assert "not checked: the URL is cut off" in api_sync and "fetch the report" not in api_sync


def test_fetch_checks_of_a_url_cut_inside_its_token_say_nothing_is_fetched_not_fetch_the_report(home):
    at = open_page(paste(home, GUIDE_URL[: GUIDE_URL.index("&page=1") - 10]), GUIDE)
    detected = [c.value for c in at.caption if c.value.startswith("Detected by") and "fetch." in c.value]
    assert detected and not any("fetch the report" in d for d in detected)
    assert all("not checked: the URL is cut off" in d or "so nothing is fetched" in d for d in detected)


def test_step_3_says_what_the_url_groups_by_apart_from_what_it_requires(home):
    at = open_page(paste(home, CUT), GUIDE)
    shown = texts(at)
    assert "Required group by:" in shown and "The URL has no group by." in shown
    assert "Group by: `day`" not in shown
