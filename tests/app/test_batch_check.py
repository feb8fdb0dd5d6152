"""The Batch check page: paste or upload many offers' URLs, filter, fetch, download, open one in detail."""

from __future__ import annotations

import csv
import io

from streamlit.testing.v1 import AppTest

from affilka_core import batch
from app_pages._ui.routes import BATCH
from tests.app.driver import click, open_page, paste, step_header
from tests.support import GUIDE_URL, TOKEN, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")
MIXED = f"# April offers\nCasino Alpha, {GUIDE_URL}\nCasino Beta, {NO_CAMPAIGN}\n\nthanks, here it is\n"


def batch_page(home: AppTest, text: str | None = None) -> AppTest:
    at = open_page(home, BATCH)
    return paste(at, text, key="batch_input") if text is not None else at


def table(at: AppTest):
    return at.dataframe[0].value


def test_empty_page_invites_a_paste_or_upload(home):
    at = batch_page(home)
    assert "Paste URLs above or upload a CSV" in at.info[0].value
    assert not at.dataframe


def test_pasted_urls_give_one_row_per_offer_with_a_column_per_step(home):
    shown = table(batch_page(home, MIXED))
    assert shown["name"].tolist() == ["Casino Alpha", "Casino Beta", "(not a URL)"]
    assert shown["line"].tolist() == [2, 3, 5]
    assert shown.loc[1, "Step 3"] == "❌" and shown.loc[0, "Step 3"] == "✅"
    assert shown.loc[2, "problem"] == "Not a report URL"
    assert "toggle Campaign ON" in shown.loc[1, "fix"]


def test_counts_say_how_many_are_ready_usable_and_failing(home):
    at = batch_page(home, MIXED)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Offers"] == "3"
    assert (metrics["⚠️ Usable, to look at"], metrics["❌ Not usable yet"]) == ("1", "2")


def test_tokens_are_masked_in_the_table_and_the_paste_box(home):
    at = batch_page(home, MIXED)
    shown = table(at)
    assert shown.loc[0, "token"] == "b7e3…5678"
    assert TOKEN not in shown.to_csv()
    assert TOKEN not in at.text_area(key="batch_input").value
    assert at.session_state["batch_text"].count(TOKEN) == 2  # kept in memory for a fetch


def test_filter_shows_only_failing_offers(home):
    at = batch_page(home, MIXED)
    at.toggle(key="batch_failing_only").set_value(True).run()
    assert table(at)["line"].tolist() == [3, 5]


def test_the_shown_rows_are_offered_for_download(home):
    at = batch_page(home, MIXED)
    at.toggle(key="batch_failing_only").set_value(True).run()
    download = next(d for d in at.download_button if d.proto.label == "Download these rows as CSV")
    assert not download.proto.disabled


def test_the_downloaded_csv_holds_the_shown_rows_with_tokens_masked(home):
    at = batch_page(home, MIXED)
    at.toggle(key="batch_failing_only").set_value(True).run()
    # The page downloads batch_csv of the rows it shows; the same rows, from the same paste:
    shown = batch.failing(batch.check_batch(batch.parse_batch_text(MIXED)))
    text = batch.batch_csv(shown).decode("utf-8-sig")
    assert [int(row["line"]) for row in csv.DictReader(io.StringIO(text))] == table(at)["line"].tolist()
    assert TOKEN not in text and "b7e3…5678" in text


def test_uploaded_csv_is_checked_instead_of_the_pasted_list(home):
    at = batch_page(home, f"{GUIDE_URL}\n")
    data = f"\ufeffname;url\nAlpha;{GUIDE_URL}\nBeta;{NO_CAMPAIGN}\n".encode()
    at.file_uploader(key="batch_file").set_value(("offers.csv", data, "text/csv")).run()
    assert not at.exception, at.exception
    assert table(at)["name"].tolist() == ["Alpha", "Beta"]
    assert "offers.csv" in at.info[0].value and "pasted list is kept" in at.info[0].value


def test_unreadable_upload_says_how_to_save_a_csv(home):
    at = batch_page(home)
    at.file_uploader(key="batch_file").set_value(
        ("offers.csv", b"PK\x03\x04\x00\x00binary", "text/csv")
    ).run()
    assert not at.exception
    assert "offers.csv could not be read" in at.error[0].value
    assert "CSV (UTF-8)" in at.error[0].value


def test_one_offer_in_detail_shows_its_checklist(home):
    at = batch_page(home, MIXED)
    at.selectbox(key="batch_detail").select_index(1).run()
    assert step_header(at, 3).startswith("#### ❌")


def test_opening_an_offer_on_the_url_check_page_carries_its_url(home):
    at = batch_page(home, MIXED)
    at.selectbox(key="batch_detail").select_index(1).run()
    at.button(key="batch_open").click().run()
    assert not at.exception
    assert at.session_state["url_text"] == NO_CAMPAIGN
    assert TOKEN not in at.text_area(key="url_input").value


def test_fetching_every_offer_adds_the_fetch_and_data_checks(home, mock):
    with mock(days=10, campaigns=3) as server:
        at = batch_page(home, f"good, {server.report_url()}\nexpired, {server.report_url(token='e' * 32)}")
        at.checkbox(key="batch_want_fetch").check().run()
        click(at, "Fetch 2 reports")
    shown = table(at)
    assert shown["rows"].tolist()[0] == 30
    assert shown.loc[0, "Step 4"] == "✅"  # one brand in the data confirms the filter
    assert shown.loc[1, "Step 7"] == "❌" and shown.loc[1, "problem"] == "Token expired or invalid"
    assert any("2 of 2 fetched" in c.value for c in at.caption)
    assert TOKEN not in shown.to_csv()
