"""`affilka_mock.mock_server`: a mock Affilka over real loopback HTTP, its data, its sign-in redirect and its
faults. Every test talks HTTP to a real server; nothing is patched."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from affilka_core.checks.url_result import check_url
from affilka_core.demo import generate_rows
from affilka_core.guide import REPORT_PATH, REQUIRED_COLUMNS
from affilka_mock.mock_server import MockAffilka
from affilka_mock.reports import ReportStyle
from tests.support import GUIDE_URL, ROOT, TOKEN

END = dt.date(2026, 4, 21)
DAYS = 30
CAMPAIGNS = 8
TIMEOUT = 10


@pytest.fixture(scope="module")
def mock() -> Iterator[MockAffilka]:
    """One brand, 8 campaigns, 30 days ending 2026-04-21; no faults."""
    with MockAffilka(token=TOKEN, days=DAYS, brands=1, campaigns=CAMPAIGNS, end_date=END) as server:
        yield server


@pytest.fixture(scope="module")
def three_brands() -> Iterator[MockAffilka]:
    with MockAffilka(token=TOKEN, days=5, brands=3, campaigns=4, end_date=END) as server:
        yield server


def get(url: str) -> requests.Response:
    return requests.get(url, timeout=TIMEOUT, allow_redirects=False)


def rows_of(url: str) -> list[list[dict[str, Any]]]:
    response = get(url)
    assert response.status_code == 200, response.text[:200]
    return response.json()["rows"]["data"]


def names(row: list[dict[str, Any]]) -> list[str]:
    return [cell["name"] for cell in row]


def cell(row: list[dict[str, Any]], name: str) -> Any:
    value = next(c["value"] for c in row if c["name"] == name)
    return int(value["amount_cents"]) if isinstance(value, dict) else value


def all_pages(server: MockAffilka, **kwargs: Any) -> list[list[dict[str, Any]]]:
    first = get(server.report_url(**kwargs)).json()
    rows = first["rows"]["data"]
    for page in range(2, first["total_pages"] + 1):
        rows += rows_of(server.report_url(page=page, **kwargs))
    return rows


# --- The report ----------------------------------------------------------------------------------------


def test_right_token_gets_json_with_total_pages_and_rows_in_the_date_range(mock):
    response = get(mock.report_url(date_from="2026-04-10", date_to="2026-04-12"))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    doc = response.json()
    assert doc["total_pages"] == 1 and doc["page"] == 1
    rows = doc["rows"]["data"]
    assert {r[0]["value"] for r in rows} == {"2026-04-10", "2026-04-11", "2026-04-12"}
    assert len(rows) == 3 * CAMPAIGNS
    assert all(names(r) == ["date", "brand", "campaign_id", *REQUIRED_COLUMNS] for r in rows)
    assert [c["id"] for c in doc["relations"]["campaigns"]] == list(range(501, 501 + CAMPAIGNS))


def test_dates_default_to_the_servers_whole_range(mock):
    assert (mock.date_from, mock.date_to) == (END - dt.timedelta(days=DAYS - 1), END)
    dates = {r[0]["value"] for r in rows_of(mock.report_url())}
    assert min(dates) == mock.date_from.isoformat() and max(dates) == "2026-04-21" and len(dates) == DAYS


def test_served_rows_are_the_demo_rows(mock):
    expected, _ = generate_rows(mock.date_from, END, brands=("Casino Alpha",), campaigns=CAMPAIGNS)
    assert rows_of(mock.report_url()) == json.loads(json.dumps(expected))


def test_dates_outside_the_data_give_no_rows(mock):
    doc = get(mock.report_url(date_from="2025-01-01", date_to="2025-01-31")).json()
    assert doc["rows"]["data"] == [] and doc["total_pages"] == 1


@pytest.mark.parametrize(
    ("date_from", "date_to"), [("2026-13-01", "2026-04-21"), ("2026-04-21", "2026-04-01")]
)
def test_invalid_or_reversed_dates_are_a_422_json_error(mock, date_from, date_to):
    response = get(mock.report_url(date_from=date_from, date_to=date_to))
    assert response.status_code == 422
    assert "error" in response.json()


def test_a_page_that_is_not_a_number_is_a_422_json_error(mock):
    response = get(mock.report_url(extra={"page": "two"}))
    assert response.status_code == 422 and "page" in response.json()["error"]


def test_columns_come_in_the_requested_order_and_unknown_names_are_ignored(mock):
    rows = rows_of(mock.report_url(columns=("ngr", "no_such_column", "visits_count")))
    assert names(rows[0]) == ["date", "brand", "campaign_id", "ngr", "visits_count"]


def test_decoded_brackets_mean_the_same_as_percent_encoded_ones(mock):
    url = mock.report_url(columns=("ngr",))
    assert "columns%5B%5D=ngr" in url
    assert rows_of(url.replace("%5B%5D", "[]")) == rows_of(url)


def test_report_url_is_in_affilka_export_format(mock):
    url = mock.report_url(date_from="2026-04-01", date_to="2026-04-21")
    assert url.startswith(mock.base_url + REPORT_PATH + "?")
    assert urlsplit(url).query == urlsplit(GUIDE_URL).query
    assert check_url(url, allow_hosts={mock.host_port}).ok


def test_report_url_extra_replaces_appends_or_removes_parameters(mock):
    url = mock.report_url(extra={"period": "month", "brand": "Casino Alpha", "name": None})
    query = urlsplit(url).query
    assert "&period=month&" in query and "name=" not in query
    assert query.endswith(f"&brand=Casino%20Alpha&token={TOKEN}&page=1")


# --- Sign-in and other paths ---------------------------------------------------------------------------


def test_wrong_token_redirects_to_the_sign_in_page(mock):
    response = get(mock.report_url(token="0" * 32))
    assert response.status_code == 302
    assert response.headers["Location"] == "/users/sign_in"


def test_missing_token_redirects_to_the_sign_in_page(mock):
    url = mock.report_url(extra={"token": None})
    assert "token=" not in url
    response = get(url)
    assert response.status_code == 302 and response.headers["Location"] == "/users/sign_in"


def test_following_the_redirect_lands_on_an_html_sign_in_page(mock):
    response = requests.get(mock.report_url(token="expired"), timeout=TIMEOUT)
    assert response.status_code == 200
    assert response.url == mock.base_url + "/users/sign_in"
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<form" in response.text and "Sign in" in response.text


def test_other_paths_are_a_404_html_page(mock):
    response = get(mock.base_url + "/api/customer/v1/partner/report")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html") and "Not found" in response.text


def test_requests_are_recorded_with_the_token_masked(mock):
    get(mock.report_url(columns=("ngr",)))
    recorded = mock.requests
    assert recorded[-1].startswith(REPORT_PATH + "?") and "token=b7e3…5678" in recorded[-1]
    assert not any(TOKEN in path for path in recorded)


# --- Pages ---------------------------------------------------------------------------------------------


def test_pagination_covers_every_row_exactly_once():
    with MockAffilka(token=TOKEN, days=10, campaigns=5, page_size=7, end_date=END) as server:
        first = get(server.report_url()).json()
        assert first["total_pages"] == 8  # 50 rows / 7
        rows = all_pages(server)
        keys = [(r[0]["value"], r[2]["value"]) for r in rows]
        assert len(keys) == len(set(keys)) == 50
        assert rows == json.loads(json.dumps(generate_rows(server.date_from, END, campaigns=5)[0]))


def test_a_page_past_the_end_is_empty_with_the_same_total_pages():
    with MockAffilka(token=TOKEN, days=10, campaigns=5, page_size=7, end_date=END) as server:
        doc = get(server.report_url(page=9)).json()
        assert doc["rows"]["data"] == [] and doc["total_pages"] == 8 and doc["page"] == 9


# --- Grouping and brands -------------------------------------------------------------------------------


def test_group_by_without_campaign_sums_the_campaigns(mock):
    detailed = rows_of(mock.report_url(columns=("visits_count", "ngr")))
    grouped = rows_of(mock.report_url(columns=("visits_count", "ngr"), group_by=("day", "brand")))
    assert len(grouped) == DAYS
    assert names(grouped[0]) == ["date", "brand", "visits_count", "ngr"]
    day = grouped[0][0]["value"]
    same_day = [r for r in detailed if r[0]["value"] == day]
    assert cell(grouped[0], "visits_count") == sum(cell(r, "visits_count") for r in same_day)
    assert cell(grouped[0], "ngr") == sum(cell(r, "ngr") for r in same_day)


def test_group_by_month_gives_one_row_per_month_dated_its_first_day(mock):
    rows = rows_of(mock.report_url(columns=("visits_count",), group_by=("month", "brand", "campaign")))
    assert {r[0]["value"] for r in rows} == {"2026-03-01", "2026-04-01"}
    assert len(rows) == 2 * CAMPAIGNS
    daily = rows_of(mock.report_url(columns=("visits_count",)))
    assert sum(cell(r, "visits_count") for r in rows) == sum(cell(r, "visits_count") for r in daily)


def test_group_by_week_dates_rows_by_their_monday(mock):
    rows = rows_of(mock.report_url(columns=("visits_count",), group_by=("week",)))
    assert all(dt.date.fromisoformat(r[0]["value"]).weekday() == 0 for r in rows)
    assert names(rows[0]) == ["date", "visits_count"]


def test_several_brands_without_a_brand_filter_come_back_mixed(three_brands):
    rows = rows_of(three_brands.report_url())
    assert {r[1]["value"] for r in rows} == {"Casino Alpha", "Casino Beta", "Casino Gamma"}


def test_a_brand_filter_keeps_only_that_brand(three_brands):
    rows = rows_of(three_brands.report_url(extra={"brand": "Casino Beta"}))
    assert {r[1]["value"] for r in rows} == {"Casino Beta"}
    assert len(rows) == 5 * 4


def test_a_brands_list_filter_keeps_the_brands_named(three_brands):
    rows = rows_of(three_brands.report_url(extra={"brands[]": ["Casino Alpha", "Casino Gamma"]}))
    assert {r[1]["value"] for r in rows} == {"Casino Alpha", "Casino Gamma"}


def test_a_brand_the_server_does_not_have_gives_no_rows(three_brands):
    assert rows_of(three_brands.report_url(extra={"brand": "Casino Omega"})) == []


def test_a_report_style_is_served_as_asked():
    style = ReportStyle(money="string", campaign_cell="campaign", total_pages_at="rows", relations=False)
    with MockAffilka(token=TOKEN, days=2, campaigns=2, end_date=END, style=style) as server:
        doc = get(server.report_url()).json()
    assert "total_pages" not in doc and doc["rows"]["total_pages"] == 1 and "relations" not in doc
    row = doc["rows"]["data"][0]
    assert row[2] == {"name": "campaign", "value": "Spring banners", "type": "string"}
    assert isinstance(cell(row, "ngr"), str)


# --- Faults --------------------------------------------------------------------------------------------


def test_rate_limit_answers_429_with_retry_after_then_serves():
    with MockAffilka(token=TOKEN, days=2, rate_limit=2) as server:
        first, second, third = (get(server.report_url()) for _ in range(3))
    assert first.status_code == second.status_code == 429
    assert first.headers["Retry-After"] == "1"
    assert third.status_code == 200


def test_server_errors_answer_503_then_serve():
    with MockAffilka(token=TOKEN, days=2, server_errors=1) as server:
        statuses = [get(server.report_url()).status_code for _ in range(2)]
    assert statuses == [503, 200]


def test_rate_limit_comes_before_server_errors():
    with MockAffilka(token=TOKEN, days=2, rate_limit=1, server_errors=1) as server:
        assert [get(server.report_url()).status_code for _ in range(3)] == [429, 503, 200]


@pytest.mark.parametrize("status", [500, 401, 403])
def test_always_status_answers_every_report_request_with_it(status):
    with MockAffilka(token=TOKEN, days=2, always_status=status) as server:
        assert [get(server.report_url()).status_code for _ in range(2)] == [status, status]


def test_html_error_answers_200_with_an_html_page():
    with MockAffilka(token=TOKEN, days=2, html_error=True) as server:
        response = get(server.report_url())
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/html") and "<html" in response.text


def test_truncated_json_is_cut_in_the_middle():
    with MockAffilka(token=TOKEN, days=2, truncate_json=True) as server:
        response = get(server.report_url())
    assert response.status_code == 200 and response.content.startswith(b'{"report_type":"partner"')
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)


def test_slow_ms_delays_report_answers_only():
    with MockAffilka(token=TOKEN, days=2, slow_ms=300) as server:
        started = time.perf_counter()
        get(server.base_url + "/users/sign_in")
        sign_in = time.perf_counter() - started
        started = time.perf_counter()
        get(server.report_url())
        report = time.perf_counter() - started
    assert report >= 0.3 and sign_in < 0.3


def test_latency_ms_delays_every_answer():
    with MockAffilka(token=TOKEN, days=2, latency_ms=200) as server:
        started = time.perf_counter()
        get(server.base_url + "/users/sign_in")
    assert time.perf_counter() - started >= 0.2


def test_currencies_alternate_in_money_cells():
    with MockAffilka(token=TOKEN, days=2, campaigns=3, currencies=("EUR", "USD")) as server:
        rows = rows_of(server.report_url(columns=("ngr", "deposits_sum")))
    assert [r[3]["value"]["currency"] for r in rows[:4]] == ["EUR", "USD", "EUR", "USD"]
    assert all(r[3]["value"]["currency"] == r[4]["value"]["currency"] for r in rows)


def test_dropped_columns_never_appear_even_when_asked_for():
    with MockAffilka(token=TOKEN, days=2, drop_columns=("ngr", "qualified_players_count")) as server:
        rows = rows_of(server.report_url())
    assert names(rows[0]) == [
        "date",
        "brand",
        "campaign_id",
        *(c for c in REQUIRED_COLUMNS if c not in ("ngr", "qualified_players_count")),
    ]


def test_empty_answers_no_rows_on_one_page():
    with MockAffilka(token=TOKEN, days=2, empty=True) as server:
        doc = get(server.report_url()).json()
    assert doc["rows"]["data"] == [] and doc["total_pages"] == 1


def test_gap_days_leaves_every_nth_day_without_rows():
    with MockAffilka(token=TOKEN, days=14, campaigns=2, gap_days=7, end_date=END) as server:
        dates = {r[0]["value"] for r in rows_of(server.report_url())}
        missing = {server.date_from + dt.timedelta(days=6), END}
    assert len(dates) == 12 and not dates & {d.isoformat() for d in missing}


def test_redirect_to_answers_302_to_that_url():
    with MockAffilka(token=TOKEN, days=2, redirect_to="http://169.254.169.254/latest/meta-data/") as server:
        response = get(server.report_url())
    assert response.status_code == 302
    assert response.headers["Location"] == "http://169.254.169.254/latest/meta-data/"


# --- Command line --------------------------------------------------------------------------------------


CLI_OPTIONS = ("--days", "5", "--campaigns", "3", "--end-date", "2026-04-21", "--verbose")


def test_cli_serves_and_prints_one_line_with_the_token_masked():
    proc = subprocess.Popen(
        [sys.executable, "-m", "affilka_mock.mock_server", "--port", "0", "--token", TOKEN, *CLI_OPTIONS],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        printed = re.search(r"http://127\.0\.0\.1:(\d+)/\S+", line)
        assert printed and printed.group(1) != "0", line
        assert f"{REPORT_PATH}?from=2026-04-17&to=2026-04-21" in line and "token=b7e3…5678&page=1" in line
        # A masked URL cannot be pasted as it is: the line says what to put back.
        assert "put the --token you gave in place of b7e3…5678 before pasting" in line
        response = get(printed.group(0).replace("b7e3…5678", TOKEN))  # as the line asks
        assert response.status_code == 200 and len(response.json()["rows"]["data"]) == 5 * 3
    finally:
        proc.terminate()
        out, err = proc.communicate(timeout=TIMEOUT)
    assert proc.returncode == 0
    assert out == ""  # the start line was the only one
    assert "GET /api/client/partner/report.json" in err  # --verbose logs requests, masked
    assert TOKEN not in line + out + err


def test_server_errors_carry_a_retry_after_only_when_asked():
    with MockAffilka(token=TOKEN, days=2, server_errors=2, server_error_retry_after=0) as mock:
        told = requests.get(mock.report_url(), timeout=5)
    with MockAffilka(token=TOKEN, days=2, server_errors=2) as mock:
        plain = requests.get(mock.report_url(), timeout=5)
    assert (told.status_code, told.headers.get("Retry-After")) == (503, "0")
    assert (plain.status_code, plain.headers.get("Retry-After")) == (503, None)
