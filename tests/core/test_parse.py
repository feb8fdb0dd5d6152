"""parse_report / parse_pages / total_pages read every variant of Affilka's JSON the field notes describe."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import tracemalloc
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from affilka_core.errors import AffilkaError, NotJSON, Rejected, ReportFormatError, TruncatedJSON
from affilka_core.guide import MONEY_COLUMNS, REQUIRED_COLUMNS
from affilka_core.report.decode import total_pages
from affilka_core.report.frame import parse_pages, parse_report

# --- Building reports in the notes' format -------------------------------------------------------------


def cell(name: str, value: Any, kind: str | None = None) -> dict[str, Any]:
    """One cell as Affilka writes it; `kind=None` leaves `type` out."""
    return {"name": name, "value": value} | ({} if kind is None else {"type": kind})


def money(amount: str, currency: str = "EUR") -> dict[str, str]:
    cents = str(round(float(amount) * 100))
    return {"amount": amount, "amount_cents": cents, "currency": currency}


def row(
    date: str = "2026-04-01",
    brand: str = "Casino Alpha",
    campaign_id: int = 501,
    *,
    visits: Any = 120,
    registrations: Any = 9,
    ngr: Any = None,
    partner_income: Any = None,
) -> list[dict[str, Any]]:
    """A row grouped by day, brand and campaign, with two counts and two money cells."""
    return [
        cell("date", date, "date"),
        cell("brand", brand, "string"),
        cell("campaign_id", campaign_id, "integer"),
        cell("visits_count", visits, "integer"),
        cell("registrations_count", registrations, "integer"),
        cell("ngr", money("310.50") if ngr is None else ngr, "money"),
        cell("partner_income", money("77.63") if partner_income is None else partner_income, "money"),
    ]


RELATIONS = {"campaigns": [{"id": 501, "name": "Spring banners", "strategy": "revshare"}]}


def report(rows: list[Any], *, relations: Any = RELATIONS, **top: Any) -> bytes:
    """A complete response body, serialised like the server does."""
    doc: dict[str, Any] = {"report_type": "partner", "total_pages": 1, "rows": {"data": rows}, **top}
    if relations is not None:
        doc["relations"] = relations
    return json.dumps(doc).encode()


# --- The usual report ----------------------------------------------------------------------------------


def test_each_report_row_becomes_one_frame_row_with_each_cell_as_a_column():
    frame = parse_report(report([row(), row("2026-04-02", visits=80)]))
    assert len(frame) == 2
    for name in ("date", "brand", "campaign", "campaign_id", "visits_count", "registrations_count", "ngr"):
        assert name in frame.columns
    assert frame["visits_count"].tolist() == [120, 80]


def test_text_and_bytes_bodies_parse_the_same():
    body = report([row()])
    pd.testing.assert_frame_equal(parse_report(body), parse_report(body.decode()))


def test_dimensions_are_datetime_and_categorical_counts_int64_and_money_float64():
    frame = parse_report(report([row(), row(campaign_id=502)]))
    assert frame["date"].dtype.kind == "M" and frame["date"].dt.tz is None
    for name in ("brand", "campaign", "campaign_id", "currency"):
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
    assert frame["visits_count"].dtype == np.int64
    assert frame["ngr"].dtype == np.float64


def test_campaign_ids_keep_their_integer_value():
    frame = parse_report(report([row(campaign_id=501), row(campaign_id=502)]))
    assert frame["campaign_id"].tolist() == [501, 502]
    assert frame["campaign_id"].cat.categories.dtype.kind == "i"


def test_a_generated_report_matches_a_plain_reading_of_its_json():
    demo = pytest.importorskip("affilka_core.demo")
    rows, relations = demo.generate_rows(
        dt.date(2026, 3, 1), dt.date(2026, 3, 10), brands=("Casino Alpha", "Casino Beta"), campaigns=6
    )
    frame = parse_report(json.dumps(demo.report_document(rows, relations)).encode())
    assert len(frame) == len(rows)
    for i, name in enumerate(c["name"] for c in rows[0]):
        if name in MONEY_COLUMNS:
            expected = [float(r[i]["value"]["amount"]) for r in rows]
            assert frame[name].tolist() == pytest.approx(expected), name
        elif name in REQUIRED_COLUMNS:
            assert frame[name].tolist() == [r[i]["value"] for r in rows], name
    names = {r["id"]: r["name"] for r in relations}
    assert frame["campaign"].tolist() == [names[r[2]["value"]] for r in rows]


# --- Money ---------------------------------------------------------------------------------------------


def test_money_objects_give_their_amount_in_major_units():
    frame = parse_report(report([row(ngr=money("-12.34"), partner_income=money("1000.05"))]))
    assert frame["ngr"].tolist() == [-12.34]
    assert frame["partner_income"].tolist() == [1000.05]


def test_money_as_numeric_strings_is_read_as_float():
    frame = parse_report(report([row(ngr="310.50", partner_income="12")]))
    assert frame["ngr"].dtype == np.float64 and frame["ngr"].tolist() == [310.5]
    assert frame["partner_income"].dtype == np.float64 and frame["partner_income"].tolist() == [12.0]


def test_money_as_plain_numbers_is_read_as_float_without_a_currency():
    parsed = parse_pages([report([row(ngr=310.5, partner_income=12)])])
    frame = parsed.frame
    assert frame["ngr"].tolist() == [310.5]
    assert frame["partner_income"].dtype == np.float64
    assert frame["currency"].isna().all()
    assert parsed.currencies == ()


def test_null_money_cells_become_nan():
    rows = [row(), row()]
    rows[1][5]["value"] = None
    frame = parse_report(report(rows))
    assert frame["ngr"].dtype == np.float64
    assert frame["ngr"].tolist()[0] == 310.5 and math.isnan(frame["ngr"].tolist()[1])


def test_money_object_without_amount_falls_back_to_amount_cents():
    frame = parse_report(report([row(ngr={"amount_cents": "31050", "currency": "EUR"})]))
    assert frame["ngr"].tolist() == [310.5]


def test_money_of_an_unlisted_column_is_recognised_by_its_type():
    rows = [[*row(), cell("ggr", "45", "money")]]
    frame = parse_report(report(rows))
    assert frame["ggr"].dtype == np.float64 and frame["ggr"].tolist() == [45.0]


# --- Counts --------------------------------------------------------------------------------------------


def test_a_null_count_makes_the_column_nullable_int64():
    frame = parse_report(report([row(visits=None), row(visits=7)]))
    assert frame["visits_count"].dtype == "Int64"
    assert frame["visits_count"].isna().tolist() == [True, False]
    assert frame["visits_count"].iloc[1] == 7
    assert frame["registrations_count"].dtype == np.int64


def test_numeric_strings_in_count_cells_become_integers():
    frame = parse_report(report([row(visits="12"), row(visits="3")]))
    assert frame["visits_count"].dtype == np.int64
    assert frame["visits_count"].tolist() == [12, 3]


def test_integral_floats_in_integer_cells_become_integers():
    frame = parse_report(report([row(visits=12.0), row(visits=3)]))
    assert frame["visits_count"].dtype == np.int64
    assert frame["visits_count"].tolist() == [12, 3]


# --- Dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["2026-04-01", "2026-04-01T00:00:00Z", "2026-04-01T00:00:00+02:00", "2026-04-01 00:00:00"],
)
def test_dates_and_datetime_strings_give_the_date_at_midnight(text):
    frame = parse_report(report([row(date=text)]))
    assert frame["date"].tolist() == [pd.Timestamp("2026-04-01")]
    assert frame["date"].dt.tz is None


def test_a_month_period_cell_becomes_the_date_column():
    rows = [[cell("month", "2026-04-01", "date"), cell("brand", "Casino Alpha", "string")]]
    parsed = parse_pages([report(rows)])
    assert parsed.frame["date"].tolist() == [pd.Timestamp("2026-04-01")]
    assert "month" not in parsed.frame.columns
    assert parsed.grouping == "month"


def test_a_period_cell_that_is_not_a_date_stays_a_category():
    frame = parse_report(report([[cell("week", "2026-W14", "string"), cell("visits_count", 1, "integer")]]))
    assert "date" not in frame.columns
    assert frame["week"].tolist() == ["2026-W14"]


# --- Campaigns -----------------------------------------------------------------------------------------


def test_campaign_names_come_from_relations():
    parsed = parse_pages([report([row(campaign_id=501)])])
    assert parsed.frame["campaign"].tolist() == ["Spring banners"]
    assert parsed.relation_campaigns == 1


def test_without_relations_a_campaign_is_named_by_its_id():
    frame = parse_report(report([row(campaign_id=501)], relations=None))
    assert frame["campaign"].tolist() == ["501"]
    assert frame["campaign_id"].tolist() == [501]


def test_a_campaign_missing_from_relations_is_named_by_its_id():
    frame = parse_report(report([row(campaign_id=501), row(campaign_id=777)]))
    assert frame["campaign"].tolist() == ["Spring banners", "777"]


def test_a_campaign_cell_holding_a_name_is_the_name_and_relations_give_its_id():
    rows = [[cell("campaign", "Spring banners", "string"), cell("visits_count", 3, "integer")]]
    frame = parse_report(report(rows))
    assert frame["campaign"].tolist() == ["Spring banners"]
    assert frame["campaign_id"].tolist() == [501]


def test_a_campaign_cell_holding_an_id_is_resolved_like_campaign_id():
    frame = parse_report(report([[cell("campaign", 501, "integer"), cell("visits_count", 3, "integer")]]))
    assert frame["campaign"].tolist() == ["Spring banners"]
    assert frame["campaign_id"].tolist() == [501]


def test_a_campaign_cell_holding_an_object_gives_its_id_and_name():
    rows = [[cell("campaign", {"id": 42, "name": "Telegram VIP"}), cell("visits_count", 3, "integer")]]
    frame = parse_report(report(rows, relations=None))
    assert frame["campaign"].tolist() == ["Telegram VIP"]
    assert frame["campaign_id"].tolist() == [42]


def test_a_campaign_name_without_relations_leaves_the_id_unknown():
    rows = [[cell("campaign", "Spring banners", "string"), cell("visits_count", 3, "integer")]]
    frame = parse_report(report(rows, relations=None))
    assert frame["campaign"].tolist() == ["Spring banners"]
    assert frame["campaign_id"].isna().all()


# --- Page count ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({"total_pages": 3, "rows": {"data": []}}, 3),
        ({"rows": {"data": [], "total_pages": 4}}, 4),
        ({"total_pages": 2, "rows": {"data": [], "total_pages": 9}}, 2),
        ({"rows": {"data": []}}, 1),
        ({"rows": []}, 1),
        ({"total_pages": "5", "rows": {"data": []}}, 5),
        ({"total_pages": None, "rows": {"data": [], "total_pages": 6}}, 6),
    ],
)
def test_total_pages_is_read_from_the_top_else_from_rows_else_one(doc, expected):
    body = json.dumps(doc).encode()
    assert total_pages(body) == expected
    assert parse_pages([body]).total_pages == expected


def test_total_pages_reads_a_full_report():
    assert total_pages(report([row(), row()], total_pages=7)) == 7


def test_total_pages_raises_like_the_parser():
    with pytest.raises(NotJSON):
        total_pages(b"<!DOCTYPE html><html><body>Sign in</body></html>")
    with pytest.raises(ReportFormatError):
        total_pages(b'{"report_type": "partner", "page": 1}')
    with pytest.raises(Rejected, match="not found"):
        total_pages(b'{"error": "not found"}')
    with pytest.raises(ReportFormatError):
        total_pages(b'{"rows": {"data": ["not a row"]}}')


# --- Shapes and absences -------------------------------------------------------------------------------


def test_columns_absent_from_the_response_stay_absent():
    rows = [[cell("date", "2026-04-01", "date"), cell("brand", "Casino Alpha", "string")]]
    frame = parse_report(report(rows))
    for name in ("campaign", "campaign_id", "visits_count", "ngr", "partner_income"):
        assert name not in frame.columns


def test_a_report_without_rows_gives_an_empty_frame_with_typed_dimensions():
    parsed = parse_pages([report([])])
    frame = parsed.frame
    assert len(frame) == 0
    assert frame["date"].dtype.kind == "M"
    for name in ("brand", "campaign", "campaign_id", "currency"):
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
    assert parsed.currencies == ()


def test_rows_given_directly_as_a_list_are_read():
    body = json.dumps({"total_pages": 1, "rows": [row(), row(visits=3)]}).encode()
    assert parse_report(body)["visits_count"].tolist() == [120, 3]


def test_rows_given_as_objects_read_like_rows_of_cells():
    as_objects = [{c["name"]: c["value"] for c in r} for r in (row(), row(campaign_id=502, visits=4))]
    by_objects = parse_report(report(as_objects))
    by_cells = parse_report(report([row(), row(campaign_id=502, visits=4)]))
    pd.testing.assert_frame_equal(by_objects, by_cells)


def test_cells_without_type_infer_money_from_objects_and_known_names():
    rows = [
        [
            cell("brand", "Casino Alpha"),
            cell("visits_count", 5),
            cell("ngr", "10.5"),
            cell("cashouts_sum", {"amount": "3.25", "currency": "EUR"}),
        ]
    ]
    frame = parse_report(report(rows))
    assert frame["visits_count"].dtype == np.int64
    assert frame["ngr"].dtype == np.float64 and frame["ngr"].tolist() == [10.5]
    assert frame["cashouts_sum"].tolist() == [3.25]
    assert frame["currency"].tolist() == ["EUR"]


def test_unknown_dimensions_become_categorical_columns():
    rows = [
        [*row(), cell("player_country", "DE", "string"), cell("strategy", "revshare", "string")],
        [*row(), cell("player_country", "AT", "string"), cell("strategy", "revshare", "string")],
    ]
    frame = parse_report(report(rows))
    assert isinstance(frame["player_country"].dtype, pd.CategoricalDtype)
    assert frame["player_country"].tolist() == ["DE", "AT"]
    assert isinstance(frame["strategy"].dtype, pd.CategoricalDtype)


def test_unknown_cell_types_and_booleans_are_tolerated():
    rows = [[*row(), cell("is_test", True, "boolean"), cell("visits_count_x", 4, "mystery")]]
    frame = parse_report(report(rows))
    assert frame["is_test"].tolist() == [1]
    assert frame["visits_count_x"].tolist() == [4]


def test_rows_with_differing_cells_fill_the_gaps_with_missing_values():
    short = [cell("date", "2026-04-02", "date"), cell("brand", "Casino Alpha", "string")]
    frame = parse_report(report([row(), short]))
    assert len(frame) == 2
    assert frame["visits_count"].dtype == "Int64"
    assert frame["visits_count"].isna().tolist() == [False, True]
    assert frame["campaign"].isna().tolist() == [False, True]


# --- Currencies ----------------------------------------------------------------------------------------


def test_currency_is_the_rows_first_money_currency_and_the_report_lists_every_currency():
    rows = [
        row(ngr=money("1.00", "EUR"), partner_income=money("2.00", "USD")),
        row(ngr=money("1.00", "GBP"), partner_income=money("2.00", "GBP")),
        row(ngr=None, partner_income=None),
    ]
    parsed = parse_pages([report(rows)])
    assert parsed.frame["currency"].tolist() == ["EUR", "GBP", "EUR"]
    assert parsed.currencies == ("EUR", "GBP", "USD")


def test_a_row_whose_first_money_cell_is_null_takes_the_next_currency():
    rows = [row(partner_income=money("2.00", "USD"))]
    rows[0][5]["value"] = None  # ngr
    frame = parse_report(report(rows))
    assert frame["currency"].tolist() == ["USD"]


# --- Several pages -------------------------------------------------------------------------------------


def test_pages_are_merged_in_page_order_with_shared_categories():
    page1 = report([row("2026-04-01", "Casino Alpha", 501)], total_pages=2)
    page2 = report(
        [row("2026-04-02", "Casino Beta", 502), row("2026-04-03", "Casino Alpha", 501)],
        relations={"campaigns": [{"id": 502, "name": "Telegram VIP"}]},
        total_pages=2,
    )
    parsed = parse_pages([page1, page2])
    frame = parsed.frame
    assert frame["date"].tolist() == [pd.Timestamp(f"2026-04-0{d}") for d in (1, 2, 3)]
    assert list(frame["brand"].cat.categories) == ["Casino Alpha", "Casino Beta"]
    # relations from both pages name both campaigns
    assert frame["campaign"].tolist() == ["Spring banners", "Telegram VIP", "Spring banners"]
    assert frame.index.tolist() == [0, 1, 2]
    assert parsed.total_pages == 2
    assert parsed.relation_campaigns == 2


def test_parse_report_is_parse_pages_of_one_page():
    body = report([row(), row(campaign_id=502)])
    pd.testing.assert_frame_equal(parse_report(body), parse_pages([body]).frame)


def test_a_bad_page_names_its_page_number():
    with pytest.raises(NotJSON, match="page 2"):
        parse_pages([report([row()]), b"<html>Sign in</html>"])


# --- Not JSON, not a report ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"<!DOCTYPE html><html><head><title>Sign in</title></head><body>Log in</body></html>",
        b"  \n<html>",
        b"",
        b"Too Many Requests",
    ],
)
def test_a_body_that_is_not_json_raises_not_json(body):
    with pytest.raises(NotJSON, match=r"^The answer is not JSON"):
        parse_report(body)


def test_a_cut_short_report_raises_not_json():
    body = report([row(), row()])
    with pytest.raises(TruncatedJSON, match="cut short"):
        parse_report(body[: len(body) // 2])


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (b"[]", "got a list"),
        (b'"report"', "got a string"),
        (b'{"report_type": "partner", "page": 1}', "no rows"),
        (b'{"rows": {"data": "none"}}', "rows.data to be a list of rows, got a string"),
        (b'{"rows": {"items": []}}', "rows.data to be a list of rows, got null"),
        (b'{"rows": {"data": [42]}}', "got a number at row 1"),
        (b'{"rows": {"data": [[1, 2]]}}', "cell"),
    ],
)
def test_json_that_is_not_a_report_raises_report_format_error_saying_what_was_found(body, says):
    with pytest.raises(ReportFormatError, match=says):
        parse_report(body)


# --- Anything at all -----------------------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4)
    ),
    max_leaves=20,
)
CELL_NAMES = st.sampled_from(
    ["date", "month", "brand", "campaign", "campaign_id", "currency", "visits_count", "ngr", "player_country"]
) | st.text(max_size=6)
CELL_VALUES = (
    JSON_VALUES
    | st.sampled_from(["2026-04-01", "2026-04-01T00:00:00Z", "12", "-3.5", "1e999", "", "NaN"])
    | st.fixed_dictionaries(
        {},
        optional={
            "amount": JSON_VALUES,
            "amount_cents": JSON_VALUES,
            "currency": JSON_VALUES,
            "id": JSON_VALUES,
            "name": JSON_VALUES,
        },
    )
)
CELL_TYPES = (
    st.sampled_from(["money", "integer", "string", "date", "float", "boolean", "mystery"]) | JSON_VALUES
)
CELLS = st.fixed_dictionaries({"name": CELL_NAMES, "value": CELL_VALUES}, optional={"type": CELL_TYPES})
ROWS = st.lists(
    st.lists(CELLS, max_size=5) | st.dictionaries(CELL_NAMES, CELL_VALUES, max_size=5), max_size=5
)


@st.composite
def uniform_rows(draw: st.DrawFn) -> list[list[dict[str, Any]]]:
    """Rows sharing one layout (the fast path), with arbitrary values and types per cell."""
    names = draw(st.lists(CELL_NAMES, min_size=1, max_size=4, unique=True))
    types = [draw(st.none() | CELL_TYPES) for _ in names]
    count = draw(st.integers(0, 5))
    return [
        [
            {"name": name, "value": draw(CELL_VALUES)} | ({} if kind is None else {"type": kind})
            for name, kind in zip(names, types, strict=True)
        ]
        for _ in range(count)
    ]


REPORTS = st.fixed_dictionaries(
    {
        "rows": ROWS
        | uniform_rows()
        | st.fixed_dictionaries({"data": ROWS | uniform_rows()}, optional={"total_pages": JSON_VALUES})
    },
    optional={
        "total_pages": JSON_VALUES,
        "relations": JSON_VALUES
        | st.fixed_dictionaries(
            {
                "campaigns": st.lists(
                    st.fixed_dictionaries({"id": JSON_VALUES, "name": JSON_VALUES}), max_size=3
                )
            }
        ),
    },
)


def assert_frame_or_affilka_error(body: bytes) -> pd.DataFrame | None:
    try:
        frame = parse_report(body)
    except AffilkaError:
        frame = None
    else:
        assert isinstance(frame, pd.DataFrame)
    try:
        pages = total_pages(body)
    except AffilkaError:
        pass
    else:
        assert isinstance(pages, int) and pages >= 1
    return frame


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(JSON_VALUES)
def test_any_json_value_gives_a_frame_or_an_affilka_error(value):
    assert_frame_or_affilka_error(json.dumps(value).encode())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(REPORTS)
def test_report_shaped_documents_with_random_cells_give_a_frame_with_one_row_per_row_or_an_error(doc):
    frame = assert_frame_or_affilka_error(json.dumps(doc).encode())
    if frame is not None:
        data = doc["rows"]["data"] if isinstance(doc["rows"], dict) else doc["rows"]
        assert len(frame) == len(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=64) | st.text(max_size=32).map(str.encode))
def test_arbitrary_bytes_give_a_frame_or_an_affilka_error(body):
    assert_frame_or_affilka_error(body)


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 10_000), st.binary(max_size=4))
def test_mangled_reports_give_a_frame_or_an_affilka_error(cut, junk):
    body = report([row(), row(campaign_id=502, ngr="1.5")])
    cut %= len(body) + 1
    assert_frame_or_affilka_error(body[:cut] + junk + body[cut + len(junk) :])
    assert_frame_or_affilka_error(body[:cut])


# --- Memory --------------------------------------------------------------------------------------------

# The 51,100-row benchmark report must fit in 8 MB; per row that is the budget below.
BYTES_PER_ROW_BUDGET = 8_000_000 / 51_100


def test_a_frame_stays_within_the_memory_budget_per_row():
    demo = pytest.importorskip("affilka_core.demo")
    rows, relations = demo.generate_rows(
        dt.date(2026, 1, 1), dt.date(2026, 4, 10), brands=("Casino Alpha", "Casino Beta"), campaigns=50
    )
    assert len(rows) == 10_000
    frame = parse_report(json.dumps(demo.report_document(rows, relations)).encode())
    assert set(REQUIRED_COLUMNS) <= set(frame.columns)
    assert frame.memory_usage(deep=True).sum() / len(frame) <= BYTES_PER_ROW_BUDGET


# --- Report-shaped input always parses ----------------------------------------------------------------

NUMBERS = st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
NUMERIC_TEXT = NUMBERS.map(str) | st.sampled_from(["NaN", "1e999", "-0", " 12 ", ""])
DAYS = st.dates(dt.date(2000, 1, 1), dt.date(2040, 12, 31))
DATE_TEXT = DAYS.map(str) | DAYS.map(lambda d: f"{d}T00:00:00Z") | DAYS.map(lambda d: f"{d} 00:00:00+02:00")
MONEY_VALUES = (
    st.fixed_dictionaries(
        {"amount": NUMERIC_TEXT | NUMBERS | st.none()},
        optional={
            "amount_cents": NUMERIC_TEXT | NUMBERS,
            "currency": st.sampled_from(["EUR", "USD"]) | st.none(),
        },
    )
    | st.fixed_dictionaries({"amount_cents": NUMERIC_TEXT | NUMBERS}, optional={"currency": st.just("EUR")})
    | NUMERIC_TEXT
    | NUMBERS
)
REPORT_VALUES = (
    st.none()
    | st.booleans()
    | NUMBERS
    | NUMERIC_TEXT
    | DATE_TEXT
    | st.text(max_size=10)
    | MONEY_VALUES
    | st.fixed_dictionaries(
        {"id": st.integers(1, 999) | st.text(max_size=4)}, optional={"name": st.text(max_size=8)}
    )
    | st.lists(st.integers(), max_size=2)
)
REPORT_NAMES = st.sampled_from(
    [
        "date",
        "week",
        "month",
        "brand",
        "campaign",
        "campaign_id",
        "currency",
        "visits_count",
        "ngr",
        "partner_income",
        "ggr",
        "player_country",
        "tag_source",
    ]
) | st.text(max_size=8)
REPORT_TYPES = (
    st.none()
    | st.sampled_from(["money", "integer", "string", "date", "float", "boolean"])
    | st.text(max_size=6)
)


@st.composite
def report_cells(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(REPORT_TYPES)
    return {"name": draw(REPORT_NAMES), "value": draw(REPORT_VALUES)} | (
        {} if kind is None else {"type": kind}
    )


REPORT_ROWS = st.lists(
    st.lists(report_cells(), max_size=6) | st.dictionaries(REPORT_NAMES, REPORT_VALUES, max_size=6),
    max_size=8,
)
PAGE_COUNTS = st.none() | st.integers(-3, 50) | st.integers(1, 50).map(str)


@st.composite
def report_bodies(draw: st.DrawFn) -> tuple[bytes, int]:
    """A response as Affilka (or a proxy in front of it) may send it, and how many rows it holds."""
    rows = draw(REPORT_ROWS | uniform_rows())
    doc: dict[str, Any] = {"report_type": "partner"}
    if draw(st.booleans()):
        doc["rows"] = {"data": rows, "total_pages": draw(PAGE_COUNTS)}
    else:
        doc["rows"] = rows
    if draw(st.booleans()):
        doc["total_pages"] = draw(PAGE_COUNTS)
    if draw(st.booleans()):
        campaigns = st.fixed_dictionaries({"id": st.integers(1, 999), "name": st.text(max_size=8)})
        doc["relations"] = {"campaigns": draw(st.lists(campaigns, max_size=3))}
    body = json.dumps(doc).encode()
    return (b"\xef\xbb\xbf" + body if draw(st.booleans()) else body), len(rows)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_bodies())
def test_report_shaped_input_always_gives_a_frame_with_one_row_per_row(body_and_rows):
    body, rows = body_and_rows
    frame = parse_report(body)
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) == rows
    assert total_pages(body) >= 1


# --- Cost linear in the input, whatever its shape ------------------------------------------------------


def rows_with_one_name_each(count: int) -> list[list[dict[str, Any]]]:
    """`count` rows, each with the usual date and visits plus a cell name no other row has."""
    return [
        [
            cell("date", "2026-04-01", "date"),
            cell("visits_count", i, "integer"),
            cell(f"extra_{i}", i, "integer"),
        ]
        for i in range(count)
    ]


def wide_rows(names: int, count: int = 40) -> list[list[dict[str, Any]]]:
    """`count` rows sharing `names` cell names, each row listing them in a different order."""
    return [[cell(f"metric_{(j + i) % names}", i * j, "integer") for j in range(names)] for i in range(count)]


def peak_bytes(body: bytes) -> int:
    """Bytes allocated at the peak of parsing `body`, whether it parses or is refused."""
    tracemalloc.start()
    try:
        with contextlib.suppress(ReportFormatError):
            parse_report(body)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_row_with_more_cell_names_than_a_report_has_is_refused_saying_what_to_do():
    row_cells = [cell(f"column_{j}", j, "integer") for j in range(1_001)]
    with pytest.raises(ReportFormatError, match=r"1,001 different cell names.*In Affilka"):
        parse_report(report([row_cells]))
    with pytest.raises(ReportFormatError, match="different cell names"):
        parse_report(report([{c["name"]: c["value"] for c in row_cells}]))


def test_rows_that_share_few_cell_names_are_refused_saying_what_to_do():
    with pytest.raises(ReportFormatError, match=r"share few of their .* cell names.*In Affilka"):
        parse_report(report(rows_with_one_name_each(300)))


def test_names_spread_over_rows_are_refused_at_a_cost_linear_in_the_cells():
    # 4x the names (and rows) must cost about 4x, not the 16x of one full-length column per name
    small = peak_bytes(report(rows_with_one_name_each(200)))
    large = peak_bytes(report(rows_with_one_name_each(800)))
    assert large <= 6 * small


def test_a_wide_report_whose_rows_differ_in_order_parses_in_memory_linear_in_its_cells():
    frame = parse_report(report(wide_rows(50)))
    assert len(frame) == 40 and {f"metric_{j}" for j in range(50)} <= set(frame.columns)
    assert frame["metric_3"].tolist() == [i * ((3 - i) % 50) for i in range(40)]
    small = peak_bytes(report(wide_rows(50)))
    large = peak_bytes(report(wide_rows(200)))
    assert large <= 6 * small


# --- Failures that are not the body's ------------------------------------------------------------------


def test_a_bug_in_the_parser_surfaces_instead_of_posing_as_a_bad_report(monkeypatch):
    import affilka_core.report.frame as parse_module

    def broken(values, want_int):
        raise TypeError("planted bug")

    monkeypatch.setattr(parse_module, "numeric", broken)
    with pytest.raises(TypeError, match="planted bug"):
        parse_report(report([row()]))


def test_numbers_beyond_float_range_are_read_as_infinity_for_data_non_finite():
    body = (
        b'{"rows": {"data": [[{"name": "visits_count", "value": 1e999}, {"name": "ngr", "value": -1e999}]]}}'
    )
    frame = parse_report(body)
    assert frame["visits_count"].tolist() == [float("inf")] and frame["ngr"].tolist() == [float("-inf")]


def test_a_cell_without_a_name_is_a_report_format_error_naming_the_row():
    body = report([row(), [{"visits_count": 3}]])
    with pytest.raises(ReportFormatError, match="an object without a name in row 2"):
        parse_report(body)


def test_a_null_currency_cell_leaves_the_rows_currency_missing():
    rows = [
        [cell("brand", "Casino Alpha"), cell("ngr", 10.5), cell("currency", None)],
        [cell("brand", "Casino Alpha"), cell("ngr", 2.0), cell("currency", "EUR")],
    ]
    parsed = parse_pages([report(rows)])
    assert parsed.frame["currency"].isna().tolist() == [True, False]
    assert list(parsed.frame["currency"].cat.categories) == ["EUR"]
    assert parsed.currencies == ("EUR",)
