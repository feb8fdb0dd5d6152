"""The Batch check page after a fetch in which Affilka did not answer for some offers: the counters, the
caption, the table's columns, the step marks and the names of rows given without one."""

from __future__ import annotations

from contextlib import ExitStack

import pytest
from streamlit.testing.v1 import AppTest

from app_pages._ui.routes import BATCH
from tests.app.driver import click, open_page, paste
from tests.support import GUIDE_URL, TOKEN

COUNTERS = ["✅ Ready", "⚠️ Usable, to look at", "❌ Not usable yet", "⏳ Could not verify now"]


@pytest.fixture
def servers(mock, monkeypatch):
    """A healthy mock Affilka, one rate-limiting every request (429) and one failing every request
    (503), all reachable from the app."""
    with ExitStack() as stack:
        good = stack.enter_context(mock(days=5, campaigns=2))
        limited = stack.enter_context(mock(days=5, campaigns=2, rate_limit=1000, retry_after=0))
        # Retry-After 0 on both: each retry goes at once, so the page is reached in well under a second.
        failing = stack.enter_context(
            mock(days=5, campaigns=2, server_errors=1000, server_error_retry_after=0)
        )
        # Each `mock` allows only its own host; the app must reach all three.
        monkeypatch.setenv(
            "AFFILKA_ALLOW_PRIVATE_HOSTS", ",".join(s.host_port for s in (good, limited, failing))
        )
        yield good, limited, failing


def fetch_all(home: AppTest, text: str) -> AppTest:
    """Paste `text` in Batch check and fetch its URLs (a line that is not one is never fetched)."""
    at = paste(open_page(home, BATCH), text, key="batch_input")
    at.checkbox(key="batch_want_fetch").check().run()
    offers = sum("://" in line for line in text.strip().splitlines())
    return click(at, f"Fetch {offers} report{'s' if offers != 1 else ''}")


@pytest.fixture
def after_trouble(home, servers) -> AppTest:
    """Five offers fetched: one ready, one rate-limited, one unavailable, one with an expired token and
    one line that is not a URL."""
    good, limited, failing = servers
    return fetch_all(
        home,
        f"Good, {good.report_url()}\n"
        f"Limited, {limited.report_url()}\n"
        f"{failing.report_url()}\n"
        f"Expired, {good.report_url(token='e' * 32)}\n"
        "thanks, here it is\n",
    )


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_offers_affilka_did_not_answer_for_are_counted_as_could_not_verify_now(after_trouble):
    assert metrics(after_trouble)["⏳ Could not verify now"] == "2"


def test_counters_add_up_to_the_number_of_offers(after_trouble):
    shown = metrics(after_trouble)
    assert sum(int(shown[label]) for label in COUNTERS) == int(shown["Offers"]) == 5


def test_step_7_shows_an_hourglass_when_affilka_did_not_answer(after_trouble):
    table = after_trouble.dataframe[0].value
    retry = table[table["verdict"] == "Could not verify now"]
    assert retry["Step 7"].tolist() == ["⏳", "⏳"]


def test_step_7_keeps_the_cross_for_an_expired_token(after_trouble):
    table = after_trouble.dataframe[0].value
    assert table.loc[table["name"] == "Expired", "Step 7"].tolist() == ["❌"]


def test_problem_and_fix_come_right_after_the_name_and_verdict(after_trouble):
    table = after_trouble.dataframe[0].value
    assert table.columns.tolist()[:5] == ["line", "name", "verdict", "problem", "fix"]


def test_a_line_given_without_a_name_is_named_by_its_host(after_trouble, servers):
    table = after_trouble.dataframe[0].value
    assert table.loc[table["line"] == 3, "name"].tolist() == [servers[2].host_port]
    assert TOKEN not in table.to_csv()


def test_caption_says_how_many_were_fetched_without_others_when_all_were(after_trouble):
    captions = [c.value for c in after_trouble.caption]
    assert any(c.startswith("4 of 4 fetched.") for c in captions)
    assert not any("the others" in c for c in captions)


def test_caption_mentions_the_others_when_some_were_not_fetched(home, servers):
    at = fetch_all(home, f"Good, {servers[0].report_url()}")
    paste(at, f"Good, {servers[0].report_url()}\nGuide, {GUIDE_URL}", key="batch_input")
    captions = [c.value for c in at.caption]
    assert "1 of 2 fetched; the others are checked from their URL only." in captions


MASKED = f"{TOKEN[:4]}…{TOKEN[-4:]}"


def test_lines_that_are_not_urls_are_neither_counted_nor_fetched_and_are_said_not_fetched(home, servers):
    good = servers[0]
    urls = [good.report_url(extra={"name": f"offer {n}"}) for n in range(5)]
    at = paste(open_page(home, BATCH), "\n".join([*urls, "just some words here", "http://"]), "batch_input")
    at.checkbox(key="batch_want_fetch").check().run()
    assert [b.label for b in at.button if b.label.startswith("Fetch")] == ["Fetch 5 reports"]
    at = click(at, "Fetch 5 reports")
    captions = [c.value for c in at.caption]
    assert any(
        c.startswith("5 of 5 fetched. 2 lines not fetched") and "not a URL (lines 6, 7)" in c
        for c in captions
    )
    assert not any("7 fetched" in c for c in captions)
    assert sum("2 lines not fetched" in c for c in captions) == 1  # said once, with the count


def test_a_masked_token_line_is_never_fetched_and_is_one_thing_to_fix(home, servers):
    good = servers[0]
    at = paste(
        open_page(home, BATCH),
        f"Good, {good.report_url()}\nTicket, {good.report_url().replace(TOKEN, MASKED)}",
        "batch_input",
    )
    at.checkbox(key="batch_want_fetch").check().run()
    before = good.report_requests
    at = click(at, "Fetch 1 report")
    assert good.report_requests == before + 1  # the good line's one page; nothing with the mask
    table = at.dataframe[0].value
    assert table.loc[table["name"] == "Ticket", "problem"].tolist() == ["This token is masked"]
    assert any("this token is masked (line 2)" in c.value for c in at.caption)
    (row,) = [r for r in at.session_state["batch_view"].rows if r.item.name == "Ticket"]
    assert not row.fetched and row.diagnosis.verdict.fails == 1
