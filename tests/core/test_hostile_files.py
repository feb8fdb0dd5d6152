"""Hostile report files: each gives a frame or one of the project's errors (never a raw exception), at a
cost linear in its size, and `inspect --json` prints JSON for it."""

from __future__ import annotations

import contextlib
import io
import json
import tracemalloc
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from affilka_core.cli import main
from affilka_core.errors import AffilkaError, NotJSON, ReportFormatError
from affilka_core.report.decode import total_pages
from affilka_core.report.frame import parse_pages, parse_report

DIGITS = "7" * 100_000  # a number with 100,000 digits


def cell(name: str, value: Any, kind: str | None = "integer") -> dict[str, Any]:
    return {"name": name, "value": value} | ({} if kind is None else {"type": kind})


def as_body(rows: list[Any], **top: Any) -> bytes:
    return json.dumps({"report_type": "partner", "total_pages": 1, "rows": {"data": rows}, **top}).encode()


def many_names(count: int) -> bytes:
    """`count` rows of a usual report, each with one more cell whose name no other row has (~350 B a row)."""
    money = {"amount": "310.50", "amount_cents": "31050", "currency": "EUR"}
    return as_body(
        [
            [
                cell("date", "2026-04-01", "date"),
                cell("campaign_id", 501),
                cell("visits_count", i),
                cell("ngr", money, "money"),
                cell(f"x{i}", i),
            ]
            for i in range(count)
        ]
    )


def one_wide_row(cells: int, names: int | None = None) -> bytes:
    """One row of `cells` cells (~50 B each), with `names` distinct names (all distinct by default)."""
    names = names or cells
    return as_body([[cell(f"m{j % names}", j) for j in range(cells)]])


def peak_bytes(body: bytes) -> int:
    """Bytes allocated at the peak of parsing `body`, whether it parses or is refused."""
    tracemalloc.start()
    try:
        with contextlib.suppress(AffilkaError):
            parse_report(body)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def inspect_json(body: bytes, tmp_path: Path) -> tuple[int, dict[str, Any]]:
    """`python -m affilka_core inspect FILE --json`, in-process: its exit code and the JSON it printed."""
    path = tmp_path / "report.json"
    path.write_bytes(body)
    out, err = io.StringIO(), io.StringIO()
    code = main(["inspect", str(path), "--json"], out, err=err)
    assert err.getvalue() == ""
    return code, json.loads(out.getvalue())


def frame_or_project_error(body: bytes) -> pd.DataFrame | AffilkaError:
    """What parsing `body` gives; any exception that is not the project's fails the test."""
    try:
        frame = parse_report(body)
    except AffilkaError as exc:
        return exc
    assert isinstance(frame, pd.DataFrame)
    return frame


# --- Many distinct names; one very wide row ------------------------------------------------------------


@pytest.fixture(scope="module")
def names_4000() -> bytes:
    body = many_names(4_000)
    assert 1_200_000 <= len(body) <= 1_500_000  # the 1.3 MB file of the attack
    return body


@pytest.fixture(scope="module")
def wide_100000() -> bytes:
    body = one_wide_row(100_000)
    assert 4_500_000 <= len(body) <= 6_000_000  # the 5 MB file of the attack
    return body


def test_a_report_with_4000_distinct_cell_names_is_refused_saying_what_to_do(names_4000):
    with pytest.raises(ReportFormatError, match=r"different cell names.*In Affilka, export the report"):
        parse_report(names_4000)


def test_a_row_of_100000_distinct_cells_is_refused_saying_what_to_do(wide_100000):
    with pytest.raises(ReportFormatError, match=r"different cell names.*In Affilka, export the report"):
        parse_report(wide_100000)


def test_a_row_of_100000_cells_repeating_20_names_parses_as_one_row_with_their_first_values():
    frame = parse_report(one_wide_row(100_000, names=20))
    assert len(frame) == 1
    assert [frame[f"m{j}"].iloc[0] for j in range(20)] == list(range(20))


