"""affilka_core.batch: reading pasted lists and CSVs of URLs, checking and fetching them, the table."""

from __future__ import annotations

import csv
import datetime as dt
import io
import tracemalloc

import pandas as pd
import pytest

from affilka_core import batch
from affilka_core.catalogue import URL_CHECK_IDS
from affilka_core.checks.model import Status
from affilka_core.fetch.settings import FetchSettings
from affilka_mock.mock_server import MockAffilka
from tests.hostile import live_formulas
from tests.support import GUIDE_URL, TOKEN, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")


# --- pasted text ---------------------------------------------------------------------------------


def test_text_one_url_per_line_gives_one_item_each_with_its_line_number():
    items = batch.parse_batch_text(f"{GUIDE_URL}\n{NO_CAMPAIGN}\n")
    assert [(i.line, i.name, i.text) for i in items] == [(1, "", GUIDE_URL), (2, "", NO_CAMPAIGN)]


@pytest.mark.parametrize("separator", [", ", ",", "\t", " , "])
def test_text_name_before_the_url_is_split_at_the_separator(separator):
    (item,) = batch.parse_batch_text(f"Casino Alpha{separator}{GUIDE_URL}")
    assert (item.name, item.text) == ("Casino Alpha", GUIDE_URL)


def test_text_name_may_itself_hold_a_comma():
    (item,) = batch.parse_batch_text(f"Alpha, DE, {GUIDE_URL}")
    assert (item.name, item.text) == ("Alpha, DE", GUIDE_URL)


def test_text_blank_lines_and_comments_are_skipped_but_lines_keep_their_numbers():
    items = batch.parse_batch_text(f"# offers for April\n\n{GUIDE_URL}\n   \n#{GUIDE_URL}\n{NO_CAMPAIGN}")
    assert [i.line for i in items] == [3, 6]


def test_text_that_is_not_a_url_is_kept_as_an_item_so_it_gets_a_verdict():
    (item,) = batch.parse_batch_text("thanks, here it is")
    assert item.text == "thanks, here it is"
    (row,) = batch.check_batch([item])
    assert not row.ok and row.first_problem().id == "url.parse"


@pytest.mark.parametrize("header", ["name,url", "Name;URL", "url", '"offer"\t"report url"'])
def test_text_starting_with_a_spreadsheets_header_line_does_not_count_it_as_a_url(header):
    items = batch.parse_batch_text(f"{header}\nAlpha, {GUIDE_URL}\n", limit=1)
    assert [(i.line, i.text) for i in items] == [(2, GUIDE_URL)]
    assert batch.too_many(items, 1) is None


def test_text_url_wrapped_in_angle_brackets_has_no_name():
    (item,) = batch.parse_batch_text(f"<{GUIDE_URL}>")
    assert item.name == ""
    assert batch.check_batch([item])[0].result.url.url() == GUIDE_URL


# --- CSV -----------------------------------------------------------------------------------------


def test_csv_with_name_url_header():
    items = batch.parse_batch_csv(f"name,url\nCasino Alpha,{GUIDE_URL}\nBeta,{NO_CAMPAIGN}\n".encode())
    assert [(i.line, i.name, i.text) for i in items] == [
        (2, "Casino Alpha", GUIDE_URL),
        (3, "Beta", NO_CAMPAIGN),
    ]


def test_csv_with_only_a_url_column_and_no_header():
    items = batch.parse_batch_csv(f"{GUIDE_URL}\n{NO_CAMPAIGN}\n".encode())
    assert [(i.name, i.text) for i in items] == [("", GUIDE_URL), ("", NO_CAMPAIGN)]


def test_csv_with_bom_semicolons_and_windows_line_ends():
    data = f"\ufeffName;URL\r\nCasino Alpha;{GUIDE_URL}\r\n".encode()
    (item,) = batch.parse_batch_csv(data)
    assert (item.name, item.text) == ("Casino Alpha", GUIDE_URL)


def test_csv_with_header_in_another_order_and_quoted_cells():
    (item,) = batch.parse_batch_csv(f'url,name\n"{GUIDE_URL}","Alpha, DE"\n'.encode())
    assert (item.name, item.text) == ("Alpha, DE", GUIDE_URL)


def test_csv_without_header_with_name_and_url():
    (item,) = batch.parse_batch_csv(f"Casino Alpha\t{GUIDE_URL}\n".encode())
    assert (item.name, item.text) == ("Casino Alpha", GUIDE_URL)


def test_csv_from_excel_in_the_windows_code_page_is_read():
    (item,) = batch.parse_batch_csv(f"Café Casino;{GUIDE_URL}\n".encode("cp1252"))
    assert item.name == "Café Casino"


