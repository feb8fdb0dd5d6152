"""The URL check page (the app's default page): paste a URL, read its checklist, keep the token masked."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.app.driver import click, paste, step_header, step_headers, texts
from tests.support import GUIDE_URL, TOKEN, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")


def test_empty_page_invites_a_paste(home):
    assert "Paste a URL above" in home.info[0].value


def test_guide_url_shows_all_seven_steps_passing_but_brand(home):
    at = paste(home, GUIDE_URL)
    headers = step_headers(at)
    assert len(headers) == 7
    for header in headers:
        assert header.startswith("#### ⚠️" if "Step 4" in header else "#### ✅"), header
    assert not at.error


def test_guide_url_is_usable_with_one_thing_to_look_at(home):
    at = paste(home, GUIDE_URL)
    assert at.warning[0].value == "**Usable.** 1 thing to look at below."


def test_token_is_masked_everywhere_on_the_page(home):
    text = texts(paste(home, GUIDE_URL))
    assert "b7e3…5678" in text
    assert TOKEN not in text


def test_token_never_reaches_the_query_string(home):
    at = paste(home, GUIDE_URL)
    assert TOKEN not in str(dict(at.query_params))


def test_show_token_reveals_it_only_on_request(home):
    at = paste(home, GUIDE_URL)
    at.toggle(key="reveal_token").set_value(True).run()
    assert at.text_area(key="url_input").value == GUIDE_URL
    at.toggle(key="reveal_token").set_value(False).run()
    assert TOKEN not in at.text_area(key="url_input").value


def test_editing_the_masked_url_keeps_the_real_token(home):
    at = paste(home, GUIDE_URL.replace("period=custom", "period=today"))
    masked = at.text_area(key="url_input").value
    at = paste(at, masked.replace("period=today", "period=custom"))
    assert at.session_state["url_text"] == GUIDE_URL
    assert not at.error


def test_broken_url_says_not_usable_yet_and_which_step_to_fix(home):
    at = paste(home, NO_CAMPAIGN)
    assert at.error[0].value == (
        "**Not usable yet: 1 thing to fix** (step 3). Start with the first ❌ below."
    )


def test_broken_url_shows_the_failing_step_and_its_fix(home):
    at = paste(home, NO_CAMPAIGN)
    assert step_header(at, 3).startswith("#### ❌")
    fixes = [e.value for e in at.error if "What to do" in e.value]
    assert any("toggle Campaign ON" in f for f in fixes)


def test_broken_url_gets_a_suggested_url_with_the_token_masked(home):
    at = paste(home, NO_CAMPAIGN)
    assert at.code and "group_by%5B%5D=campaign" in at.code[0].value
    assert TOKEN not in texts(at)


def test_the_suggestion_is_introduced_by_what_it_changes_only(home):
    at = paste(home, GUIDE_URL.replace("page=1", "page=3"))
    line = next(m.value for m in at.markdown if "Show token" in m.value)
    assert line.startswith("`page set to 1`.") and "columns" not in line


def test_using_the_suggested_url_fixes_the_checklist(home):
    at = paste(home, GUIDE_URL.replace("page=1", "page=3"))
    click(at, "Use the suggested URL")
    assert at.session_state["url_text"] == GUIDE_URL
    assert not at.error


def test_clear_forgets_the_url(home):
    at = click(paste(home, GUIDE_URL), "Clear")
    assert at.session_state["url_text"] == ""
    assert "Paste a URL above" in at.info[0].value


def test_text_that_is_not_a_url_says_what_to_do(home):
    at = paste(home, "thanks, here it is")
    assert "Not usable yet" in at.error[0].value
    assert any("JSON tab" in e.value for e in at.error)


def test_text_from_the_url_cannot_smuggle_markdown_into_the_page(home):
    sneaky = GUIDE_URL.replace(
        "&name=", "&columns%5B%5D=%21%5Bx%5D%28https%3A%2F%2Fevil.example%2Fx.png%29&name="
    )
    at = paste(home, sneaky)
    line = next(m.value for m in at.markdown if "Affilka does not know" in m.value)
    assert "!\\[x\\](`https://evil.example/x.png`)" in line and "![x](" not in line


def test_the_ticket_summary_is_offered_with_the_token_masked(home):
    at = paste(home, GUIDE_URL)
    ticket = next(c.value for c in at.code if c.language == "markdown")
    assert "b7e3…5678" in ticket and TOKEN not in ticket
    assert any(d.proto.label == "Download as Markdown" for d in at.get("download_button"))


@pytest.mark.parametrize(
    "url",
    [
        GUIDE_URL,
        NO_CAMPAIGN.replace("period=custom", "period=today"),
        GUIDE_URL.replace("%5B%5D", "%255B%255D").replace("page=1", "page=2"),
    ],  # text that is not a URL gets one message instead of steps (test_url_check_messages.py)
)
def test_the_page_and_the_cli_give_the_same_verdicts(home, url):
    proc = subprocess.run(
        [sys.executable, "-m", "affilka_core", "check", url, "--json"], capture_output=True, timeout=60
    )
    cli = json.loads(proc.stdout)
    icons = {"pass": "✅", "warn": "⚠️", "fail": "❌"}
    rank = {"pass": 0, "warn": 1, "fail": 2}
    expected: dict[int, str] = {}
    for c in cli["checks"]:
        if c["step"] not in expected or rank[c["status"]] > rank[expected[c["step"]]]:
            expected[c["step"]] = c["status"]
    at = paste(home, url)
    for step, status in expected.items():
        assert step_header(at, step).startswith(f"#### {icons[status]}"), step
    says_not_usable = any("Not usable yet" in e.value for e in at.error)
    assert says_not_usable == (not cli["ok"])


def test_the_ticket_carries_the_brand_and_offer_typed_in_and_the_masked_suggested_url(home):
    at = paste(home, NO_CAMPAIGN)
    at.text_input(key="ticket_brand").input("Casino Alpha").run()
    at.text_input(key="ticket_offer").input("Alpha CPA 2026").run()
    ticket = next(c.value for c in at.code if c.language == "markdown")
    assert "- **Affilka brand:** Casino Alpha" in ticket
    assert "- **CasinoFlux Offer:** Alpha CPA 2026" in ticket
    suggested = next(line for line in ticket.splitlines() if line.startswith("- **Suggested URL:**"))
    assert "group_by%5B%5D=campaign" in suggested and "b7e3…5678" in suggested and TOKEN not in ticket


def test_a_masked_token_is_never_fetched_and_the_fetch_panel_says_why(home, mock):
    with mock(days=5, campaigns=2) as server:
        at = paste(home, server.report_url().replace(TOKEN, f"{TOKEN[:4]}…{TOKEN[-4:]}"))
        assert not any(b.label == "Fetch report" for b in at.button)
        assert any("Not fetched: this token is masked" in i.value for i in at.info)
        assert server.report_requests == 0


def test_a_url_cut_inside_its_token_offers_no_suggestion_to_use_and_says_the_token_is_incomplete(home):
    at = paste(home, GUIDE_URL.split("&token=")[0] + "&token=0123456789abcd")
    assert not any(b.label == "Use the suggested URL" for b in at.button)
    assert any("token is incomplete" in m.value for m in at.markdown)
    assert not any("Show token" in m.value for m in at.markdown)


def test_a_suggestion_that_would_change_nothing_says_so_and_offers_no_url_to_use(home):
    at = paste(home, GUIDE_URL.replace(TOKEN, "b7e3…5678"))
    assert any("Nothing in the URL itself needs changing" in m.value for m in at.markdown)
    assert not any("Affilka's order" in m.value for m in at.markdown)
    assert not any(b.label == "Use the suggested URL" for b in at.button)


def test_two_urls_pasted_whose_first_is_right_offer_nothing_to_reveal_or_copy(home):
    at = paste(home, f"{GUIDE_URL}\n{GUIDE_URL.replace('period=custom', 'period=month')}")
    (said,) = [m.value for m in at.markdown if "Nothing in the URL itself needs changing" in m.value]
    assert "Show token" not in said
    assert not any(b.label == "Use the suggested URL" for b in at.button)


def test_with_the_token_shown_the_suggestion_no_longer_asks_to_show_it(home):
    at = paste(home, GUIDE_URL.replace("&token=", "&Token="))
    assert any("Turn on **Show token**" in m.value for m in at.markdown)
    at.toggle(key="reveal_token").set_value(True).run()
    assert not any("Turn on **Show token**" in m.value for m in at.markdown)
    assert any(c.value == GUIDE_URL for c in at.code)  # the suggestion, token and all, to copy


def test_the_brand_filter_warning_asks_for_no_fetch_a_paste_cannot_have(home):
    at = paste(home, GUIDE_URL[: GUIDE_URL.index("&page=1") - 10])  # cut inside the token: never fetched
    assert "Fetch the report" not in texts(at)


def test_a_masked_token_in_a_url_for_another_host_is_never_filled_in_from_the_session(
    home, mock, monkeypatch
):
    with mock(days=5, campaigns=2) as good, mock(days=5, campaigns=2) as collector:
        monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", f"{good.host_port},{collector.host_port}")
        at = click(paste(home, good.report_url()), "Check URL")
        at = click(at, "Fetch report")
        assert good.report_requests == 1
        # A ticket's masked URL, its host changed to one that would collect the token.
        elsewhere = collector.report_url().replace(TOKEN, f"{TOKEN[:4]}…{TOKEN[-4:]}")
        at = click(paste(at, elsewhere), "Check URL")
        assert any("Not fetched: this token is masked" in i.value for i in at.info)
        assert not any(b.label in ("Fetch report", "Fetch again") for b in at.button)
        assert collector.report_requests == 0 and TOKEN not in at.session_state["url_text"]
