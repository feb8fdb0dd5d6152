"""`affilka_mock.reports`: the demo's numbers in every shape Affilka sends, pages, the benchmark report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from affilka_core.demo import generate_rows
from affilka_core.guide import MONEY_COLUMNS, REQUIRED_COLUMNS
from affilka_mock.reports import (
    ReportStyle,
    benchmark_report,
    brand_names,
    paginate,
    styled_document,
    styled_rows,
)

START = dt.date(2026, 1, 1)
END = dt.date(2026, 4, 30)


def one_row(style: ReportStyle) -> list[dict[str, Any]]:
    rows, _ = styled_rows(START, START, style=style)
    return rows[0]


def by_name(row: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {cell["name"]: cell for cell in row}


# --- Columns and currency ------------------------------------------------------------------------------


def test_the_default_style_gives_exactly_the_demo_rows():
    assert styled_rows(START, START + dt.timedelta(days=2), campaigns=4) == generate_rows(
        START, START + dt.timedelta(days=2), campaigns=4
    )


def test_only_the_requested_columns_in_the_requested_order():
    rows, _ = styled_rows(START, START, columns=("ngr", "visits_count"))
    assert [c["name"] for c in rows[0]] == ["date", "brand", "campaign_id", "ngr", "visits_count"]


def test_a_column_it_cannot_generate_is_refused():
    with pytest.raises(ValueError, match="ggr"):
        styled_rows(START, START, columns=("ggr",))


def test_the_currency_is_the_one_asked_for():
    rows, _ = styled_rows(START, START, columns=("ngr",), currency="USD")
    assert {r[3]["value"]["currency"] for r in rows} == {"USD"}


def test_brand_names_run_through_the_greek_alphabet_then_number_on():
    assert brand_names(3) == ("Casino Alpha", "Casino Beta", "Casino Gamma")
    assert brand_names(10)[-2:] == ("Casino 9", "Casino 10")


# --- Styles --------------------------------------------------------------------------------------------


def test_default_style_is_money_objects_campaign_ids_and_plain_dates():
    row = by_name(one_row(ReportStyle()))
    assert set(row["ngr"]["value"]) == {"amount", "amount_cents", "currency"}
    assert row["campaign_id"]["value"] == 501
    assert row["date"]["value"] == "2026-01-01"


def test_money_as_numeric_strings():
    cell = by_name(one_row(ReportStyle(money="string")))["deposits_sum"]
    assert cell["type"] == "money" and isinstance(cell["value"], str)
    assert float(cell["value"]) > 0 and len(cell["value"].split(".")[1]) == 2


def test_money_as_plain_numbers():
    cell = by_name(one_row(ReportStyle(money="number")))["deposits_sum"]
    assert cell["type"] == "money" and isinstance(cell["value"], float)


def test_every_money_style_carries_the_same_amount():
    def deposits(money: str) -> Any:
        return by_name(one_row(ReportStyle(money=money)))["deposits_sum"]["value"]  # type: ignore[arg-type]

    cents = int(deposits("object")["amount_cents"])
    assert float(deposits("string")) * 100 == pytest.approx(cents)
    assert deposits("number") * 100 == pytest.approx(cents)


def test_campaign_cell_holds_the_name():
    row = one_row(ReportStyle(campaign_cell="campaign"))
    assert row[2] == {"name": "campaign", "value": "Spring banners", "type": "string"}
    assert "campaign_id" not in by_name(row)


@pytest.mark.parametrize(
    ("dates", "text"),
    [("datetime_tz", "2026-01-01T00:00:00+00:00"), ("datetime", "2026-01-01 00:00:00")],
)
def test_dates_as_datetime_strings(dates, text):
    assert one_row(ReportStyle(dates=dates))[0]["value"] == text


def test_a_fraction_of_column_values_is_null_but_never_a_dimension():
    rows, _ = styled_rows(START, END, campaigns=10, style=ReportStyle(null_fraction=0.1))
    cells = [c for r in rows for c in r[3:]]
    share = sum(c["value"] is None for c in cells) / len(cells)
    assert 0.07 < share < 0.13
    assert all(c["value"] is not None for r in rows for c in r[:3])


def test_nulls_fall_in_the_same_places_every_time():
    style = ReportStyle(null_fraction=0.2)
    assert styled_rows(START, START, style=style) == styled_rows(START, START, style=style)


def test_a_style_variant_that_does_not_exist_is_refused():
    with pytest.raises(ValueError, match="money"):
        ReportStyle(money="cents")  # type: ignore[arg-type]


# --- Documents -----------------------------------------------------------------------------------------


def test_total_pages_at_top_level_by_default():
    doc = styled_document([], [], page=2, total_pages=3)
    assert doc["total_pages"] == 3 and doc["page"] == 2 and "total_pages" not in doc["rows"]


def test_total_pages_inside_rows():
    doc = styled_document([], [], total_pages=3, style=ReportStyle(total_pages_at="rows"))
    assert doc["rows"] == {"data": [], "total_pages": 3} and "total_pages" not in doc


def test_without_relations():
    rows, campaigns = styled_rows(START, START)
    assert "relations" not in styled_document(rows, campaigns, style=ReportStyle(relations=False))


def test_relations_list_only_the_campaigns_present_by_id():
    rows, campaigns = styled_rows(START, START, campaigns=6)
    doc = styled_document([r for r in rows if r[2]["value"] in (502, 504)], campaigns)
    assert list(doc) == ["report_type", "total_pages", "page", "rows", "relations"]
    assert [c["id"] for c in doc["relations"]["campaigns"]] == [502, 504]


def test_relations_match_campaign_names_when_the_cell_holds_the_name():
    style = ReportStyle(campaign_cell="campaign")
    rows, campaigns = styled_rows(START, START, campaigns=6, style=style)
    doc = styled_document(rows[:1], campaigns, style=style)
    assert [c["name"] for c in doc["relations"]["campaigns"]] == ["Spring banners"]


# --- Pages ---------------------------------------------------------------------------------------------


def test_paginate_covers_every_row_once_in_order():
    rows, _ = styled_rows(START, START, campaigns=12)
    pages = paginate(rows, 5)
    assert [len(p) for p in pages] == [5, 5, 2]
    assert [r for p in pages for r in p] == rows


def test_paginate_gives_one_empty_page_for_no_rows():
    assert paginate([], 100) == [[]]


def test_a_page_size_below_one_is_refused():
    with pytest.raises(ValueError, match="page_size"):
        paginate([], 0)


# --- The benchmark report ------------------------------------------------------------------------------


def test_benchmark_report_has_51100_rows_money_as_objects_and_weighs_55_to_65_mb():
    body = benchmark_report()
    assert body.count(b'{"name": "date", ') == 365 * 2 * 70 == 51_100
    assert 55e6 <= len(body) <= 65e6
    assert body.startswith(b'{"report_type": "partner", "total_pages": 1, "page": 1, "rows": {"data": [')
    assert b'"2025-01-01"' in body and b'"2025-12-31"' in body and b'"Casino Beta"' in body
    assert body.count(b'"amount_cents": ') == 51_100 * len(MONEY_COLUMNS)
    assert body.count(b'"type": "integer"') == 51_100 * (1 + len(REQUIRED_COLUMNS) - len(MONEY_COLUMNS))