def test_csv_that_is_binary_says_how_to_save_a_csv():
    with pytest.raises(batch.BatchFileError, match="Save as → CSV"):
        batch.parse_batch_csv(b"PK\x03\x04\x00\x00 a spreadsheet, not a CSV")


# --- checks and the table --------------------------------------------------------------------------


def test_check_batch_keeps_every_check_of_every_url_in_order():
    rows = batch.check_batch(batch.parse_batch_text(f"A, {GUIDE_URL}\nB, {NO_CAMPAIGN}"))
    assert [r.name for r in rows] == ["A", "B"]
    assert rows[0].ok and not rows[1].ok
    assert [c.id for c in rows[0].checks] == list(URL_CHECK_IDS)


def test_table_has_one_icon_column_per_step_with_the_worst_status():
    table = batch.batch_table(batch.check_batch(batch.parse_batch_text(f"A, {GUIDE_URL}\nB, {NO_CAMPAIGN}")))
    steps = table[list(batch.STEP_COLUMNS)].values.tolist()
    assert steps[0] == ["✅", "✅", "✅", "⚠️", "✅", "✅", "✅"]
    assert steps[1] == ["✅", "✅", "❌", "⚠️", "✅", "✅", "✅"]


def test_table_fix_is_the_first_failing_item_else_the_first_warning():
    table = batch.batch_table(batch.check_batch(batch.parse_batch_text(f"A, {GUIDE_URL}\nB, {NO_CAMPAIGN}")))
    assert table["problem"].tolist() == [
        "Brand filter not verifiable from the URL",
        "Group by lacks campaign",
    ]
    assert "toggle Campaign ON" in table["fix"][1]


def test_table_shows_host_and_masked_token_never_the_token():
    table = batch.batch_table(batch.check_batch(batch.parse_batch_text(f"A, {GUIDE_URL}")))
    assert table.loc[0, "host"] == "primetime.partners"
    assert table.loc[0, "token"] == "b7e3…5678"
    assert TOKEN not in table.to_csv()


def test_csv_export_masks_tokens_in_every_column():
    rows = batch.check_batch(batch.parse_batch_text(f"A {TOKEN}, {GUIDE_URL}\n{NO_CAMPAIGN}"))
    data = batch.batch_csv(rows)
    assert TOKEN not in data.decode("utf-8-sig")
    exported = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert exported["url"].str.contains("token=b7e3…5678").all()
    assert list(exported.columns[:4]) == ["line", "name", "host", "token"]


def test_csv_export_defuses_names_a_spreadsheet_would_run():
    rows = batch.check_batch(batch.parse_batch_text(f'=HYPERLINK("x"), {GUIDE_URL}'))
    exported = pd.read_csv(io.BytesIO(batch.batch_csv(rows)), encoding="utf-8-sig")
    assert exported.loc[0, "name"].startswith("'=")


def test_csv_export_defuses_names_starting_with_a_tab_or_a_carriage_return():
    rows = batch.check_batch(
        [batch.BatchItem(1, "\t=1+1", GUIDE_URL), batch.BatchItem(2, "\r=1+1", GUIDE_URL)]
    )
    text = batch.batch_csv(rows).decode("utf-8-sig")
    assert not live_formulas(text)
    assert [row["name"] for row in csv.DictReader(io.StringIO(text, newline=""))] == ["'\t=1+1", "'\r=1+1"]


def test_csv_export_defuses_a_line_that_is_not_a_url_written_whole_in_the_url_column():
    rows = batch.check_batch(batch.parse_batch_text("=cmd|' /C calc'!A0\n"))
    text = batch.batch_csv(rows).decode("utf-8-sig")
    assert not live_formulas(text)
    assert next(csv.DictReader(io.StringIO(text, newline="")))["url"] == "'=cmd|' /C calc'!A0"


def test_failing_keeps_only_rows_with_a_failing_check():
    rows = batch.check_batch(
        batch.parse_batch_text(f"A, {GUIDE_URL}\nB, {NO_CAMPAIGN}\nC, https://primetime.partners/dashboard")
    )
    assert [r.name for r in batch.failing(rows)] == ["B", "C"]


def test_tally_counts_ready_usable_and_failing():
    rows = batch.check_batch(batch.parse_batch_text(f"{GUIDE_URL}\n{NO_CAMPAIGN}\nnonsense"))
    assert batch.tally(rows) == {Status.PASS: 0, Status.WARN: 1, Status.FAIL: 2, "retry": 0}


