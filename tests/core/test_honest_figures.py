"""Figures that say what they rest on: rows without a readable date, cells that are not finite numbers,
fixes that match their causes, sizes in the units the README gives, downloads written as read."""

from __future__ import annotations

import io
import json
import socket
import warnings
import zipfile

import pytest

from affilka_core.analysis import metrics
from affilka_core.analysis.insights import find_insights
from affilka_core.catalogue import CheckId
from affilka_core.checks.advice import ADVICE, advice_for
from affilka_core.checks.data_checks import check_columns_missing, check_totals
from affilka_core.checks.fetch_checks import error_check
from affilka_core.cli import main
from affilka_core.errors import (
    ConnectionBroken,
    ConnectionFailed,
    NestedTooDeeply,
    NotOneTable,
    RejectedInFile,
    ReportFormatError,
    TooLarge,
)
from affilka_core.fetch.report import fetch_report
from affilka_core.load import load_bytes, load_file
from affilka_core.outputs.exports import aggregates_zip
from affilka_core.outputs.tables import kpi_rows
from affilka_core.report.frame import parse_pages
from affilka_core.text import megabytes
from tests.core.test_fetch_hostile import RawServer
from tests.support import TOKEN, overflowing_report, redated_report


def inspect(raw: bytes, tmp_path) -> dict:
    path = tmp_path / "report.json"
    path.write_bytes(raw)
    out = io.StringIO()
    main(["inspect", str(path), "--json"], out)
    return json.loads(out.getvalue())


def check(doc: dict, check_id: str) -> dict:
    return next(c for c in doc["checks"] if c["id"] == check_id)


# 1. rows without a readable date --------------------------------------------------------------------


def test_rows_with_unreadable_dates_fail_date_bounds_naming_them(tmp_path):
    raw = redated_report(
        "2026-11-30", "2026-02-30", "garbage", None, f"token={TOKEN}", report_days=5, campaigns=2
    )
    doc = inspect(raw, tmp_path)
    bounds = check(doc, "data.date_bounds")
    assert bounds["status"] == "fail" and doc["verdict"] == "fix"
    assert bounds["title"] == "4 rows have no readable date"
    assert '"2026-02-30", "garbage", null' in bounds["detail"] and TOKEN not in bounds["detail"]
    assert "on no day of the charts" in bounds["detail"] and "counted in the totals" in bounds["detail"]
    assert doc["rows"] == 10  # they stay in the figures, and the check says so


def test_rows_dated_as_iso_weeks_or_in_other_digits_have_no_readable_date(tmp_path):
    doc = inspect(redated_report("2026-W49-1", "２０２６-11-30", report_days=5, campaigns=2), tmp_path)
    bounds = check(doc, "data.date_bounds")
    assert bounds["status"] == "fail" and bounds["title"] == "2 rows have no readable date"


def test_more_unreadable_dates_than_examples_are_said_as_examples(tmp_path):
    doc = inspect(redated_report(*(f"day {n}" for n in range(8)), report_days=10, campaigns=2), tmp_path)
    bounds = check(doc, "data.date_bounds")
    assert bounds["title"] == "8 rows have no readable date" and "(written such as " in bounds["detail"]


def test_rows_with_real_days_pass_date_bounds():
    loaded = load_bytes(redated_report("2026-11-30", report_days=5), "file", "f")
    assert next(c for c in loaded.checks if c.id == CheckId.DATA_DATE_BOUNDS).status == "pass"


# 3. numbers that are not finite ----------------------------------------------------------------------


def test_a_number_literal_out_of_double_range_is_data_non_finite(tmp_path):
    raw = overflowing_report(visits_count="X").replace(b'"X"', b"1e309", 1)
    doc = inspect(raw, tmp_path)
    assert not [c for c in doc["checks"] if c["id"].startswith("fetch.")]
    non_finite = check(doc, "data.non_finite")
    assert non_finite["status"] == "fail" and "visits_count: 1 row infinite (row 1)" in non_finite["detail"]
    assert doc["totals"]["visits_count"] is None


def test_a_nan_cell_is_counted_by_data_non_finite(tmp_path):
    raw = overflowing_report(visits_count="X").replace(b'"X"', b'"NaN"')
    doc = inspect(raw, tmp_path)
    non_finite = check(doc, "data.non_finite")
    assert non_finite["status"] == "fail"
    assert "visits_count: 2 rows not a number (rows 1, 2)" in non_finite["detail"]


def test_a_null_cell_is_not_a_nan_cell():
    raw = overflowing_report(visits_count="X").replace(b'"X"', b"null")
    parsed = parse_pages([raw])
    assert parsed.not_numbers == {}


def test_an_overflowing_sum_prints_no_runtime_warning(tmp_path):
    raw = overflowing_report(visits_count="1e308", ngr="1e308")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        doc = inspect(raw, tmp_path)
        loaded = load_bytes(raw, "file", "f")
        find_insights(loaded.frame)
        metrics.by_day(loaded.frame)
        metrics.by_campaign(loaded.frame, "campaign")
        metrics.kpis(loaded.frame)
    assert check(doc, "data.non_finite")["status"] == "fail"


