"""What real Affilka does that the mock now imitates, over real loopback HTTP: the totals block, the extra
day after `to`, Affilka's own JSON error bodies, `per_page`, and one row per currency."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from affilka_core.guide import MONEY_COLUMNS, REQUIRED_COLUMNS
from affilka_mock.mock_server import MockAffilka
from affilka_mock.reports import ReportStyle
from tests.support import TOKEN

END = dt.date(2026, 4, 21)
TIMEOUT = 10
Row = list[dict[str, Any]]


@pytest.fixture(scope="module")
def paged() -> Iterator[MockAffilka]:
    """Two brands, 5 campaigns, 10 days ending 2026-04-21 (100 rows), 7 rows a page: 15 pages."""
    with MockAffilka(token=TOKEN, days=10, brands=2, campaigns=5, page_size=7, end_date=END) as server:
        yield server


def get(url: str) -> requests.Response:
    return requests.get(url, timeout=TIMEOUT, allow_redirects=False)


def doc_of(url: str) -> dict[str, Any]:
    response = get(url)
    assert response.status_code == 200, response.text[:200]
    return response.json()


def every_page(server: MockAffilka, **kwargs: Any) -> list[dict[str, Any]]:
    first = doc_of(server.report_url(**kwargs))
    return [first, *(doc_of(server.report_url(page=p, **kwargs)) for p in range(2, first["total_pages"] + 1))]


def all_rows(server: MockAffilka, **kwargs: Any) -> list[Row]:
    return [row for doc in every_page(server, **kwargs) for row in doc["rows"]["data"]]


def number(cell: dict[str, Any]) -> int:
    """A cell's value in units or cents."""
    value = cell["value"]
    return int(value["amount_cents"]) if isinstance(value, dict) else value


def sums(rows: list[Row], columns: tuple[str, ...] = REQUIRED_COLUMNS) -> dict[str, int]:
    return {c: sum(number(cell) for row in rows for cell in row if cell["name"] == c) for c in columns}


def by_name(row: Row) -> dict[str, dict[str, Any]]:
    return {cell["name"]: cell for cell in row}


def the_totals(doc: dict[str, Any]) -> Row:
    (row,) = doc["totals"]["data"]
    return row


# --- Totals --------------------------------------------------------------------------------------------


def test_every_page_carries_the_whole_reports_totals_at_the_top_level(paged):
    docs = every_page(paged)
    assert len(docs) == 15
    rows = [row for doc in docs for row in doc["rows"]["data"]]
    assert len(rows) == 100
    expected = sums(rows)
    for doc in docs:
        totals = the_totals(doc)
        assert [cell["name"] for cell in totals] == list(REQUIRED_COLUMNS)
        assert {cell["name"]: number(cell) for cell in totals} == expected


def test_totals_cells_are_shaped_like_row_cells(paged):
    doc = doc_of(paged.report_url())
    row_cells, total_cells = by_name(doc["rows"]["data"][0]), by_name(the_totals(doc))
    for name, cell in total_cells.items():
        assert cell["type"] == row_cells[name]["type"]
        if name in MONEY_COLUMNS:
            assert set(cell["value"]) == {"amount", "amount_cents", "currency"}
            assert cell["value"]["currency"] == "EUR"
            cents = int(cell["value"]["amount_cents"])
            assert cell["value"]["amount"] == f"{cents // 100}.{cents % 100:02d}"
        else:
            assert isinstance(cell["value"], int)


def test_totals_follow_the_brand_filter_and_the_columns_asked_for(paged):
    columns = ("visits_count", "ngr")
    filtered = all_rows(paged, columns=columns, extra={"brand": "Casino Beta"})
    totals = the_totals(doc_of(paged.report_url(columns=columns, extra={"brand": "Casino Beta"})))
    everything = the_totals(doc_of(paged.report_url(columns=columns)))
    assert {c["name"]: number(c) for c in totals} == sums(filtered, columns)
    assert number(by_name(totals)["visits_count"]) < number(by_name(everything)["visits_count"])


def test_totals_follow_the_date_range(paged):
    rows = all_rows(paged, date_from="2026-04-15", date_to="2026-04-16")
    assert len(rows) == 2 * 2 * 5
    totals = the_totals(doc_of(paged.report_url(date_from="2026-04-15", date_to="2026-04-16")))
    assert {c["name"]: number(c) for c in totals} == sums(rows)


def test_wrong_totals_put_the_metric_named_off_by_the_fraction_and_leave_the_others_right():
    with MockAffilka(
        token=TOKEN, days=10, campaigns=5, page_size=7, end_date=END, wrong_totals=("partner_income",)
    ) as server:
        rows = all_rows(server)
        totals = {c["name"]: number(c) for c in the_totals(doc_of(server.report_url(page=3)))}
    right = sums(rows)
    assert totals["partner_income"] == right["partner_income"] + round(right["partner_income"] * 0.1)
    assert totals["partner_income"] != right["partner_income"]
    assert {k: v for k, v in totals.items() if k != "partner_income"} == {
        k: v for k, v in right.items() if k != "partner_income"
    }