def test_row_json_is_the_check_json_plus_name():
    (row,) = batch.check_batch(batch.parse_batch_text(f"A, {GUIDE_URL}"))
    data = row.to_dict()
    assert set(data) == {"name", "url", "ok", "verdict", "checks", "suggested_url"}
    assert {k: v for k, v in data.items() if k != "name"} == row.result.to_dict()


# --- fetching ------------------------------------------------------------------------------------


@pytest.fixture
def server():
    with MockAffilka(token=TOKEN, days=10, campaigns=3, end_date=dt.date(2026, 4, 21)) as mock:
        yield mock


def allowed(mock: MockAffilka, **overrides) -> FetchSettings:
    """Fetch settings that may reach the mock Affilka on loopback."""
    return FetchSettings(allow_private_hosts=frozenset({mock.host_port}), **overrides)


def test_fetch_batch_diagnoses_each_url_in_input_order(server):
    items = batch.parse_batch_text(
        f"good, {server.report_url()}\nexpired, {server.report_url(token='f' * 32)}"
    )
    rows = batch.fetch_batch(items, settings=allowed(server))
    assert [r.name for r in rows] == ["good", "expired"]
    assert rows[0].ok and rows[0].summary["rows"] == 30
    assert not rows[1].ok and rows[1].first_problem().id == "fetch.unauthorized"
    assert all(r.fetched for r in rows)


def test_fetch_batch_reports_progress_as_n_of_total(server):
    items = batch.parse_batch_text("\n".join(server.report_url(date_to=f"2026-04-{d}") for d in (19, 20, 21)))
    seen: list[tuple[int, int]] = []
    batch.fetch_batch(
        items,
        concurrency=2,
        on_progress=lambda done, total: seen.append((done, total)),
        settings=allowed(server),
    )
    assert seen == [(1, 3), (2, 3), (3, 3)]


def test_fetch_batch_fetches_a_repeated_url_once(server):
    url = server.report_url()
    seen: list[tuple[int, int]] = []
    rows = batch.fetch_batch(
        batch.parse_batch_text(f"A, {url}\nB, {url}"),
        on_progress=lambda *progress: seen.append(progress),
        settings=allowed(server),
    )
    # Page 1 is asked for once per fetch; later pages may be asked for speculatively, so count page 1.
    first_pages = [p for p in server.requests if p.endswith("page=1")]
    assert seen == [(1, 1)] and len(first_pages) == 1
    assert [r.summary["rows"] for r in rows] == [30, 30]


def test_fetched_row_json_matches_check_fetch_json_plus_name(server):
    (row,) = batch.fetch_batch(batch.parse_batch_text(server.report_url()), settings=allowed(server))
    data = row.to_dict()
    assert set(data) == {"name", "url", "ok", "verdict", "checks", "suggested_url", "data", "insights"}
    assert data["data"]["rows"] == 30
    assert TOKEN not in str(data)


def test_with_fetched_keeps_fetched_results_when_the_list_changes(server):
    url = server.report_url()
    fetched = {
        r.item.text: r for r in batch.fetch_batch(batch.parse_batch_text(url), settings=allowed(server))
    }
    rows = batch.with_fetched(
        batch.check_batch(batch.parse_batch_text(f"{GUIDE_URL}\nAlpha, {url}")), fetched
    )
    assert [r.fetched for r in rows] == [False, True]
    assert rows[1].name == "Alpha" and rows[1].item.line == 2
    assert "rows" in batch.batch_table(rows).columns


def test_fetched_rows_keep_the_summary_not_the_parsed_rows(server):
    (row,) = batch.fetch_batch(batch.parse_batch_text(server.report_url()), settings=allowed(server))
    assert row.diagnosis.frame is None and row.summary["rows"] == 30
    assert batch.batch_table([row])["rows"].tolist() == [30]


# --- temporary failures and the table as shown -----------------------------------------------------

CSV_COLUMNS = ["line", "name", "host", "token", "verdict", *batch.STEP_COLUMNS, "problem", "fix", "url"]


@pytest.fixture
def unanswering():
    """A mock Affilka that answers every report request with 503: the URL is fine, Affilka is not."""
    with MockAffilka(token=TOKEN, days=5, campaigns=2, always_status=503) as mock:
        yield mock


def fetched_without_retrying(mock: MockAffilka, text: str) -> list[batch.BatchRow]:
    # Retrying a server that always answers 503 only makes the test slower: the outcome is the same.
    return batch.fetch_batch(batch.parse_batch_text(text), settings=allowed(mock, retries=0))


def test_table_step_that_fails_only_because_affilka_did_not_answer_shows_an_hourglass(unanswering):
    table = batch.batch_table(fetched_without_retrying(unanswering, f"A, {unanswering.report_url()}"))
    assert table.loc[0, "verdict"] == "Could not verify now"
    assert table.loc[0, "Step 7"] == "⏳"


