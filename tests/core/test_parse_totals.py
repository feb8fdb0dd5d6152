"""Affilka's totals block on the parsed report: `ParsedReport.totals` ({column: number}) for one
currency, `ParsedReport.totals_by_currency` ({currency: {column: number}}) for several; the figures
`data.totals_mismatch` compares the rows with."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from affilka_core.load import load_live
from affilka_core.report.frame import ParsedReport, parse_pages
from affilka_core.url.parse import parse_url
from affilka_mock.mock_server import MockAffilka
from affilka_mock.reports import ReportStyle, build_rows, paginate, styled_document, totals_rows
from tests.support import TOKEN, fast_settings

COUNTS = ("visits_count", "registrations_count")
MONEY = ("ngr", "partner_income")
COLUMNS = (*COUNTS, *MONEY)
COUNT_KEYS = ("visits_count", "registrations_count", "depositing_players_count", "first_deposits_count")


def cell(name: str, value: Any, kind: str | None = None) -> dict[str, Any]:
    return {"name": name, "value": value} | ({} if kind is None else {"type": kind})


def eur(amount: str, currency: str = "EUR") -> dict[str, str]:
    return {"amount": amount, "amount_cents": str(round(float(amount) * 100)), "currency": currency}


def day_row(day: str, visits: int, ngr: str, currency: str = "EUR") -> list[dict[str, Any]]:
    return [
        cell("date", day, "date"),
        cell("brand", "Casino Alpha", "string"),
        cell("campaign_id", 501, "integer"),
        cell("visits_count", visits, "integer"),
        cell("ngr", eur(ngr, currency), "money"),
    ]


def totals_row(visits: Any, ngr: Any, *extra: dict[str, Any]) -> list[dict[str, Any]]:
    return [*extra, cell("visits_count", visits, "integer"), cell("ngr", ngr, "money")]


ROWS = [day_row("2026-04-01", 120, "310.50"), day_row("2026-04-02", 80, "-10.25")]


def body(rows: list[Any], totals: Any = None, *, at: str = "top", **top: Any) -> bytes:
    doc: dict[str, Any] = {"report_type": "partner", "total_pages": 1, "rows": {"data": rows}, **top}
    if totals is not None and at == "top":
        doc["totals"] = totals
    elif totals is not None:
        doc["rows"]["totals"] = totals
    return json.dumps(doc).encode()


# --- Where the totals are and how they read ------------------------------------------------------------


@pytest.mark.parametrize("at", ["top", "rows"])
def test_a_totals_block_at_the_top_or_in_rows_becomes_the_reports_totals(at):
    report = parse_pages([body(ROWS, {"data": [totals_row(200, eur("300.25"))]}, at=at)])
    assert report.totals == {"visits_count": 200, "ngr": 300.25}
    assert report.totals_by_currency is None


@pytest.mark.parametrize(
    "ngr",
    [
        eur("300.25"),
        "300.25",
        300.25,
        {"currency": "EUR", "amount_cents": "30025.0"},
        {"amount": 300.25, "currency": "EUR"},
    ],
    ids=["object", "string", "number", "cents-only", "object-number"],
)
def test_totals_money_reads_in_every_shape_the_rows_accept(ngr):
    report = parse_pages([body(ROWS, {"data": [totals_row(200, ngr)]})])
    assert report.totals is not None and report.totals["ngr"] == pytest.approx(300.25)


def test_a_report_without_totals_has_no_totals():
    report = parse_pages([body(ROWS)])
    assert report.totals is None and report.totals_by_currency is None and not report.has_totals


@pytest.mark.parametrize("totals", ["n/a", {"data": "none"}, {"data": [42]}, {"rows": []}, [1, 2]])
def test_a_totals_block_in_another_shape_is_ignored_and_the_rows_still_parse(totals):
    report = parse_pages([body(ROWS, totals)])
    assert report.rows == 2 and report.frame["visits_count"].tolist() == [120, 80]
    assert report.totals is None


def test_dimensions_flags_and_unreadable_cells_in_totals_are_left_out():
    dimensions = [
        cell("date", "2026-04-01", "date"),
        cell("brand", "All brands", "string"),
        cell("campaign_id", 501, "integer"),
    ]
    unreadable = [cell("active", True), cell("note", "n/a"), cell("registrations_count", None, "integer")]
    row = [*totals_row(200, eur("300.25"), *dimensions), *unreadable]
    assert parse_pages([body(ROWS, {"data": [row]})]).totals == {"visits_count": 200, "ngr": 300.25}


def test_totals_rows_as_name_value_objects_are_read_too():
    report = parse_pages([body(ROWS, {"data": [{"visits_count": 200, "ngr": "300.25"}]})])
    assert report.totals == {"visits_count": 200, "ngr": 300.25}


def test_several_totals_rows_in_one_currency_are_added():
    totals = {"data": [totals_row(150, eur("100.00")), totals_row(50, eur("200.25"))]}
    report = parse_pages([body(ROWS, totals)])
    assert report.totals == {"visits_count": 200, "ngr": pytest.approx(300.25)}


def test_totals_rows_per_currency_give_totals_by_currency_and_no_single_total():
    rows = [day_row("2026-04-01", 120, "310.50"), day_row("2026-04-01", 80, "-10.25", "USD")]
    totals = {"data": [totals_row(120, eur("310.50")), totals_row(80, eur("-10.25", "USD"))]}
    report = parse_pages([body(rows, totals)])
    assert report.totals is None
    assert report.totals_by_currency == {
        "EUR": {"visits_count": 120, "ngr": 310.5},
        "USD": {"visits_count": 80, "ngr": -10.25},
    }


def test_a_row_level_currency_cell_in_totals_names_the_currency_of_plain_number_money():
    totals = {
        "data": [
            totals_row(120, "310.50", cell("currency", "EUR", "string")),
            totals_row(80, "-10.25", cell("currency", "USD", "string")),
        ]
    }
    report = parse_pages([body(ROWS, totals)])
    assert report.totals_by_currency == {
        "EUR": {"visits_count": 120, "ngr": 310.5},
        "USD": {"visits_count": 80, "ngr": -10.25},
    }


def test_an_empty_totals_block_gives_no_totals():
    assert parse_pages([body(ROWS, {"data": []})]).totals is None


def test_with_several_pages_the_first_pages_totals_are_kept():
    first = body(ROWS[:1], {"data": [totals_row(200, eur("300.25"))]}, total_pages=2)
    second = body(ROWS[1:], {"data": [totals_row(999, eur("1.00"))]}, total_pages=2)
    assert parse_pages([first, second]).totals == {"visits_count": 200, "ngr": 300.25}


# --- Any split of the rows over pages ------------------------------------------------------------------

VALUES = st.integers(0, 10**7) | st.none()


@st.composite
def paged_reports(draw: st.DrawFn) -> tuple[list[bytes], list[bytes], tuple[str, ...]]:
    """The same rows and totals as one page and as pages of a drawn size, and the currencies used."""
    n = draw(st.integers(0, 30))
    values = {c: draw(st.lists(VALUES, min_size=n, max_size=n)) for c in COLUMNS}
    currencies = draw(st.sampled_from([("EUR",), ("EUR", "USD")]))
    currency_cell = draw(st.booleans())
    style = ReportStyle(money=draw(st.sampled_from(["object", "string", "number"])))
    if style.money != "object" and len(currencies) > 1:
        currency_cell = True  # plain-number money says its currency only through the row's cell
    if len(currencies) > 1 and not currency_cell:
        # a row whose money cells are all null would say no currency at all
        values = {c: [0 if v is None and c in MONEY else v for v in vs] for c, vs in values.items()}
    kwargs: dict[str, Any] = {"currencies": currencies, "currency_cell": currency_cell, "style": style}
    rows = build_rows(columns=COLUMNS, values=values, **kwargs)
    totals = totals_rows(COLUMNS, values, **kwargs)
    at = draw(st.sampled_from(["top", "rows"]))
    pages = paginate(rows, draw(st.integers(1, max(n, 1))))

    def bodies(split: list[list[Any]]) -> list[bytes]:
        return [
            json.dumps(
                styled_document(page, [], page=i + 1, total_pages=len(split), totals=totals, totals_at=at)
            ).encode()
            for i, page in enumerate(split)
        ]

    return bodies([rows]), bodies(pages), currencies[: max(1, min(n, len(currencies)))]


def column_sums(frame: pd.DataFrame) -> dict[str, float]:
    """Each metric column summed (0 for an empty report, which has no metric columns)."""
    return {c: float(frame[c].sum()) if c in frame.columns else 0.0 for c in COLUMNS}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paged_reports())
def test_any_split_of_the_rows_over_pages_gives_the_same_totals_and_the_rows_add_up_to_them(case):
    whole, pages, currencies = case
    one, split = parse_pages(whole), parse_pages(pages)
    pd.testing.assert_frame_equal(one.frame, split.frame)
    assert (one.totals, one.totals_by_currency) == (split.totals, split.totals_by_currency)
    frame = split.frame
    if len(currencies) == 1:
        totals = split.totals
        assert totals is not None and split.totals_by_currency is None
        assert totals == pytest.approx(column_sums(frame), abs=0.005 * (len(frame) + 1))
    else:
        by_currency = split.totals_by_currency
        assert by_currency is not None and split.totals is None
        assert sorted(by_currency) == sorted(currencies)
        for currency, totals in by_currency.items():
            part = frame[frame["currency"] == currency]
            assert totals == pytest.approx(column_sums(part), abs=0.005 * (len(part) + 1))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 20), st.sampled_from(COLUMNS), st.integers(1, 10**6))
def test_one_changed_cell_in_the_rows_makes_its_column_disagree_with_the_totals(n, column, change):
    values = {c: [1000 + i for i in range(n)] for c in COLUMNS}
    totals = totals_rows(COLUMNS, values)
    values[column][n // 2] += change
    doc = styled_document(build_rows(columns=COLUMNS, values=values), [], totals=totals)
    report = parse_pages([json.dumps(doc).encode()])
    sums = column_sums(report.frame)
    assert report.totals is not None
    assert report.totals[column] != pytest.approx(sums[column], abs=0.005)
    for other in set(COLUMNS) - {column}:
        assert report.totals[other] == pytest.approx(sums[other], abs=0.005)


# --- Over loopback HTTP, from the mock -----------------------------------------------------------------


@pytest.fixture
def live():
    """Load a report from a mock Affilka with the given settings (10 days, 2 brands, 5 campaigns)."""
    servers: list[MockAffilka] = []

    def load(**overrides: Any) -> ParsedReport:
        server = MockAffilka(token=TOKEN, days=10, brands=2, campaigns=5, **overrides)
        servers.append(server)
        url = parse_url(server.report_url())
        return load_live(url, settings=fast_settings(server.host_port)).parsed

    yield load
    for server in servers:
        server.close()


def test_a_three_page_report_carries_totals_the_rows_add_up_to(live):
    report = live(page_size=40)
    frame = report.frame
    assert report.total_pages == 3 and len(frame) == 100
    totals = report.totals
    assert totals is not None
    for name, figure in totals.items():
        assert float(frame[name].sum()) == pytest.approx(figure, abs=0.01), name
    assert {k: totals[k] for k in COUNT_KEYS} == {k: int(frame[k].sum()) for k in COUNT_KEYS}


def test_totals_in_rows_totals_are_read_like_top_level_ones(live):
    in_rows = live(totals_at="rows").totals
    assert in_rows is not None and in_rows == live().totals


def test_a_report_served_without_totals_has_no_totals(live):
    report = live(totals_at="none")
    assert report.totals is None and report.totals_by_currency is None


def test_wrong_totals_from_the_server_disagree_with_the_rows_in_that_metric_only(live):
    report = live(wrong_totals=("partner_income",), page_size=30)
    frame, totals = report.frame, report.totals
    assert totals is not None
    assert totals["partner_income"] == pytest.approx(1.1 * frame["partner_income"].sum(), rel=0.001)
    assert totals["ngr"] == pytest.approx(frame["ngr"].sum(), abs=0.01)


@pytest.mark.parametrize("currency_rows", [False, True])
def test_a_report_in_two_currencies_gives_totals_per_currency_matching_its_rows(live, currency_rows):
    report = live(currencies=("EUR", "USD"), currency_rows=currency_rows, page_size=70)
    frame = report.frame
    assert report.totals is None
    by_currency = report.totals_by_currency
    assert by_currency is not None and sorted(by_currency) == ["EUR", "USD"]
    for currency, totals in by_currency.items():
        part = frame[frame["currency"] == currency]
        for name, figure in totals.items():
            assert float(part[name].sum()) == pytest.approx(figure, abs=0.01), (currency, name)