def test_wrong_totals_by_sets_how_far_off_they_are():
    with MockAffilka(
        token=TOKEN, days=5, campaigns=3, end_date=END, wrong_totals=("visits_count",), wrong_totals_by=-0.5
    ) as server:
        doc = doc_of(server.report_url())
    right = sums(doc["rows"]["data"])["visits_count"]
    assert number(by_name(the_totals(doc))["visits_count"]) == right - round(right * 0.5)


def test_totals_at_rows_puts_them_in_rows_totals_data_only():
    with MockAffilka(token=TOKEN, days=3, campaigns=2, end_date=END, totals_at="rows") as server:
        doc = doc_of(server.report_url())
    assert "totals" not in doc
    (totals,) = doc["rows"]["totals"]["data"]
    assert {c["name"]: number(c) for c in totals} == sums(doc["rows"]["data"])


def test_totals_at_none_leaves_them_out():
    with MockAffilka(token=TOKEN, days=3, campaigns=2, end_date=END, totals_at="none") as server:
        doc = doc_of(server.report_url())
    assert "totals" not in doc and "totals" not in doc["rows"] and len(doc["rows"]["data"]) == 6


def test_totals_take_the_money_style_of_the_rows():
    with MockAffilka(
        token=TOKEN, days=3, campaigns=2, end_date=END, style=ReportStyle(money="string")
    ) as server:
        doc = doc_of(server.report_url(columns=("ngr",)))
    (cell,) = the_totals(doc)
    assert cell["type"] == "money" and isinstance(cell["value"], str)
    assert round(float(cell["value"]) * 100) == sum(
        round(float(r[3]["value"]) * 100) for r in doc["rows"]["data"]
    )


def test_with_several_currencies_there_is_one_totals_row_per_currency():
    with MockAffilka(token=TOKEN, days=3, campaigns=3, end_date=END, currencies=("EUR", "USD")) as server:
        doc = doc_of(server.report_url(columns=("visits_count", "ngr")))
    rows, totals = doc["rows"]["data"], doc["totals"]["data"]
    assert [by_name(t)["ngr"]["value"]["currency"] for t in totals] == ["EUR", "USD"]
    for total in totals:
        currency = by_name(total)["ngr"]["value"]["currency"]
        mine = [r for r in rows if by_name(r)["ngr"]["value"]["currency"] == currency]
        assert {c["name"]: number(c) for c in total} == sums(mine, ("visits_count", "ngr"))


def test_an_empty_report_has_totals_of_zero():
    with MockAffilka(token=TOKEN, days=3, campaigns=2, end_date=END, empty=True) as server:
        doc = doc_of(server.report_url())
    assert doc["rows"]["data"] == []
    assert {c["name"]: number(c) for c in the_totals(doc)} == dict.fromkeys(REQUIRED_COLUMNS, 0)


# --- The extra day after `to` --------------------------------------------------------------------------


def test_extra_day_also_returns_the_rows_of_the_day_after_to():
    with MockAffilka(token=TOKEN, days=10, campaigns=3, end_date=END, extra_day=True) as server:
        doc = doc_of(server.report_url(date_from="2026-04-14", date_to="2026-04-16"))
    rows = doc["rows"]["data"]
    assert Counter(r[0]["value"] for r in rows) == {
        d: 3 for d in ("2026-04-14", "2026-04-15", "2026-04-16", "2026-04-17")
    }
    assert {c["name"]: number(c) for c in the_totals(doc)} == sums(rows)


def test_extra_day_reaches_past_the_servers_last_day():
    with MockAffilka(token=TOKEN, days=5, campaigns=2, end_date=END, extra_day=True) as server:
        dates = {r[0]["value"] for r in all_rows(server)}
    assert max(dates) == "2026-04-22" and len(dates) == 6


def test_rows_of_the_days_asked_for_are_the_same_with_or_without_the_extra_day():
    url_options = {"date_from": "2026-04-14", "date_to": "2026-04-16"}
    with MockAffilka(token=TOKEN, days=10, campaigns=3, end_date=END) as plain:
        without = all_rows(plain, **url_options)
    with MockAffilka(token=TOKEN, days=10, campaigns=3, end_date=END, extra_day=True) as server:
        with_extra = all_rows(server, **url_options)
    assert [r for r in with_extra if r[0]["value"] != "2026-04-17"] == without


# --- Affilka's own error bodies ------------------------------------------------------------------------

MESSAGE = "Column ngr is not available for your account"