@pytest.mark.parametrize(
    ("make", "n"),
    [
        (many_names, 240),  # under the name cap: refused once grouped, as most rows lack most names
        (many_names, 1_000),  # the 4,000-name file and a quarter of it: refused at the cap
        (one_wide_row, 25_000),  # the 100,000-cell row and a quarter of it
        (lambda cells: one_wide_row(cells, names=20), 25_000),  # ... with 20 names repeated: parses
        (one_wide_row, 250),  # 250 vs 1,000 distinct names (the cap): parses
    ],
    ids=["spread-names", "many-names", "wide-row", "wide-row-repeated-names", "wide-row-under-cap"],
)
def test_the_work_of_parsing_grows_linearly_from_n_to_4n(make, n):
    # Peak memory follows the work done: 4x the input may cost about 4x, never the 16x of names x rows.
    small, large = make(n), make(4 * n)
    assert 3.5 * len(small) <= len(large) <= 4.5 * len(small)
    assert peak_bytes(large) <= 6 * peak_bytes(small)


@pytest.mark.parametrize("file", ["names_4000", "wide_100000"])
def test_inspect_prints_json_with_a_failing_check_for_each_hostile_file(file, request, tmp_path):
    code, data = inspect_json(request.getfixturevalue(file), tmp_path)
    assert code == 1 and data["rows"] == 0
    failing = [c for c in data["checks"] if c["status"] == "fail"]
    assert failing and "different cell names" in failing[0]["detail"]


def test_inspect_prints_json_for_a_row_of_100000_cells_with_repeated_names(tmp_path):
    code, data = inspect_json(one_wide_row(100_000, names=20), tmp_path)
    assert code in (0, 1) and data["rows"] == 1
    assert data["totals"]["m19"] == 19


# --- Deep nesting, NaN, BOMs, whitespace, huge numbers -------------------------------------------------

DEEP = 100_000
REPORT = as_body([[cell("date", "2026-04-01", "date"), cell("visits_count", 7)]])


def nested(open_: bytes, close: bytes, inner: bytes = b"") -> bytes:
    return open_ * DEEP + inner + close * DEEP


@pytest.mark.parametrize(
    "body",
    [
        nested(b"[", b"]"),
        nested(b'{"rows":', b"}", b"[]"),
        b'{"rows": {"data": [[{"name": "x", "value": ' + nested(b"[", b"]") + b"}]]}}",
        b'{"rows": {"data": []}, "relations": ' + nested(b'{"a":', b"}", b"1") + b"}",
        b'{"rows": {"data": []}, "totals": ' + nested(b'{"data":', b"}", b"[]") + b"}",
        b'{"rows": {"data": []}, "total_pages": ' + nested(b"[", b"]") + b"}",
    ],
    ids=["list", "rows", "cell-value", "relations", "totals", "total-pages"],
)
def test_json_nested_100000_deep_is_a_report_format_error(body):
    with pytest.raises(ReportFormatError, match="nested too deeply"):
        parse_report(body)
    with pytest.raises(ReportFormatError, match="nested too deeply"):
        total_pages(body)


@pytest.mark.parametrize("literal", [b"NaN", b"Infinity", b"-Infinity", b"nan", b"inf"])
def test_nan_and_infinity_literals_are_not_json(literal):
    body = b'{"rows": {"data": [[{"name": "visits_count", "value": ' + literal + b"}]]}}"
    with pytest.raises(NotJSON, match="not JSON"):
        parse_report(body)


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_as_text_in_cells_and_totals_give_a_frame(text):
    body = as_body(
        [[cell("visits_count", text), cell("ngr", {"amount": text, "currency": "EUR"}, "money")]],
        totals={"data": [[cell("visits_count", text), cell("ngr", text, "money")]]},
    )
    parsed = parse_pages([body])
    assert parsed.rows == 1
    assert parsed.totals == {} and not parsed.has_totals  # no finite figure to compare the rows with


