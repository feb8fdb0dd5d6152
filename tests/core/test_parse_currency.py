"""Money without `amount`, and reports with one row per currency (a row-level `currency` cell)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from affilka_core.fetch.report import fetch_report
from affilka_core.report.frame import parse_pages, parse_report
from affilka_core.url.parse import parse_url
from affilka_mock.mock_server import MockAffilka
from affilka_mock.reports import ReportStyle
from tests.support import TOKEN, fast_settings


def cell(name: str, value: Any, kind: str | None = None) -> dict[str, Any]:
    return {"name": name, "value": value} | ({} if kind is None else {"type": kind})


def report(rows: list[Any]) -> bytes:
    return json.dumps({"report_type": "partner", "total_pages": 1, "rows": {"data": rows}}).encode()


def currency_row(currency: Any, ngr: Any, visits: int = 10) -> list[dict[str, Any]]:
    return [
        cell("date", "2026-04-01", "date"),
        cell("brand", "Casino Alpha", "string"),
        cell("campaign_id", 501, "integer"),
        cell("currency", currency, "string"),
        cell("visits_count", visits, "integer"),
        cell("ngr", ngr, "money"),
    ]


def test_money_with_float_looking_cents_and_no_amount_reads_in_major_units():
    frame = parse_report(report([currency_row("EUR", {"currency": "EUR", "amount_cents": "41711.0"})]))
    assert frame["ngr"].tolist() == [417.11]
    assert frame["currency"].tolist() == ["EUR"]


@pytest.mark.parametrize(
    ("eur", "usd"),
    [
        ({"amount": "310.50"}, {"amount": "12.00"}),
        ({"amount_cents": "31050.0"}, {"amount_cents": "1200.0"}),
        ("310.50", "12.00"),
        (310.5, 12),
    ],
    ids=["objects-without-currency", "cents-without-currency", "strings", "numbers"],
)
def test_a_row_level_currency_cell_gives_each_row_its_currency_when_money_cells_name_none(eur, usd):
    parsed = parse_pages([report([currency_row("EUR", eur, 7), currency_row("USD", usd, 3)])])
    frame = parsed.frame
    assert frame["currency"].tolist() == ["EUR", "USD"]
    assert frame["ngr"].tolist() == [310.5, 12.0]
    assert frame["visits_count"].tolist() == [7, 3]
    assert parsed.currencies == ("EUR", "USD")


@pytest.mark.parametrize("money", ["object", "string", "number"])
def test_the_mocks_one_row_per_currency_report_puts_each_rows_currency_cell_in_the_currency_column(money):
    with MockAffilka(
        token=TOKEN,
        days=4,
        campaigns=3,
        currencies=("EUR", "USD", "GBP"),
        currency_rows=True,
        page_size=10,
        style=ReportStyle(money=money),
    ) as server:
        fetched = fetch_report(parse_url(server.report_url()), settings=fast_settings(server.host_port))
    assert fetched.total_pages > 1
    expected = [
        next(c["value"] for c in row if c["name"] == "currency")
        for page in fetched.pages
        for row in json.loads(page)["rows"]["data"]
    ]
    parsed = parse_pages(fetched.pages)
    assert parsed.frame["currency"].tolist() == expected
    assert sorted(set(expected)) == ["EUR", "GBP", "USD"] and parsed.rows == 4 * 3 * 3
    assert parsed.currencies == ("EUR", "GBP", "USD")
