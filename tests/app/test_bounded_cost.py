"""The pages within their budgets: a setting out of range is said instead of any page; a Retry-After of
400 digits, dates far apart and figures that are not numbers are shown, never a traceback; a batch takes at
most its budget of URLs, checks each line once and builds its CSV only when downloaded."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from app_pages._ui.routes import BATCH, DATA, PERFORMANCE
from tests.app.driver import checked, click, open_app, open_page, paste, paste_and_fetch, plotly_specs
from tests.support import GUIDE_URL, TOKEN, overflowing_report, redated_report, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")


def test_a_setting_out_of_range_is_shown_instead_of_the_page(monkeypatch):
    monkeypatch.setenv("AFFILKA_PAGE_DEADLINE", "-5")
    at = open_app()
    # As read on screen: the Markdown escapes (AFFILKA\_PAGE…) render as the characters they escape.
    assert [e.value.replace("\\", "") for e in at.error] == [
        "**The app's environment needs fixing.** AFFILKA_PAGE_DEADLINE is '-5', out of range: give seconds "
        "from 0.1 to 3,600 (default 120). Then restart the app."
    ]
    assert not at.text_area and not at.button  # no page drawn under it


def test_a_retry_after_of_400_digits_is_could_not_verify_now_with_a_sane_wait(home, mock):
    with mock(rate_limit=50, retry_after=10**400) as server:
        at = paste_and_fetch(home, server.report_url())
    warning = next(w.value for w in at.warning if "Could not verify now" in w.value)
    assert "try again in an hour or more (Affilka asked to wait at least an hour)" in warning


def upload(at: AppTest, data: bytes, name: str = "report.json") -> AppTest:
    at.file_uploader(key="report_file").set_value((name, data, "application/json")).run()
    return checked(at)


def test_performance_and_data_show_a_report_dated_year_1_and_9999(home):
    at = open_page(upload(home, redated_report("0001-01-01", "9999-12-31")), PERFORMANCE)
    assert any(e.value.startswith("**2 rows dated outside 2000–2100.**") for e in at.error)
    assert len(plotly_specs(at)) == 4
    toggle = next(t for t in at.toggle if t.label == "Compare with the previous period")
    assert toggle.proto.disabled
    assert any("not a range an Affilka report covers" in c.value for c in at.caption)
    at = open_page(at, DATA)
    assert len(at.dataframe[0].value) == 30


def test_performance_shows_a_report_dated_year_1_alone(home):
    at = open_page(upload(home, redated_report("0001-01-01")), PERFORMANCE)
    assert len(plotly_specs(at)) == 4
    assert any("not a range an Affilka report covers" in c.value for c in at.caption)


# Summing cells of 1e308 overflows, as it should: numpy says so, and the data check names it.
@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_kpi_cards_of_sums_that_are_not_numbers_show_a_dash_with_the_reason(home):
    at = open_page(upload(home, overflowing_report(visits_count="1e308", ngr="inf")), PERFORMANCE)
    cards = {m.label: m for m in at.metric}
    assert cards["Visits"].value == "—" and cards["NGR"].value == "—" and cards["EPC"].value == "—"
    shown_help = cards["Visits"].proto.help.replace("\\", "")  # Markdown escapes render as what they escape
    assert "not a finite number: the report's visits_count cells" in shown_help
    assert cards["Registrations"].value != "—"
    assert any(e.value.startswith("**2 metrics not a finite number.**") for e in at.error)


# --- Batch check ------------------------------------------------------------------------------------------

OFFERS = "\n".join(f"Offer {n}, {GUIDE_URL.replace('name=', f'name=offer{n}')}" for n in range(4))


def test_a_list_longer_than_a_batch_takes_is_refused_saying_the_limit(home, monkeypatch):
    monkeypatch.setenv("AFFILKA_MAX_BATCH_URLS", "3")
    at = paste(open_page(home, BATCH), OFFERS, key="batch_input")
    assert [e.value.replace("\\", "") for e in at.error] == [  # as read on screen
        "**4 lines, more than the 3 URLs one batch checks (AFFILKA_MAX_BATCH_URLS): split the list and "
        "check each part.**"
    ]
    assert not at.dataframe and not at.metric
    assert at.session_state["batch_text"].count(TOKEN) == 4  # nothing the user pasted is lost


def test_a_rerun_that_only_changes_the_filter_checks_nothing_again(home):
    at = paste(open_page(home, BATCH), OFFERS + "\nthanks, here it is", key="batch_input")
    view = at.session_state["batch_view"]
    at.toggle(key="batch_failing_only").set_value(True).run()
    assert at.session_state["batch_view"] is view  # the same rows, table and counters: nothing redone
    assert at.dataframe[0].value["line"].tolist() == [5]
    at.toggle(key="batch_failing_only").set_value(False).run()
    assert at.session_state["batch_view"] is view and len(at.dataframe[0].value) == 5


def test_editing_the_list_checks_only_its_new_lines(home):
    at = paste(open_page(home, BATCH), OFFERS, key="batch_input")
    before = dict(at.session_state["batch_checked"])
    at = paste(at, OFFERS + f"\nOffer 9, {NO_CAMPAIGN}", key="batch_input")
    after = at.session_state["batch_checked"]
    assert all(after[text] is diagnosis for text, diagnosis in before.items())
    assert len(after) == len(before) + 1


def test_the_batch_csv_is_built_only_when_downloaded(home):
    at = paste(open_page(home, BATCH), OFFERS, key="batch_input")
    download = next(d for d in at.download_button if d.proto.label == "Download these rows as CSV")
    assert download.proto.deferred_file_id


# --- A session's memory -----------------------------------------------------------------------------------


def test_the_data_pages_csv_is_built_only_when_downloaded(home):
    at = open_page(click(home, "Try with demo data"), DATA)
    download = next(d for d in at.download_button if d.proto.label == "Download these rows as CSV")
    assert download.proto.deferred_file_id  # not every row written out on every run
    at.multiselect(key="data_brands").set_value(["Casino Alpha"]).run()
    assert len(at.dataframe[0].value) == 90 * 14  # filtered from the report itself, nothing cached