def test_a_utf8_byte_order_mark_is_skipped():
    frame = parse_report(b"\xef\xbb\xbf" + REPORT)
    assert frame["visits_count"].tolist() == [7]


@pytest.mark.parametrize(
    "body",
    [
        b"\xef\xbb\xbf\xef\xbb\xbf" + REPORT,
        b"\xef\xbb\xbf",
        REPORT.decode().encode("utf-16"),
        REPORT.decode().encode("utf-32"),
        b"\xff\xfe" + REPORT,
    ],
    ids=["two-boms", "bom-only", "utf-16", "utf-32", "utf-16-bom-on-utf-8"],
)
def test_other_byte_order_marks_are_not_json(body):
    with pytest.raises(NotJSON, match="not JSON"):
        parse_report(body)


def test_50_mb_of_whitespace_is_not_json():
    with pytest.raises(NotJSON, match="not JSON"):
        parse_report(b" \n\t\r" * 12_500_000)


def test_whitespace_before_a_report_is_skipped():
    frame = parse_report(b" \n" * 1_000_000 + REPORT)
    assert frame["visits_count"].tolist() == [7]


@pytest.mark.parametrize(
    "body",
    [
        b'{"rows": {"data": [[{"name": "visits_count", "value": ' + DIGITS.encode() + b"}]]}}",
        b'{"rows": {"data": []}, "total_pages": ' + DIGITS.encode() + b"}",
    ],
    ids=["cell", "total-pages"],
)
def test_a_json_number_of_100000_digits_is_a_report_format_error(body):
    with pytest.raises(ReportFormatError, match="out of range"):
        parse_report(body)


def test_an_exponent_of_100000_digits_is_an_infinite_figure_not_an_unreadable_report():
    frame = parse_report(b'{"rows": {"data": [[{"name": "ngr", "value": 1e' + DIGITS.encode() + b"}]]}}")
    assert frame["ngr"].tolist() == [float("inf")]


@pytest.mark.parametrize(
    "doc",
    [
        {"rows": {"data": [[cell("visits_count", DIGITS)]]}},
        {"rows": {"data": [[cell("ngr", {"amount": DIGITS, "currency": "EUR"}, "money")]]}},
        {"rows": {"data": [[cell("ngr", {"amount_cents": DIGITS}, "money")]]}},
        {"rows": {"data": [[cell("ggr", DIGITS, None)]]}},
        {"rows": {"data": [[cell("campaign_id", DIGITS)]]}},
        {"rows": {"data": [[cell("campaign", DIGITS, "string")]]}},
        {"rows": {"data": [[cell("campaign_id", 1)]]}, "relations": {"campaigns": [{"id": DIGITS}]}},
        {"rows": {"data": [[cell("date", "2026-04-01T" + DIGITS, "date")]]}},
        {"rows": {"data": []}, "totals": {"data": [[cell("visits_count", DIGITS)]]}},
        {"rows": {"data": []}, "totals": {"data": [[cell("visits_count", float("1e308"))]]}},
        {"rows": {"data": []}, "total_pages": DIGITS},
        {"rows": {"data": [], "total_pages": DIGITS}},
        {"rows": {"data": []}, "total_pages": "²"},
    ],
    ids=[
        "count",
        "money-amount",
        "money-cents",
        "untyped",
        "campaign-id",
        "campaign-name",
        "relation-id",
        "date",
        "totals",
        "totals-near-float-max",
        "total-pages",
        "rows-total-pages",
        "superscript-page-count",
    ],
)
def test_a_numeric_string_of_100000_digits_anywhere_gives_a_frame_or_a_project_error(doc):
    body = json.dumps(doc).encode()
    assert isinstance(frame_or_project_error(body), pd.DataFrame)
    assert total_pages(body) >= 1


def test_a_page_count_too_long_to_convert_is_more_pages_than_any_limit():
    assert total_pages(json.dumps({"rows": [], "total_pages": DIGITS}).encode()) > 10**9
