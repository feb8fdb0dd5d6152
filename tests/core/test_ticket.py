"""The support-ticket summary (affilka_core.ticket), the step and troubleshooting status behind it
(affilka_core.guide_status), and the home page's "Copy for a support ticket"."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from affilka_core.analysis.metrics import summarize
from affilka_core.checks.guide_status import first_problem, guide_status, trouble_status
from affilka_core.checks.model import Status
from affilka_core.checks.url_result import check_url
from affilka_core.diagnosis import diagnose_text, diagnose_url
from affilka_core.guide import STEPS
from affilka_core.load import load_demo
from affilka_core.outputs.markdown import code, md
from affilka_core.outputs.ticket import ticket_filename, ticket_markdown
from affilka_mock.mock_server import MockAffilka
from tests.support import APP, GUIDE_URL, TOKEN, diagnosis_ticket, fast_settings, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")
WHEN = dt.datetime(2026, 4, 22, 9, 30, tzinfo=dt.UTC)


def ticket_for(text: str) -> str:
    result = check_url(text)
    return ticket_markdown(
        result.checks,
        url=result.url,
        summary=None,
        generated=WHEN,
        suggested_url=result.masked_suggested(),
    )


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    st.cache_data.clear()


# --- guide_status --------------------------------------------------------------------------------


def test_guide_status_gives_all_seven_steps_in_order():
    statuses = guide_status(check_url(GUIDE_URL).checks)
    assert [s.step.number for s in statuses] == [1, 2, 3, 4, 5, 6, 7]
    assert [s.status for s in statuses] == [Status.PASS] * 3 + [Status.WARN] + [Status.PASS] * 3


def test_guide_status_of_a_step_nothing_checked_is_none():
    statuses = guide_status(load_demo(7).checks)
    assert statuses[0].status is None and statuses[1].status == Status.PASS


def test_first_problem_prefers_a_failure_over_an_earlier_warning():
    problem = first_problem(check_url(GUIDE_URL.replace("page=1", "page=2")).checks)
    assert problem is not None and problem.id == "page.first"


def test_trouble_status_links_each_entry_to_the_checks_that_detect_it():
    entries = {t.trouble.title: t for t in trouble_status(check_url(NO_CAMPAIGN).checks)}
    sync = entries["API sync fails in CasinoFlux"]
    assert sync.status == Status.FAIL
    assert [c.id for c in sync.problems] == ["group_by.required"]
    empty = dict(entries["JSON tab opens but data is empty"].detectors)
    assert empty["data.empty"] is None  # a data check: not run before a fetch


def test_a_troubleshooting_entry_is_not_cleared_before_every_check_that_detects_it_ran():
    expired = next(
        t for t in trouble_status(check_url(GUIDE_URL).checks) if t.trouble.title == "Token expired"
    )
    assert dict(expired.detectors)["token.present"] == Status.PASS
    assert expired.status is None  # the token may still be expired: only a fetch tells


def test_trouble_status_after_a_successful_fetch_clears_the_fetch_failures():
    with MockAffilka(token=TOKEN, days=5, campaigns=2) as server:
        checks = diagnose_url(server.report_url(), settings=fast_settings(server.host_port)).checks
    expired = next(t for t in trouble_status(checks) if t.trouble.title == "Token expired")
    assert expired.status == Status.PASS
    assert dict(expired.detectors)["fetch.unauthorized"] == Status.PASS


# --- ticket_markdown -----------------------------------------------------------------------------


def test_ticket_masks_the_token():
    text = ticket_for(NO_CAMPAIGN)
    assert TOKEN not in text
    assert "b7e3…5678" in text


def test_ticket_lists_every_step_even_when_all_its_checks_pass():
    text = ticket_for(GUIDE_URL)
    for step in STEPS:
        assert f"Step {step.number} · {step.name}" in text


def test_ticket_gives_the_fix_of_each_failing_item():
    text = ticket_for(NO_CAMPAIGN)
    assert "- ❌ **Step 3 · Configure Group by**" in text
    assert "Fix: In Reports → Statistics → Group by, toggle Campaign ON" in text


def test_ticket_names_host_dates_verdict_and_the_tool():
    text = ticket_for(NO_CAMPAIGN)
    assert "**Host:** primetime.partners" in text
    assert "2026-04-01 → 2026-04-21" in text
    assert "Not usable yet" in text
    assert "Affilka URL doctor checks" in text and "2026-04-22 09:30 UTC" in text


def test_ticket_says_when_nothing_was_fetched():
    assert "not fetched" in ticket_for(GUIDE_URL)


def test_ticket_includes_the_data_summary_when_a_report_was_fetched():
    report = load_demo(14, end=dt.date(2026, 4, 21))
    result = check_url(GUIDE_URL)
    text = ticket_markdown(result.checks, url=result.url, summary=summarize(report.parsed), generated=WHEN)
    assert "**Data in the report**" in text
    assert "Rows: 196" in text and "Brands: Casino Alpha" in text and "Currencies: EUR" in text
    assert "Dates: 2026-04-08 → 2026-04-21" in text
    assert "Partner income €" in text


def test_ticket_without_a_url_says_only_the_data_was_checked():
    report = load_demo(7)
    text = ticket_markdown(report.checks, url=None, summary=summarize(report.parsed), generated=WHEN)
    assert "Data checks only" in text and "Ready for CasinoFlux" not in text
    assert "Step 1 · Go to Reports → Statistics** — not checked" in text


def test_ticket_for_text_that_is_not_a_url_points_at_pasting_the_whole_url():
    text = ticket_for("thanks, here it is")
    assert "the pasted text is not a report URL" in text
    assert text.count("Fix:") == 1 and "Copy the whole URL" in text
    assert "Step 3 · Configure Group by** — not checked: the text is not a URL" in text


def test_ticket_file_name_carries_host_and_date_not_the_token():
    assert ticket_filename(check_url(GUIDE_URL).url, WHEN) == "affilka-check-primetime.partners-2026-04-22.md"


# --- the home page -------------------------------------------------------------------------------


def home_with(url: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.text_area(key="url_input").input(url).run()
    assert not at.exception, at.exception
    return at


def ticket_block(at: AppTest) -> str:
    expander = next(e for e in at.expander if e.label == "📋 Copy for a support ticket")
    (code,) = expander.code
    assert code.language == "markdown"
    return code.value


def test_home_page_offers_the_summary_as_markdown_to_copy_and_download():
    at = home_with(NO_CAMPAIGN)
    text = ticket_block(at)
    assert "toggle Campaign ON" in text and TOKEN not in text
    download = next(d for d in at.get("download_button") if d.proto.label == "Download as Markdown")
    assert download.proto.url.endswith(".md")


def test_home_page_summary_carries_the_data_after_a_fetch(monkeypatch):
    with MockAffilka(token=TOKEN, days=10, campaigns=3, end_date=dt.date(2026, 4, 21)) as server:
        monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", server.host_port)
        at = home_with(server.report_url())
        next(b for b in at.button if b.label == "Fetch report").click().run()
    text = ticket_block(at)
    assert "Rows: 30" in text and "Brands: Casino Alpha" in text
    assert "✅ **Step 4 · Set the brand filter**" in text
    assert TOKEN not in text


# --- escaping ------------------------------------------------------------------------------------

SNEAKY_COLUMN = "%21%5Bx%5D%28https%3A%2F%2Fevil.example%2Fp.png%29"  # ![x](https://evil.example/p.png)


def test_a_column_name_cannot_become_an_image_or_a_link_in_the_ticket():
    text = ticket_for(GUIDE_URL.replace("&name=", f"&columns%5B%5D={SNEAKY_COLUMN}&name="))
    assert "1 column name Affilka does not know" in text
    assert "!\\[x\\](`https://evil.example/p.png`)" in text
    assert "![x](" not in text and "](https://evil" not in text


def test_brands_and_currencies_from_the_report_are_escaped():
    report = load_demo(7, end=dt.date(2026, 4, 21))
    summary = {**summarize(report.parsed), "brands": ["Casino_Royale *VIP*"], "currencies": ["[EUR](x)"]}
    result = check_url(GUIDE_URL)
    text = ticket_markdown(result.checks, url=result.url, summary=summary, generated=WHEN)
    assert "Brands: Casino\\_Royale \\*VIP\\*" in text
    assert "Currencies: \\[EUR\\](x)" in text


def test_titles_and_fixes_are_escaped_text_inside_our_own_markdown():
    text = ticket_for(without_param(NO_CAMPAIGN, "convert_all_currencies=true"))
    assert "**Step 3 · Configure Group by**" in text and "Fix: In Reports → Statistics" in text
    assert "convert\\_all\\_currencies=true\\&conversion\\_currency=EUR" in text


def test_a_conversion_currency_shows_as_written_in_the_title_of_its_check():
    image = "%21%5Bx%5D%28https%3A%2F%2Fevil.example%2Fp.png%29"  # ![x](https://evil.example/p.png)
    result = check_url(GUIDE_URL.replace("conversion_currency=EUR", f"conversion_currency={image}"))
    line = md("{}", result.by_id("currency.conversion").title)
    assert line == "Money converted to !\\[x\\](`https://evil.example/p.png`)"


def test_the_url_is_a_code_span_that_no_backtick_in_it_can_close():
    text = ticket_for(GUIDE_URL.replace("&name=", "&name=a`b``c&"))
    (line,) = [ln for ln in text.splitlines() if ln.startswith("- **URL:**")]
    span = line.removeprefix("- **URL:** ")
    fence = span[: len(span) - len(span.lstrip("`"))]
    assert fence and span.endswith(fence) and fence not in span[len(fence) : -len(fence)]


@pytest.mark.parametrize(
    ("text", "span"),
    [("plain", "`plain`"), ("a`b``c", "```a`b``c```"), ("`tick", "`` `tick ``")],
)
def test_code_span_fence_is_longer_than_any_backtick_run_inside(text, span):
    assert code(text) == span


def test_the_ticket_of_pasted_text_diagnosed_is_that_of_its_url_check():
    assert diagnosis_ticket(diagnose_text(NO_CAMPAIGN), WHEN) == ticket_for(NO_CAMPAIGN)


# --- brand, Offer and the suggested URL ----------------------------------------------------------


def test_ticket_names_the_affilka_brand_and_the_casinoflux_offer_escaped():
    result = check_url(GUIDE_URL)
    text = ticket_markdown(
        result.checks, url=result.url, summary=None, generated=WHEN, brand="Casino *Alpha*", offer="EU [CPA]"
    )
    assert r"- **Affilka brand:** Casino \*Alpha\*" in text
    assert r"- **CasinoFlux Offer:** EU \[CPA\]" in text


def test_ticket_leaves_out_brand_and_offer_when_not_given():
    text = ticket_for(GUIDE_URL)
    assert "Affilka brand" not in text and "CasinoFlux Offer" not in text


def test_ticket_carries_the_masked_suggested_url_when_it_differs():
    text = diagnosis_ticket(diagnose_text(NO_CAMPAIGN), WHEN)
    (line,) = [ln for ln in text.splitlines() if ln.startswith("- **Suggested URL:**")]
    assert "group_by%5B%5D=campaign" in line and "b7e3…5678" in line and TOKEN not in text


def test_ticket_of_a_url_needing_no_change_has_no_suggested_url_line():
    assert "Suggested URL" not in diagnosis_ticket(diagnose_text(GUIDE_URL), WHEN)


def test_troubleshooting_of_text_that_is_not_a_url_has_not_run():
    for entry in trouble_status(check_url("please fix my affilka").checks):
        assert all(status is None for _, status in entry.detectors), entry.trouble.title
