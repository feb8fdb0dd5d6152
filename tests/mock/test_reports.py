"""`affilka_mock.reports`: the demo's numbers in every shape Affilka sends, pages, the benchmark report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from affilka_core.demo import generate_rows
from affilka_core.guide import MONEY_COLUMNS, REQUIRED_COLUMNS
from affilka_mock.reports import (
    ReportStyle,
    benchmark_report,
    brand_names,
    build_rows,
    paginate,
    split_by_currency,
    styled_document,
    styled_rows,
    totals_rows,
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


# --- Totals and one row per currency ------------------------------------------------------------------

money_or_null = st.one_of(st.none(), st.integers(-(10**9), 10**9))


@given(values=st.lists(money_or_null, max_size=30), parts=st.integers(1, 4))
def test_a_values_shares_per_currency_add_up_to_it(values, parts):
    shares = split_by_currency(values, parts)
    assert len(shares) == len(values) * parts
    for i, value in enumerate(values):
        mine = shares[i * parts : (i + 1) * parts]
        assert mine == [None] * parts if value is None else sum(mine) == value  # type: ignore[arg-type]


@given(
    visits=st.lists(st.one_of(st.none(), st.integers(0, 10**6)), min_size=1, max_size=30),
    currencies=st.lists(st.sampled_from(["EUR", "USD", "GBP", "CAD"]), min_size=1, max_size=3, unique=True),
)
def test_totals_are_the_sums_of_each_currencys_rows(visits, currencies):
    ngr = [None if v is None else v * 3 - 500 for v in visits]
    values = {"visits_count": visits, "ngr": ngr}
    rows = build_rows(columns=("visits_count", "ngr"), values=values, currencies=currencies)
    totals = totals_rows(("visits_count", "ngr"), values, currencies=currencies)
    assert len(totals) == min(len(visits), len(currencies))
    for total in totals:
        currency = total[1]["value"]["currency"]
        mine = [r for r in rows if r[1]["value"] is not None and r[1]["value"]["currency"] == currency]
        mine_visits = [r for i, r in enumerate(rows) if currencies[i % len(currencies)] == currency]
        assert total[0] == {
            "name": "visits_count",
            "value": sum(r[0]["value"] or 0 for r in mine_visits),
            "type": "integer",
        }
        assert int(total[1]["value"]["amount_cents"]) == sum(int(r[1]["value"]["amount_cents"]) for r in mine)


@given(
    total=st.integers(-(10**8), 10**8),
    fraction=st.floats(-0.9, 0.9).filter(lambda f: f != 0),
    column=st.sampled_from(["visits_count", "partner_income"]),
)
def test_a_skewed_total_always_disagrees_with_the_rows(total, fraction, column):
    (row,) = totals_rows((column,), {column: [total]}, skew={column: fraction})
    value = row[0]["value"]
    served = int(value["amount_cents"]) if isinstance(value, dict) else value
    assert served != total


def test_totals_without_rows_are_one_row_of_zeros_in_the_first_currency():
    (row,) = totals_rows(("visits_count", "ngr"), {"visits_count": [], "ngr": []}, currencies=("USD", "EUR"))
    assert row == [
        {"name": "visits_count", "value": 0, "type": "integer"},
        {"name": "ngr", "value": {"amount": "0.00", "amount_cents": "0", "currency": "USD"}, "type": "money"},
    ]


def test_styled_document_places_totals_at_the_top_in_rows_or_nowhere():
    totals = [[{"name": "visits_count", "value": 3, "type": "integer"}]]
    assert styled_document([], [], totals=totals)["totals"] == {"data": totals}
    in_rows = styled_document([], [], totals=totals, totals_at="rows")
    assert in_rows["rows"]["totals"] == {"data": totals} and "totals" not in in_rows
    nowhere = styled_document([], [], totals=totals, totals_at="none")
    assert "totals" not in nowhere and "totals" not in nowhere["rows"]


def test_build_rows_adds_a_row_level_currency_cell_after_the_dimensions():
    rows = build_rows(
        columns=("ngr",), values={"ngr": [100, 200]}, campaign_ids=[501, 501], currencies=("EUR", "USD"),
        currency_cell=True,
    )  # fmt: skip
    assert [[c["name"] for c in r] for r in rows] == [["campaign_id", "currency", "ngr"]] * 2
    assert [r[1]["value"] for r in rows] == [r[2]["value"]["currency"] for r in rows] == ["EUR", "USD"]


# --- The benchmark report ------------------------------------------------------------------------------


def test_benchmark_report_has_51100_rows_money_as_objects_and_weighs_55_to_65_mb():
    body = benchmark_report()
    assert body.count(b'{"name": "date", ') == 365 * 2 * 70 == 51_100
    assert 55e6 <= len(body) <= 65e6
    assert body.startswith(b'{"report_type": "partner", "total_pages": 1, "page": 1, "rows": {"data": [')
    assert b'"2025-01-01"' in body and b'"2025-12-31"' in body and b'"Casino Beta"' in body
    assert body.count(b'"amount_cents": ') == 51_100 * len(MONEY_COLUMNS)
    assert body.count(b'"type": "integer"') == 51_100 * (1 + len(REQUIRED_COLUMNS) - len(MONEY_COLUMNS))
