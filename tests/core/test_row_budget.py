"""Rows per report are counted on each page's bytes before it is decoded: a page of empty rows is refused
without making a row, a report is refused once its pages together pass the budget, and a report within it
parses whatever its brackets."""

from __future__ import annotations

import json
import tracemalloc
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from affilka_core.errors import TooLarge
from affilka_core.load import load_file
from affilka_core.report import row_budget
from affilka_core.report.frame import parse_pages, parse_report

MONEY = {"amount": "310.50", "amount_cents": "31050", "currency": "EUR"}


def empty_rows(count: int) -> bytes:
    """`{"rows": {"data": [[], [], …]}}`: `count` rows of three bytes each."""
    return b'{"rows":{"data":[' + b"[]," * (count - 1) + b"[]]}}"


def usual_row(day: int, campaign: int) -> list[dict[str, Any]]:
    return [
        {"name": "date", "value": f"2026-04-{day:02d}", "type": "date"},
        {"name": "campaign_id", "value": campaign, "type": "integer"},
        {"name": "visits_count", "value": 100 + campaign, "type": "integer"},
        {"name": "ngr", "value": MONEY, "type": "money"},
    ]


def page(rows: list[Any], **top: Any) -> bytes:
    return json.dumps({"total_pages": 1, **top, "rows": {"data": rows}}).encode()


def test_a_30_mb_page_of_empty_rows_is_refused_before_its_rows_are_made():
    body = empty_rows(10_000_000)
    assert len(body) > 30_000_000
    tracemalloc.start()
    try:
        with pytest.raises(
            TooLarge, match=r"more than 2,000,000 rows.*AFFILKA_MAX_ROWS.*narrow the date range"
        ):
            parse_report(body)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # Ten million rows decoded would take about 860 MB; counting them takes a few slices of numpy.
    assert peak < len(body)


def test_a_saved_file_of_empty_rows_is_refused_with_the_budget_it_passed():
    with pytest.raises(TooLarge, match=r"more than 1,000 rows"):
        load_file(empty_rows(5_000), "report.json", max_rows=1_000)


def test_pages_together_are_refused_once_they_pass_the_budget():
    first, second = page([usual_row(1, c) for c in range(6)]), page([usual_row(2, c) for c in range(6)])
    assert parse_pages([first, second], max_rows=12).rows == 12
    with pytest.raises(TooLarge, match=r"more than 11 rows"):
        parse_pages([first, second], max_rows=11)


def test_a_report_within_the_budget_parses_although_its_brackets_pass_it():
    # 40 rows of 5 cells, with brackets in their strings: about 250 `[` and `{`, 40 rows.
    rows = [[*usual_row(1 + i % 20, i), {"name": "brand", "value": "[{Casino} [Alpha]"}] for i in range(40)]
    body = page(rows)
    assert row_budget.upper_bound(body) > 50
    assert parse_pages([body], max_rows=40).rows == 40


_TEXT = st.text(alphabet='[]{}",\\: ab\n', max_size=8)
_VALUE = st.recursive(
    st.none() | st.integers() | _TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_TEXT, inner, max_size=3),
    max_leaves=6,
)
_ROW = st.lists(st.fixed_dictionaries({"name": _TEXT, "value": _VALUE}), max_size=4) | st.dictionaries(
    _TEXT, _VALUE, max_size=4
)


@given(rows=st.lists(_ROW, max_size=12), nested=st.booleans(), slice_bytes=st.integers(1, 64))
def test_rows_are_counted_exactly_whatever_their_strings_hold(rows, nested, slice_bytes):
    body = json.dumps(
        {"note": "[[{", "rows": {"data": rows, "totals": {"data": [[1], [2]]}}} if nested else {"rows": rows}
    )
    # Small slices put every state (in a string, after a backslash, deep in a row) at a slice's edge.
    assert row_budget.count_rows(body.encode(), slice_bytes=slice_bytes) == len(rows)
    assert row_budget.upper_bound(body) >= len(rows)


@pytest.mark.parametrize("body", [b"<html>sign in</html>", b'{"rows": 5}', b'{"error": "no"}', b"[[], []]"])
def test_a_page_without_a_row_list_counts_none_and_decoding_says_what_is_wrong(body):
    assert row_budget.count_rows(body) == 0