# 2. each cause its own fix ---------------------------------------------------------------------------


def test_each_report_format_failure_has_its_own_fix(tmp_path):
    deep = b"[" * 100_000 + b"]" * 100_000
    names = json.dumps({"rows": {"data": [[{"name": f"c{i}", "value": 1} for i in range(1001)]]}}).encode()
    fixes = {}
    for raw, cls in ((deep, NestedTooDeeply), (names, NotOneTable)):
        with pytest.raises(cls) as caught:
            parse_pages([raw])
        fixes[cls] = error_check(caught.value).fix
    assert "has no report rows" not in " ".join(fixes.values())
    assert "Group by" in fixes[NotOneTable] and "nests far deeper" in fixes[NestedTooDeeply]
    assert len({*fixes.values(), ADVICE[ReportFormatError].fix}) == 3


def test_a_download_cut_mid_body_is_not_said_as_refused_or_unresolved():
    def respond(conn: socket.socket, head: bytes) -> None:
        conn.sendall(
            b'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"rows"'
        )
        conn.close()

    server = RawServer(respond)
    try:
        with pytest.raises(ConnectionFailed) as caught:
            fetch_report(server.url(), settings=server.settings())
    finally:
        server.close()
    assert isinstance(caught.value, ConnectionBroken) and caught.value.temporary
    item = error_check(caught.value)
    assert item.id == CheckId.FETCH_CONNECTION and "mid-answer" in item.detail
    assert "refused" not in item.fix and "resolve" not in item.fix and "broke while" in item.fix


def test_a_saved_affilka_error_is_quoted_once_and_asks_for_no_request():
    with pytest.raises(RejectedInFile) as caught:
        load_file(b'{"message":"hello"}', "saved.json")
    item = error_check(caught.value)
    assert item.detail.count("hello") == 1 and "The file holds Affilka's error" in item.detail
    assert "save the new tab" in item.fix and advice_for(caught.value).title.startswith("The file holds")


# 5. sizes in binary megabytes, as the README ---------------------------------------------------------


def test_the_default_page_cap_reads_50_mb_as_the_readme_says():
    assert megabytes(52_428_800) == "50.0 MB" and megabytes(209_715_200) == "200.0 MB"
    assert megabytes(20_000) == "20 KB"
    with pytest.raises(TooLarge, match=r"over 1\.0 MB"):
        load_file(b" " * 2_000_000, "big.json", max_bytes=1_048_576)


# 6. wording of data checks ---------------------------------------------------------------------------


def test_one_missing_column_is_said_in_the_singular():
    raw = json.loads(overflowing_report())
    for row in raw["rows"]["data"]:
        row[:] = [c for c in row if c["name"] != "fixed_per_player"]
    loaded = load_bytes(json.dumps(raw).encode(), "file", "f")
    item = check_columns_missing(loaded.parsed)
    assert item.detail == "The rows do not carry the column fixed_per_player. The account may not have it."
    assert "then select it in" in item.fix


def test_totals_in_two_currencies_count_metrics_once_per_currency():
    from tests.core.test_parse_totals import body, day_row, eur, totals_row

    rows = [day_row("2026-04-01", 120, "310.50"), day_row("2026-04-01", 80, "-10.25", "USD")]
    totals = {"data": [totals_row(120, eur("310.50")), totals_row(80, eur("-10.25", "USD"))]}
    item = check_totals(parse_pages([body(rows, totals)]))
    assert item.status == "pass" and item.detail.startswith("2 metrics in 2 currencies compared")


# 7. kpis.csv ----------------------------------------------------------------------------------------


def test_kpis_csv_writes_counts_whole_and_money_to_cents():
    loaded = load_bytes(overflowing_report(), "file", "f")
    data = aggregates_zip({"kpis": kpi_rows(metrics.kpis(loaded.frame), "EUR")})
    text = zipfile.ZipFile(io.BytesIO(data)).read("kpis.csv").decode("utf-8-sig")
    rows = {line.split(",")[0]: line.split(",")[2] for line in text.splitlines()[1:]}
    assert "." not in rows["visits_count"] and "." not in rows["registrations_count"]
    assert all(len(rows[k].split(".")[1]) == 2 for k in ("ngr", "deposits_sum", "partner_income"))


# 8. missing days: first N and K more ----------------------------------------------------------------


def test_missing_days_finding_says_how_many_more():
    loaded = load_bytes(redated_report(report_days=30), "file", "f")
    frame = loaded.frame
    days = sorted(frame["date"].dropna().unique())
    gone = [days[i] for i in (2, 5, 8, 11, 14, 17, 20, 23)]  # 8 separate days
    frame = frame[~frame["date"].isin(gone)]
    finding = next(f for f in find_insights(frame) if f.id == "days_without_data")
    assert finding.title == "8 days with no data" and "and 3 more" in finding.detail
    assert finding.days_shown.endswith("and 3 more")
