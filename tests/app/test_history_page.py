"""The History page: recent cases with filters, the Offers that broke after working, each Offer's
timeline, and one case read-only at `?case=ID` (who, when, checklist, data, insights) with a token box to
check it again live. The link carries no token; the token typed is used for that check only."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from affilka_core.history.settings import HistorySettings
from affilka_core.history.store import open_store
from app_pages._ui.routes import HISTORY
from tests.app.driver import TIMEOUT_S, checked, click, open_page, paste_and_fetch, step_headers, texts
from tests.databases import UNREACHABLE_URL
from tests.history.conftest import OTHER_HOST, make_case, refused, worked
from tests.support import APP, GUIDE_URL, TOKEN

NOV = dt.datetime(2026, 11, 3, 14, 2, tzinfo=dt.UTC)


def store_of(url: str):
    return open_store(HistorySettings(url=url, days=0))


def open_case(case_id: int | str) -> AppTest:
    """A colleague opening the case's link in a new session."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.switch_page(HISTORY)
    at.query_params["case"] = str(case_id)
    return checked(at.run())


def table(at: AppTest):
    return at.dataframe[0].value


@pytest.fixture
def recent(sqlite_history):
    """A working Offer that broke a day later (token refused), and another host's Offer."""
    store = store_of(sqlite_history)
    now = dt.datetime.now(dt.UTC)
    ok = worked(make_case(GUIDE_URL, at=now - dt.timedelta(days=2), user="ana@casinoflux.example"))
    return {
        "ok": store.record(ok),
        "broke": store.record(refused(dataclasses.replace(ok, at=now - dt.timedelta(days=1)))),
        "other": store.record(make_case(OTHER_HOST, at=now, user="ben@casinoflux.example", source="cli")),
    }


# --- the list ------------------------------------------------------------------------------------


def test_recent_cases_are_listed_newest_first_with_their_verdict_and_what_failed(recent, home):
    at = open_page(home, HISTORY)
    shown = table(at)
    assert shown["case"].tolist() == [recent["other"], recent["broke"], recent["ok"]]
    assert shown["verdict"].tolist()[1] == "❌ Not usable yet"
    assert shown["what failed"].tolist()[1] == "Token expired or invalid"
    assert shown["from"].tolist() == ["the command line", "the app", "the app"]


def test_the_filters_narrow_the_cases_by_host_user_and_verdict(recent, home):
    at = open_page(home, HISTORY)
    at.selectbox(key="hist_host").select("starzpartners.com").run()
    assert table(at)["case"].tolist() == [recent["other"]]
    at.selectbox(key="hist_host").select("Any").run()
    at.selectbox(key="hist_user").select("ana@casinoflux.example").run()
    at.multiselect(key="hist_verdicts").select("fix").run()
    assert table(at)["case"].tolist() == [recent["broke"]]


def test_an_offer_that_broke_after_working_says_what_broke_and_since_when(recent, home):
    at = open_page(home, HISTORY)
    broke = store_of_case(at, recent["broke"])
    (link,) = [p for p in at.get("page_link") if p.label.startswith("primetime.partners:")]
    assert link.label == f"primetime.partners: token expired or invalid since {broke} UTC"


def store_of_case(at: AppTest, case_id: int) -> str:
    """When a case was recorded, as the page writes it."""
    return next(row["at (UTC)"] for _, row in table(at).iterrows() if row["case"] == case_id)


def test_picking_an_offer_shows_its_timeline_with_the_break_marked(recent, home):
    at = open_page(home, HISTORY)
    offer = make_case(GUIDE_URL).offer_key
    at.selectbox(key="hist_offer").select(offer).run()
    assert table(at)["case"].tolist() == [recent["broke"], recent["ok"]]
    (marker,) = [e.value for e in at.error if "Broke:" in e.value]
    assert "token expired or invalid since" in marker


def test_an_empty_history_points_to_the_url_check(sqlite_history, home):
    at = open_page(home, HISTORY)
    assert "No case yet" in at.info[0].value


def test_a_history_switched_off_says_so(home):
    at = open_page(home, HISTORY)
    assert "The history is off" in at.info[0].value


def test_an_unreachable_history_says_why_and_nothing_breaks(monkeypatch, home):
    monkeypatch.setenv("AFFILKA_HISTORY_URL", UNREACHABLE_URL)
    at = open_page(home, HISTORY)
    (warning,) = at.warning
    assert "cannot be read now" in warning.value and "secret-password" not in warning.value


# --- ?case=ID ------------------------------------------------------------------------------------


def test_a_case_link_opens_the_case_read_only_with_who_when_and_its_checklist(recent):
    at = open_case(recent["broke"])
    assert at.title[0].value == f"🗄️ Case {recent['broke']}"
    # The address is escaped so no renderer turns it into a mail link.
    assert "Checked by **ana\\@casinoflux.example**" in at.markdown[0].value
    assert "from the app" in at.markdown[0].value
    assert len(step_headers(at)) == 7
    assert any(m.value == "❌ **Token expired or invalid**" for m in at.markdown)
    assert any(c.value.endswith(f"/history?case={recent['broke']}") for c in at.code)
    assert not at.text_area and [t.key for t in at.text_input] == ["case_token"]  # only the token box