def test_table_step_that_fails_for_a_lasting_reason_keeps_the_cross(server):
    table = batch.batch_table(fetched_without_retrying(server, f"A, {server.report_url(token='f' * 32)}"))
    assert table.loc[0, "Step 7"] == "❌"


def test_csv_writes_the_hourglass_for_a_temporary_failure(unanswering):
    data = batch.batch_csv(fetched_without_retrying(unanswering, f"A, {unanswering.report_url()}"))
    exported = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert exported.loc[0, "Step 7"] == "⏳"


def test_csv_keeps_its_columns_in_their_order():
    data = batch.batch_csv(batch.check_batch(batch.parse_batch_text(f"A, {GUIDE_URL}\n{NO_CAMPAIGN}")))
    assert pd.read_csv(io.BytesIO(data), encoding="utf-8-sig").columns.tolist() == CSV_COLUMNS


def test_csv_and_table_name_a_line_given_without_one_alike_by_its_host_or_as_not_a_url():
    rows = batch.check_batch(batch.parse_batch_text(f"{GUIDE_URL}\njust some words here"))
    exported = pd.read_csv(io.BytesIO(batch.batch_csv(rows)), encoding="utf-8-sig", keep_default_na=False)
    assert exported["name"].tolist() == ["primetime.partners", "(not a URL)"]
    assert batch.batch_view(rows)["name"].tolist() == exported["name"].tolist()


def test_view_puts_the_problem_and_its_fix_right_after_the_name_and_verdict():
    view = batch.batch_view(batch.check_batch(batch.parse_batch_text(f"A, {NO_CAMPAIGN}")))
    assert view.columns.tolist()[:5] == ["line", "name", "verdict", "problem", "fix"]
    assert "toggle Campaign ON" in view.loc[0, "fix"]


def test_view_keeps_every_column_of_the_table():
    rows = batch.check_batch(batch.parse_batch_text(f"A, {GUIDE_URL}"))
    assert sorted(batch.batch_view(rows).columns) == sorted(batch.batch_table(rows).columns)


def test_view_names_a_line_given_without_a_name_by_its_host():
    view = batch.batch_view(batch.check_batch(batch.parse_batch_text(f"A, {GUIDE_URL}\n{NO_CAMPAIGN}")))
    assert view["name"].tolist() == ["A", "primetime.partners"]
    assert TOKEN not in view.to_csv()


def test_view_names_text_that_is_not_a_url_as_such():
    view = batch.batch_view(batch.check_batch(batch.parse_batch_text("thanks, here it is")))
    assert view.loc[0, "name"] == "(not a URL)"


# --- a list far longer than a batch takes ---------------------------------------------------------


def _peak(read, *args) -> tuple[object, int]:
    tracemalloc.start()
    try:
        found = read(*args)
        return found, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_huge_pasted_list_is_refused_reading_no_further_than_the_url_past_the_limit():
    text = "a\n" * 2_000_000
    items, peak = _peak(batch.parse_batch_text, text, 2_000)
    assert len(items) == 2_001 and batch.too_many(items, 2_000).startswith("More than 2,000 URLs")
    assert peak < len(text)  # 2,000,000 items would take hundreds of MB


def test_a_huge_csv_is_refused_reading_no_further_than_the_url_past_the_limit():
    data = b"a\n" * 2_000_000
    items, peak = _peak(batch.parse_batch_csv, data, 2_000)
    assert len(items) == 2_001 and batch.too_many(items, 2_000) is not None
    assert peak < 3 * len(data)  # the text decoded once; no list of its lines, no item past the limit


def test_a_list_within_the_limit_is_read_whole_with_its_line_numbers():
    text = f"# offers\n{GUIDE_URL}\r\n\r\nB, {NO_CAMPAIGN}\rC, {GUIDE_URL}\u2028D, {GUIDE_URL}"
    assert [(i.line, i.name) for i in batch.parse_batch_text(text, 4)] == [
        (2, ""),
        (4, "B"),
        (5, "C"),
        (6, "D"),
    ]


def test_a_list_too_long_to_read_is_refused_with_its_line_count_and_the_limit():
    text = "a\n" * 2_000_000
    items = batch.parse_batch_text(text, 2_000)
    said = batch.too_many(items, 2_000, lines=batch.line_count(text))
    assert said.startswith("2,000,000 lines, more than the 2,000 URLs one batch checks")
    assert batch.line_count(text.encode()) == batch.line_count(text.rstrip("\n")) == 2_000_000
