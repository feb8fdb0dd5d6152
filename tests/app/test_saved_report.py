"""Opening a saved report file (the JSON tab saved to disk) on the URL check page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import requests
from streamlit.testing.v1 import AppTest

from affilka_mock.mock_server import MockAffilka
from app_pages._ui.routes import DATA, PERFORMANCE
from tests.app.driver import checked, loaded, open_page, paste, report_of
from tests.support import GUIDE_URL, TOKEN

SIGN_IN_PAGE = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Log in</body></html>"


@pytest.fixture(scope="module")
def saved_report() -> Iterator[bytes]:
    """The JSON tab of a 10-day, 3-campaign report, as the affiliate's browser would save it."""
    with MockAffilka(token=TOKEN, days=10, campaigns=3, end_date=dt.date(2026, 4, 21)) as server:
        yield requests.get(server.report_url(), timeout=10).content


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="report_file").set_value((name, data, "application/json")).run()
    return checked(at)


def test_saved_report_loads_like_a_fetched_one_labelled_as_a_file(home, saved_report):
    at = upload(home, "report.json", saved_report)
    report = report_of(at)
    assert (report.source, report.label, len(report.frame)) == ("file", "report.json", 30)
    assert loaded(at).source == "file" and loaded(at).url_key is None
    assert "Saved report loaded" in at.success[0].value
    assert any("📄 Saved file" in m.value for m in at.sidebar.markdown)


def test_without_a_url_the_page_shows_what_the_file_says(home, saved_report):
    at = upload(home, "report.json", saved_report)
    assert any(m.value == "What the data says" for m in at.subheader)
    assert any("The report has data" in m.value for m in at.markdown)


def test_performance_works_on_a_saved_report(home, saved_report):
    at = open_page(upload(home, "report.json", saved_report), PERFORMANCE)
    assert at.caption[0].value.startswith("📄 Saved file · report.json")
    assert {m.label for m in at.metric} >= {"Visits", "Partner income", "EPC"}


def test_data_page_works_on_a_saved_report(home, saved_report):
    at = open_page(upload(home, "report.json", saved_report), DATA)
    assert len(at.dataframe[0].value) == 30


def test_html_saved_instead_of_the_json_shows_the_failing_check_and_its_fix(home):
    at = upload(home, "report.json", SIGN_IN_PAGE)
    assert (
        "report.json is not a readable Affilka report: The answer is not a JSON report" in at.error[0].value
    )
    assert "It was not loaded, and no report is loaded." in at.error[0].value
    assert any("What to do" in e.value and "Export report → JSON" in e.value for e in at.error)
    assert "report" not in at.session_state


def test_unreadable_file_keeps_the_pasted_url_and_the_loaded_report(home, saved_report):
    at = paste(home, GUIDE_URL)
    upload(at, "good.json", saved_report)
    upload(at, "bad.json", b"{not json")
    assert at.session_state["url_text"] == GUIDE_URL
    assert report_of(at).label == "good.json"
    assert "not a readable Affilka report" in at.error[0].value


def test_removing_the_file_clears_its_error(home):
    at = upload(home, "bad.json", SIGN_IN_PAGE)
    at.file_uploader(key="report_file").clear().run()
    assert not at.exception and not at.error


def test_bad_file_after_a_good_one_says_which_report_is_still_loaded(home, saved_report):
    at = upload(upload(home, "good.json", saved_report), "bad.json", b"{not json")
    error = at.error[0].value
    assert "bad.json is not a readable Affilka report" in error
    assert "It was not loaded; the report loaded before, **good.json**, is still the one shown." in error
    assert "Nothing was loaded" not in error
    assert "Saved report loaded:** good.json" in at.success[0].value


def test_removing_the_file_unloads_its_report(home, saved_report):
    at = upload(home, "report.json", saved_report)
    at.file_uploader(key="report_file").clear().run()
    assert not at.exception
    assert report_of(at) is None
    assert not at.success and "Paste a URL above" in at.info[0].value
    assert any("No report loaded." in c.value for c in at.sidebar.caption)