def test_a_case_shows_the_data_summary_of_its_fetch(sqlite_history, home, mock):
    with mock(days=5, campaigns=2) as server:
        paste_and_fetch(home, server.report_url())
    (case,) = store_of(sqlite_history).recent()
    at = open_case(case.id)
    assert {m.label: m.value for m in at.metric}["Rows"] == "10"
    assert TOKEN not in texts(at)


def test_a_case_shows_what_stood_out_then(sqlite_history):
    finding = {
        "id": "stopped_converting",
        "severity": "high",
        "title": "Spring banners stopped converting",
        "detail": "No first deposit for 9 days after 41 the 9 days before.",
        "campaign": "Spring banners",
        "date_from": "2026-04-13",
        "date_to": "2026-04-21",
    }
    case = dataclasses.replace(worked(make_case(GUIDE_URL)), insights=(finding,))
    at = open_case(store_of(sqlite_history).record(case))
    assert any(h.value == "What stood out" for h in at.subheader)
    (line,) = [m.value for m in at.markdown if "stopped converting" in m.value]
    assert line.startswith("🔴 **Spring banners stopped converting** — No first deposit for 9 days")
    assert line.endswith("(Spring banners · 2026-04-13 → 2026-04-21)")


def test_a_case_that_does_not_exist_says_so(sqlite_history):
    for param in ("999", "not-a-number"):
        at = open_case(param)
        assert "No case" in at.warning[0].value and "in the history" in at.warning[0].value


def test_the_token_box_checks_the_case_again_live_and_keeps_the_token_nowhere(sqlite_history, home, mock):
    with mock(days=5, campaigns=2) as server:
        paste_and_fetch(home, server.report_url(token="e" * 32))  # a token Affilka refuses
        (refused_case,) = store_of(sqlite_history).recent()
        assert refused_case.verdict == "fix"
        at = open_case(refused_case.id)
        at.text_input(key="case_token").input(TOKEN)
        click(at, "Check again live")
    again = store_of(sqlite_history).recent()[0]
    assert (
        again.id != refused_case.id and again.verdict != "fix" and again.offer_key == refused_case.offer_key
    )
    assert any(p.label.endswith(f"open case {again.id}") for p in at.get("page_link"))
    assert at.text_input(key="case_token").value == ""  # the box is cleared
    assert TOKEN not in texts(at) + str(dict(at.query_params))
    assert not any(TOKEN in str(at.session_state[k]) for k in at.session_state)


def test_a_read_only_history_still_opens_a_case_and_checks_it_again_saying_it_was_not_kept(
    sqlite_history, monkeypatch, home, mock
):
    with mock(days=5, campaigns=2) as server:
        paste_and_fetch(home, server.report_url())
        (case,) = store_of(sqlite_history).recent()
        path = sqlite_history.removeprefix("sqlite:///")
        monkeypatch.setenv("AFFILKA_HISTORY_URL", f"sqlite:///file:{path}?mode=ro&uri=true")
        at = open_case(case.id)
        at.text_input(key="case_token").input(TOKEN)
        click(at, "Check again live")
    assert len(store_of(sqlite_history).recent()) == 1
    (note,) = [c.value for c in at.caption if "Not saved to the history" in c.value]
    assert "read-only" in note
    assert len(step_headers(at)) == 14  # the check just made, shown once, then the case's own
    assert TOKEN not in texts(at)


def test_a_case_id_too_large_for_any_database_is_no_such_case(recent):
    at = open_case("99999999999999999999999")
    assert "No case 99999999999999999999 in the history" in at.warning[0].value


def test_each_offer_of_a_host_is_named_by_what_tells_it_apart_with_its_cases(sqlite_history, home):
    store = store_of(sqlite_history)
    currencies = ("EUR", "USD", "GBP", "CAD", "NOK")
    for currency in currencies:
        store.record(
            make_case(GUIDE_URL.replace("conversion_currency=EUR", f"conversion_currency={currency}"))
        )
    at = open_page(home, HISTORY)
    options = [o for o in at.selectbox(key="hist_offer").options if o != "Any"]
    assert len(set(options)) == len(options) == 5
    assert all(
        any(f"conversion_currency={c}" in o and o.endswith("(1 case)") for o in options) for c in currencies
    )


def test_checking_a_case_again_shows_the_new_verdict_and_is_recorded_as_from_the_app(
    sqlite_history, home, mock
):
    with mock(days=5, campaigns=2) as server:
        paste_and_fetch(home, server.report_url(token="e" * 32))
        (refused_case,) = store_of(sqlite_history).recent()
        at = open_case(refused_case.id)
        at.text_input(key="case_token").input(TOKEN)
        click(at, "Check again live")
    again = store_of(sqlite_history).recent()[0]
    assert again.source == "app"  # the contract's sources: app, cli, batch
    assert at.success and "Ready for CasinoFlux" in at.success[0].value  # the verdict of the check just made
    (link,) = [p.label for p in at.get("page_link") if p.label.startswith("Checked again")]
    assert "Ready for CasinoFlux" in link and link.endswith(f"open case {again.id}")
    timeline = [p.label for p in open_case(again.id).get("page_link") if "UTC" in p.label]
    assert "the app" in timeline[0] and "URL check page" not in timeline[0]