@pytest.mark.parametrize(
    ("shape", "body"),
    [
        ("errors", {"errors": [{"message": MESSAGE}]}),
        ("message", {"message": MESSAGE}),
        ("error", {"error": MESSAGE}),
        ("ok-false", {"ok": False, "message": MESSAGE}),
    ],
)
@pytest.mark.parametrize("status", [200, 422, 400])
def test_error_body_answers_that_json_and_status_instead_of_the_report(shape, body, status):
    with MockAffilka(
        token=TOKEN, days=3, error_body=shape, error_status=status, error_message=MESSAGE
    ) as server:
        response = get(server.report_url())
    assert response.status_code == status
    assert response.headers["Content-Type"].startswith("application/json")
    assert response.json() == body


def test_error_body_defaults_to_status_200_and_an_invalid_date_range():
    with MockAffilka(token=TOKEN, days=3, error_body="errors") as server:
        response = get(server.report_url())
    assert response.status_code == 200
    assert response.json() == {"errors": [{"message": "Invalid date range"}]}


def test_a_wrong_token_is_still_redirected_to_sign_in_before_any_error_body():
    with MockAffilka(token=TOKEN, days=3, error_body="message", error_status=422) as server:
        response = get(server.report_url(token="0" * 32))
    assert response.status_code == 302 and response.headers["Location"] == "/users/sign_in"


# --- per_page ------------------------------------------------------------------------------------------


def test_per_page_sets_the_rows_a_page_holds(paged):
    docs = every_page(paged, extra={"per_page": "40"})
    assert docs[0]["total_pages"] == 3
    assert [len(d["rows"]["data"]) for d in docs] == [40, 40, 20]
    assert [r for d in docs for r in d["rows"]["data"]] == all_rows(paged)


def test_per_page_larger_than_the_report_gives_one_page(paged):
    doc = doc_of(paged.report_url(extra={"per_page": "1000"}))
    assert doc["total_pages"] == 1 and len(doc["rows"]["data"]) == 100


def test_without_per_page_pages_hold_page_size_rows(paged):
    doc = doc_of(paged.report_url())
    assert doc["total_pages"] == 15 and len(doc["rows"]["data"]) == 7


@pytest.mark.parametrize("per_page", ["0", "many", "-5"])
def test_a_per_page_that_is_not_a_whole_number_from_1_is_a_422_json_error(paged, per_page):
    response = get(paged.report_url(extra={"per_page": per_page}))
    assert response.status_code == 422 and "per_page" in response.json()["error"]


# --- One row per currency ------------------------------------------------------------------------------


def test_currency_rows_give_one_row_per_currency_with_a_row_level_currency_cell():
    with MockAffilka(
        token=TOKEN, days=3, campaigns=2, end_date=END, currencies=("EUR", "USD", "GBP"), currency_rows=True
    ) as server:
        rows = all_rows(server)
    assert len(rows) == 3 * 2 * 3
    assert [c["name"] for c in rows[0]] == ["date", "brand", "campaign_id", "currency", *REQUIRED_COLUMNS]
    per_key = Counter((r[0]["value"], r[2]["value"]) for r in rows)
    assert set(per_key.values()) == {3}
    for row in rows:
        cells = by_name(row)
        assert cells["currency"] == {
            "name": "currency",
            "value": cells["ngr"]["value"]["currency"],
            "type": "string",
        }
    first_key = [by_name(r)["currency"]["value"] for r in rows[:3]]
    assert first_key == ["EUR", "USD", "GBP"]


def test_the_rows_of_each_currency_add_up_to_the_single_currency_figures():
    with MockAffilka(token=TOKEN, days=3, campaigns=2, end_date=END) as plain:
        single = all_rows(plain)
    with MockAffilka(
        token=TOKEN, days=3, campaigns=2, end_date=END, currencies=("EUR", "USD"), currency_rows=True
    ) as server:
        split = all_rows(server)
    for key_row in single:
        shares = [
            r for r in split if r[0]["value"] == key_row[0]["value"] and r[2]["value"] == key_row[2]["value"]
        ]
        assert sums(shares) == sums([key_row])


def test_currency_rows_totals_have_one_row_per_currency_with_its_currency_cell():
    with MockAffilka(
        token=TOKEN, days=3, campaigns=2, end_date=END, currencies=("EUR", "USD"), currency_rows=True
    ) as server:
        doc = doc_of(server.report_url(columns=("deposits_sum",)))
    rows = doc["rows"]["data"]
    for total in doc["totals"]["data"]:
        currency = total[0]["value"]
        assert total[0] == {"name": "currency", "value": currency, "type": "string"}
        mine = [r for r in rows if r[3]["value"] == currency]
        assert number(total[1]) == sums(mine, ("deposits_sum",))["deposits_sum"]
    assert [t[0]["value"] for t in doc["totals"]["data"]] == ["EUR", "USD"]


def test_currency_rows_with_one_currency_add_no_currency_cell():
    with MockAffilka(token=TOKEN, days=2, campaigns=2, end_date=END, currency_rows=True) as server:
        rows = all_rows(server)
    assert len(rows) == 4 and "currency" not in by_name(rows[0])
