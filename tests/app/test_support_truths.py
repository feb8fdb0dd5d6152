"""What support reads on the pages is true now: a host paused by a long Retry-After is not asked again and the
Fetch button says when; after a failed fetch the data pages say so and why; Batch check says what it sends
and where a fix's suggested URL is, and an offer opened from it carries its fetch; a scenario without rows
offers no performance; a saved file cut short is to save again."""

from __future__ import annotations

import re

from affilka_core.demo import demo_report
from app_pages._ui.routes import BATCH, DATA, PERFORMANCE, URL_CHECK
from tests.app.browser import free_port
from tests.app.driver import checked, click, loaded, open_page, paste, paste_and_fetch, report_of, texts
from tests.support import GUIDE_URL, TOKEN

MASK = "b7e3…5678"


def test_after_a_long_retry_after_fetch_says_when_it_is_available_and_never_fetched_just_now(home, mock):
    with mock(rate_limit=1, retry_after=60) as server:
        at = paste_and_fetch(home, server.report_url())
        assert server.report_requests == 1
    (button,) = [b for b in at.button if b.label.startswith("Fetch")]
    assert re.fullmatch(r"Fetch available after \d\d:\d\d UTC", button.label) and button.disabled
    (outcome,) = [w.value for w in at.warning if "Affilka is limiting requests" in w.value]
    assert "Affilka answered" in outcome and "Fetch is available after" in outcome
    assert "fetched" not in outcome.lower()
    assert any("nothing is asked until the pause is over" in m.value for m in at.markdown)


def test_a_host_that_does_not_answer_is_said_tried_never_answered(home, monkeypatch):
    port = free_port()  # nothing listens there
    monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", f"127.0.0.1:{port}")
    at = paste_and_fetch(home, GUIDE_URL.replace("https://primetime.partners", f"http://127.0.0.1:{port}"))
    (outcome,) = [w.value for w in at.warning if w.value.startswith("**Could not verify now:")]
    assert re.search(r"\(tried \d\d:\d\d UTC, just now\)", outcome) and "answered" not in outcome


def test_after_a_failed_fetch_performance_and_data_say_it_failed_and_why(home, mock):
    with mock() as server:
        at = paste_and_fetch(home, server.report_url(token="e" * 32))
    for page in (PERFORMANCE, DATA):
        at = open_page(at, page)
        (failed,) = [e.value for e in at.error if "The last fetch failed" in e.value]
        assert "token expired or invalid" in failed and "Fix step 7" in failed
        assert "No report is loaded yet" not in texts(at)
        (back,) = [
            link.proto for link in at.get("page_link") if link.label.startswith("Back to the URL check")
        ]
        assert back.page == ""  # the URL check is the default page, served at the app's root


def test_the_batch_intro_says_nothing_is_sent_to_affilka_unless_asked(home):
    at = open_page(home, BATCH)
    intro = at.info[0].value
    assert "Nothing leaves this browser session" not in intro
    assert "nothing is sent to Affilka unless you choose to fetch" in intro


def test_a_batch_fix_says_where_the_suggested_url_is(home):
    double_encoded = GUIDE_URL.replace("%5B%5D", "%255B%255D")  # its fix points at the suggested URL
    at = paste(open_page(home, BATCH), f"Casino Alpha, {double_encoded}", key="batch_input")
    fix = at.dataframe[0].value.loc[0, "fix"]
    assert "below" not in fix and "open the offer on the URL check page" in fix


def test_an_offer_opened_from_a_batch_fetch_carries_its_report(home, mock):
    with mock(days=10, campaigns=3) as server:
        at = paste(open_page(home, BATCH), f"Casino Alpha, {server.report_url()}", key="batch_input")
        at.checkbox(key="batch_want_fetch").check().run()
        at = click(at, "Fetch 1 report")
        asked = server.report_requests
        at.button(key="batch_open").click().run()
        at = checked(at.switch_page(URL_CHECK).run())
        assert any(s.value.startswith("Fetched 1 page: 30 rows") for s in at.success)
        at = open_page(at, PERFORMANCE)
        assert server.report_requests == asked  # carried, not fetched again
    assert loaded(at).source == "live" and len(report_of(at).frame) == 30
    assert TOKEN not in texts(at)


def test_batch_counters_count_each_offer_by_its_fetch_once_fetched(home, mock):
    with mock(days=10, campaigns=3) as server:
        text = f"good, {server.report_url()}\nexpired, {server.report_url(token='e' * 32)}"
        at = paste(open_page(home, BATCH), text, key="batch_input")
        before = {m.label: m.value for m in at.metric}
        at.checkbox(key="batch_want_fetch").check().run()
        at = click(at, "Fetch 2 reports")
    after = {m.label: m.value for m in at.metric}
    assert before["❌ Not usable yet"] == "0" and after["❌ Not usable yet"] == "1"
    assert any(c.value == "2 of 2 fetched." for c in at.caption)


def test_the_empty_report_scenario_offers_no_performance_to_see(home):
    at = checked(home.selectbox(key="scenario_pick").select("empty_report").run())
    assert not [link for link in at.get("page_link") if "performance" in link.proto.label.lower()]
    assert any("no performance to see" in c.value for c in at.caption)


def test_a_saved_file_cut_short_says_save_it_again_not_fetch_again(home):
    body = demo_report(5)
    at = checked(
        home.file_uploader(key="report_file")
        .set_value(("report.json", body[: len(body) // 2], "application/json"))
        .run()
    )
    assert "The saved file ends mid-way" in at.error[0].value
    what = [w.value for w in [*at.error, *at.warning] if w.value.startswith("**What to do:**")]
    assert what and "Save the JSON tab again (Ctrl+S" in what[0] and "fetch again" not in what[0].lower()


def test_a_masked_token_is_said_on_the_page_and_the_suggestion_asks_for_the_real_one(home):
    at = paste(home, GUIDE_URL.replace(TOKEN, MASK))
    assert any("This token is masked" in m.value for m in at.markdown)
    assert any("It still needs the real token" in m.value for m in at.markdown)
    assert not any("Turn on **Show token**" in m.value for m in at.markdown)


def test_the_fetch_forms_caption_names_the_urls_dates_without_promising_them_before_the_click(home):
    # Inside the form a picked preset reaches the page only with the click, so the caption cannot follow
    # it: it says what the URL holds and when another range takes over.
    at = click(paste(home, GUIDE_URL), "Check URL")
    (caption,) = [c.value for c in at.caption if "own dates" in c.value]
    assert caption.startswith("The URL's own dates: 2026-04-01 → 2026-04-21.")
    assert "from the click on Fetch" in caption and not caption.startswith("Fetches")
