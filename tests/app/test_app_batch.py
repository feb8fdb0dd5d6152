"""The Batch check page, driven through AppTest: paste, upload, filter, fetch, download."""

from __future__ import annotations

import datetime as dt

import pytest
import streamlit as st
from streamlit.runtime.memory_media_file_storage import _calculate_file_id
from streamlit.testing.v1 import AppTest

from affilka_core import batch
from affilka_mock.mock_server import MockAffilka
from tests.support import APP, GUIDE_URL, TOKEN, without_param

PAGE = "pages/3_Batch_check.py"
NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")
MIXED = f"# April offers\nCasino Alpha, {GUIDE_URL}\nCasino Beta, {NO_CAMPAIGN}\n\nthanks, here it is\n"


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    st.cache_data.clear()


def batch_page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def paste(at: AppTest, text: str) -> AppTest:
    at.text_area(key="batch_input").input(text).run()
    assert not at.exception, at.exception
    return at


def table(at: AppTest):
    return at.dataframe[0].value


def test_empty_page_invites_a_paste_or_upload():
    at = batch_page()
    assert "Paste URLs above or upload a CSV" in at.info[0].value
    assert not at.dataframe


def test_pasted_urls_give_one_row_per_offer_with_a_column_per_step():
    shown = table(paste(batch_page(), MIXED))
    assert shown["name"].tolist() == ["Casino Alpha", "Casino Beta", ""]
    assert shown["line"].tolist() == [2, 3, 5]
    assert shown.loc[1, "Step 3"] == "❌" and shown.loc[0, "Step 3"] == "✅"
    assert shown.loc[2, "problem"] == "Not a report URL"
    assert "toggle Campaign ON" in shown.loc[1, "fix"]


def test_counts_say_how_many_are_ready_usable_and_failing():
    at = paste(batch_page(), MIXED)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Offers"] == "3"
    assert (metrics["⚠️ Usable, to look at"], metrics["❌ Not usable yet"]) == ("1", "2")


def test_tokens_are_masked_in_the_table_and_the_paste_box():
    at = paste(batch_page(), MIXED)
    shown = table(at)
    assert shown.loc[0, "token"] == "b7e3…5678"
    assert TOKEN not in shown.to_csv()
    assert TOKEN not in at.text_area(key="batch_input").value
    assert at.session_state["batch_text"].count(TOKEN) == 2  # kept in memory for a fetch


def test_filter_shows_only_failing_offers():
    at = paste(batch_page(), MIXED)
    at.toggle(key="batch_failing_only").set_value(True).run()
    assert table(at)["line"].tolist() == [3, 5]


def test_download_is_the_shown_rows_as_csv_with_tokens_masked():
    at = paste(batch_page(), MIXED)
    at.toggle(key="batch_failing_only").set_value(True).run()
    download = next(d for d in at.get("download_button") if d.proto.label == "Download these rows as CSV")
    expected = batch.batch_csv(batch.failing(batch.check_batch(batch.parse_batch_text(MIXED))))
    assert TOKEN not in expected.decode("utf-8-sig") and "b7e3…5678" in expected.decode("utf-8-sig")
    # The page serves exactly these bytes: Streamlit names a download by a hash of its content.
    file_id = _calculate_file_id(expected, "text/csv", "affilka-batch-check.csv")
    assert download.proto.url.endswith(f"/{file_id}.csv")


def test_uploaded_csv_is_checked_instead_of_the_pasted_list():
    at = paste(batch_page(), f"{GUIDE_URL}\n")
    data = f"\ufeffname;url\nAlpha;{GUIDE_URL}\nBeta;{NO_CAMPAIGN}\n".encode()
    at.file_uploader(key="batch_file").set_value(("offers.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    assert table(at)["name"].tolist() == ["Alpha", "Beta"]
    assert "offers.csv" in at.info[0].value and "pasted list is kept" in at.info[0].value


def test_unreadable_upload_says_how_to_save_a_csv():
    at = batch_page()
    at.file_uploader(key="batch_file").set_value(
        ("offers.csv", b"PK\x03\x04\x00\x00binary", "text/csv")
    ).run()
    assert not at.exception
    assert "offers.csv could not be read" in at.error[0].value
    assert "CSV (UTF-8)" in at.error[0].value


def test_one_offer_in_detail_shows_its_checklist():
    at = paste(batch_page(), MIXED)
    at.selectbox(key="batch_detail").select_index(1).run()
    step3 = next(m.value for m in at.markdown if m.value.startswith("#### ") and "Step 3 ·" in m.value)
    assert step3.startswith("#### ❌")


def test_opening_an_offer_on_the_url_check_page_carries_its_url():
    at = paste(batch_page(), MIXED)
    at.selectbox(key="batch_detail").select_index(1).run()
    at.button(key="batch_open").click().run()
    assert not at.exception
    assert at.session_state["url_text"] == NO_CAMPAIGN
    assert TOKEN not in at.text_area(key="url_input").value


def test_fetching_every_offer_adds_the_fetch_and_data_checks(monkeypatch):
    with MockAffilka(token=TOKEN, days=10, campaigns=3, end_date=dt.date(2026, 4, 21)) as server:
        monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", server.host_port)
        at = paste(batch_page(), f"good, {server.report_url()}\nexpired, {server.report_url(token='e' * 32)}")
        at.checkbox(key="batch_want_fetch").check().run()
        next(b for b in at.button if b.label == "Fetch 2 reports").click().run()
        assert not at.exception, at.exception
    shown = table(at)
    assert shown["rows"].tolist()[0] == 30
    assert shown.loc[0, "Step 4"] == "✅"  # one brand in the data confirms the filter
    assert shown.loc[1, "Step 7"] == "❌" and shown.loc[1, "problem"] == "Token expired or invalid"
    assert any("2 of 2 fetched" in c.value for c in at.caption)
    assert TOKEN not in shown.to_csv()
