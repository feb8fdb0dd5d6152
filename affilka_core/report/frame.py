"""Affilka report JSON to a `ParsedReport`: a pandas DataFrame with one row per report row and one column
per cell name, beside what the report says of itself (pages, grouping, currencies, Affilka's totals).

One decode path: `decode` reads each page with msgspec straight into the typed shapes of `schema`
(small structs, not dicts, several times faster than `json.loads`), whose leaves accept any JSON value,
so every variant seen in the field decodes the same way; `columns` normalises each column; this module
reads each page as it arrives (`read_page`: decoded, its cells grouped by name and its money read, then
the cells let go) and assembles the frame from the pages (`assemble`: dates, categoricals for repeated
strings, campaigns resolved through relations, money in major units) and reads Affilka's own totals.
Only `NotJSON`, `Rejected` (Affilka's JSON error at status 200), `ReportFormatError` and `TooLarge` are
expected failures; anything else is a bug and surfaces as such.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from affilka_core.budgets import REPORT_ROWS
from affilka_core.guide import (
    DYNAMIC_TAG_PREFIX,
    MONEY_COLUMNS,
    OTHER_GROUP_BY,
    REQUIRED_COLUMNS,
    REQUIRED_GROUP_BY,
    is_known_column,
)
from affilka_core.report.columns import (
    DATE_UNIT,
    Columns,
    Currency,
    categorical,
    dates,
    dimension,
    factorize,
    group_cells,
    hashable,
    joined_currency,
    label,
    merge_columns,
    money,
    norm_id,
    numeric,
    obj_name,
    row_currency,
    to_number,
    written_nan,
)
from affilka_core.report.decode import Body, Page, decode_page, decode_totals
from affilka_core.report.gc import cyclic_gc_paused
from affilka_core.report.periods import dated_by
from affilka_core.report.row_budget import RowBudget
from affilka_core.report.schema import Obj
from affilka_core.text import one_line

Figures = dict[str, int | float]

_PERIOD_CELLS = ("day", "week", "month", "year")
_DIMENSIONS = frozenset({"date", "brand", "campaign", "campaign_id", "currency"}) | frozenset(
    REQUIRED_GROUP_BY + OTHER_GROUP_BY
)
_MONEY_TYPES = frozenset({"money", "amount", "currency_amount"})
_INT_TYPES = frozenset({"integer", "int", "count", "long", "bigint"})
_FLOAT_TYPES = frozenset({"float", "decimal", "number", "numeric", "double", "percent", "percentage"})
_TEXT_TYPES = frozenset({"string", "str", "text", "date", "datetime", "time"})
_REQUIRED_COUNTS = frozenset(REQUIRED_COLUMNS) - MONEY_COLUMNS
_EMPTY_DIMENSIONS = ("date", "brand", "campaign", "campaign_id")


# --- Public API ---------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, eq=False)
class ParsedReport:
    """A parsed report: `frame` (one row per report row: `date`, `brand`, `campaign`, `campaign_id`,
    `currency` and one column per metric) and what the report says of itself.

    `total_pages` is the page count Affilka announces, `pages_read` how many pages the frame holds;
    `grouping` how the rows are dated ("day", "week", "month" or "year"; None when they carry no date);
    `currencies` every currency seen in money cells; `relation_campaigns` the campaigns
    `relations.campaigns` names. Affilka's own totals, when the report has a totals block: `totals`
    ({column: number}) for one currency, or `totals_by_currency` ({currency: {column: number}}).
    `not_numbers` names, per metric, the rows (counted from 0) whose cell holds a value that is not a
    number ("NaN"): the frame holds NaN there, as for a null cell, and no sum counts them.
    `undated` the rows whose date is not a real day (unreadable, or null), `undated_examples` a few
    of those dates as written (`date_examples`).
    """

    frame: pd.DataFrame = field(repr=False)
    total_pages: int = 1
    pages_read: int = 1
    grouping: str | None = None
    currencies: tuple[str, ...] = ()
    relation_campaigns: int = 0
    totals: Figures | None = None
    totals_by_currency: dict[str, Figures] | None = None
    not_numbers: dict[str, np.ndarray] = field(default_factory=dict, repr=False)
    undated: int = 0
    undated_examples: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return len(self.frame)

    @property
    def brands(self) -> list[str]:
        """The distinct brands in the rows (empty when the report is not grouped by brand)."""
        return brands_in(self.frame)

    @property
    def has_totals(self) -> bool:
        """Whether the report carried Affilka's own totals."""
        return bool(self.totals or self.totals_by_currency)


def brands_in(frame: pd.DataFrame) -> list[str]:
    """The distinct brands in a frame's rows (empty when the report is not grouped by brand)."""
    if "brand" not in frame.columns:
        return []
    return sorted(str(b) for b in frame["brand"].dropna().unique())


def row_currencies(frame: pd.DataFrame) -> list[str]:
    """The currencies a frame's rows carry (each row's money is in one), sorted."""
    if "currency" not in frame.columns:
        return []
    return sorted(str(c) for c in frame["currency"].dropna().unique())


def parse_report(raw: Body) -> pd.DataFrame:
    """Parse one report response (bytes or text) into a DataFrame with one row per report row (the
    frame alone; `parse_pages` gives it with Affilka's totals and the report's page count)."""
    return parse_pages([raw]).frame


def parse_pages(raws: Sequence[Body], *, max_rows: int = int(REPORT_ROWS.default)) -> ParsedReport:
    """Parse several pages of one report into a single `ParsedReport`, rows in page order.

    Campaign relations are merged across pages and categoricals share one set of categories. More than
    `max_rows` rows raise `TooLarge`, before the page that passes it is decoded.
    """
    # a single body passed where a list was expected: iterating it would yield its bytes
    bodies = [raws] if isinstance(raws, bytes | bytearray | memoryview | str) else list(raws)
    budget = RowBudget(max_rows)
    with cyclic_gc_paused():
        return _frame([read_page(raw, i, len(bodies), budget) for i, raw in enumerate(bodies)])


@dataclass(slots=True, eq=False)
class PagePart:
    """What one page brings to the frame, worked out as it arrives: the page without its rows (`page`:
    its relations, page count and totals), how many rows it had, their values grouped by name, and the
    amounts and currency of each column the guide names as money (whose values are then let go)."""

    page: Page
    rows: int
    columns: Columns
    money: dict[str, tuple[np.ndarray, Currency]]
    not_numbers: dict[str, np.ndarray] = field(default_factory=dict)


def _settled_by_name(name: str) -> bool:
    """Whether a column's kind follows from its name alone (see `_classify`), so its cells' declared
    types are never read."""
    return (
        name in _DIMENSIONS
        or name.startswith(DYNAMIC_TAG_PREFIX)
        or name in MONEY_COLUMNS
        or name in _REQUIRED_COUNTS
    )


def read_page(raw: Body, page: int = 0, pages: int = 1, budget: RowBudget | None = None) -> PagePart:
    """One page decoded (`decode.decode_page`: `budget` counts its rows first) and its columns read, so
    that assembling the report (`assemble`) is left with joining the pages: a fetch does this with each
    page while the next ones download. The decoded cells are let go here: what a report holds at once is
    its pages' values, never every page's cell objects."""
    with cyclic_gc_paused():
        decoded = decode_page(raw, page, pages, budget=budget)
        rows = len(decoded.rows)
        columns = group_cells(decoded.rows)
        decoded.rows = []
        columns.keep_types(name for name in columns.values if not _settled_by_name(name))
        found: dict[str, tuple[np.ndarray, Currency]] = {}
        not_numbers: dict[str, np.ndarray] = {}
        for name, values in columns.values.items():
            if name in MONEY_COLUMNS and rows:
                found[name] = money(values)
                nan = written_nan(values, found[name][0])
                if len(nan):
                    not_numbers[name] = nan
                columns.values[name] = [None] * rows  # read: only its place in the column order is kept
        return PagePart(decoded, rows, columns, found, not_numbers)


def assemble(parts: Sequence[PagePart]) -> ParsedReport:
    """One `ParsedReport` from pages already read (`read_page`, in page order): what a fetch does once its
    last page has arrived, having read each while the next ones downloaded."""
    with cyclic_gc_paused():
        return _frame(list(parts))


# --- Assembly -----------------------------------------------------------------------------------------


def _classify(name: str, values: list[Any], columns: Columns) -> str:
    """'dimension', 'money', 'int', 'float' or 'number' (decide from values) for a column."""
    if name in _DIMENSIONS or name.startswith(DYNAMIC_TAG_PREFIX):
        return "dimension"
    # The guide's columns have a known kind whatever a cell's `type` says (or omits).
    if name in MONEY_COLUMNS:
        return "money"
    if name in _REQUIRED_COUNTS:
        return "int"
    declared = {t.lower() for t in columns.types_of(name)}
    if declared & _MONEY_TYPES:
        return "money"
    if declared & _INT_TYPES:
        return "int"
    if declared & _FLOAT_TYPES:
        return "float"
    uniques = set(values)
    if any(type(v) is Obj and to_number(v) is not None for v in uniques):
        return "money"
    if is_known_column(name):
        return "number"
    if declared & _TEXT_TYPES:
        return "dimension"
    if all(v is None or type(v) is Obj or to_number(v) is not None for v in uniques):
        return "number"
    return "dimension"


def _relation_names(pages: list[Page]) -> dict[Any, str]:
    names: dict[Any, str] = {}
    for page in pages:
        for raw_id, name in page.campaigns:
            key = norm_id(raw_id)
            if key is not None and isinstance(name, str) and name and key not in names:
                names[key] = name  # pages repeat relations; the first name seen wins
    return names


def _campaigns(
    ids: list[Any] | None, campaigns: list[Any] | None, relation_names: dict[Any, str], n: int
) -> tuple[pd.Categorical, pd.Categorical]:
    """(campaign name, campaign id) categoricals, resolving names through relations once per campaign."""
    if ids is not None and campaigns is not None:
        keys: list[Any] = list(zip(ids, campaigns, strict=True))
    else:
        keys = ids if ids is not None else campaigns if campaigns is not None else [None] * n
    uniques, codes = factorize(keys)
    by_name: dict[str, Any] = {}
    for key, known in relation_names.items():
        by_name[known] = None if known in by_name else key  # a name shared by two ids identifies neither
    resolved_ids: list[Any] = []
    resolved_names: list[Any] = []
    for key in uniques:
        if ids is not None and campaigns is not None:
            campaign_id, name = _campaign_from(key[1], relation_names, by_name)
            campaign_id = norm_id(key[0]) if norm_id(key[0]) is not None else campaign_id
        elif ids is not None:
            campaign_id, name = norm_id(key), None
        else:
            campaign_id, name = _campaign_from(key, relation_names, by_name)
        if name is None and campaign_id is not None:
            name = relation_names.get(campaign_id, str(campaign_id))
        resolved_ids.append(campaign_id)
        resolved_names.append(name)
    if any(isinstance(i, str) for i in resolved_ids):
        resolved_ids = [None if i is None else str(i) for i in resolved_ids]
        id_dtype = "str"
    else:
        id_dtype = "int64"
    return (
        categorical(codes, resolved_names, "str"),
        categorical(codes, resolved_ids, id_dtype),
    )


def _campaign_from(value: Any, relation_names: dict[Any, str], by_name: dict[str, Any]) -> tuple[Any, Any]:
    """(id, name) from a `campaign` cell: an object, an id, or a name."""
    if type(value) is Obj:
        return norm_id(value.id), obj_name(value)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None, None
        as_id = norm_id(text)
        # A digit string is an id unless the relations know it only as some campaign's name.
        if isinstance(as_id, int) and (as_id in relation_names or text not in by_name):
            return as_id, None
        return by_name.get(text), text
    return norm_id(value), None


def _money_column(parts: list[PagePart], name: str, values: list[Any]) -> tuple[np.ndarray, Currency]:
    """A money column of the report: joined from what each page read of it (`read_page`), or read from
    its values when the guide does not name it (then known to be money only once every page is in)."""
    if name not in MONEY_COLUMNS:
        return money(values)
    amounts, currencies = [], []
    for part in parts:
        found = part.money.get(name)
        amounts.append(found[0] if found is not None else np.full(part.rows, np.nan))
        currencies.append((found[1] if found is not None else None, part.rows))
    return np.concatenate(amounts) if amounts else np.array([], dtype=np.float64), joined_currency(currencies)


def _frame(parts: list[PagePart]) -> ParsedReport:
    pages = [part.page for part in parts]
    n = sum(part.rows for part in parts)
    relation_names = _relation_names(pages)
    columns = merge_columns([part.columns for part in parts], [part.rows for part in parts])
    out: dict[str, Any] = {}

    # lists and nested objects cannot be factorised; money columns read their objects' fields directly
    cells = {
        name: values if name in MONEY_COLUMNS else hashable(values) for name, values in columns.values.items()
    }
    period = None
    undated: int = 0
    undated_examples: tuple[str, ...] = ()
    if "date" in cells:
        written = cells.pop("date")
        out["date"] = dates(written)[0]
        period = dated_by(pd.DatetimeIndex(out["date"]))
        undated, undated_examples = date_examples(written, out["date"])
    else:
        # group_by week/month/year: the period cell holds the period's first day
        for name in _PERIOD_CELLS:
            if name in cells:
                days, all_dates = dates(cells[name])
                if all_dates:
                    out["date"] = days
                    period = name
                    undated, undated_examples = date_examples(cells.pop(name), days)
                    break
    if "brand" in cells:
        out["brand"] = dimension(cells.pop("brand"), as_text=True)
    if "campaign" in cells or "campaign_id" in cells:
        ids = cells.pop("campaign_id", None)
        names = cells.pop("campaign", None)
        out["campaign"], out["campaign_id"] = _campaigns(ids, names, relation_names, n)
    currency_cells = cells.pop("currency", None)

    metrics: dict[str, Any] = {}
    money_cells: dict[str, list[Any]] = {}
    not_numbers = _page_not_numbers(parts)
    for name, values in cells.items():
        kind = _classify(name, values, columns)
        if kind == "dimension":
            out[name] = dimension(values)
        elif kind == "money":
            metrics[name] = None  # filled below, keeping the response's column order
            money_cells[name] = values
        else:
            metrics[name] = numeric(values, {"int": True, "float": False}.get(kind))
            _note_nan(not_numbers, name, written_nan(values, metrics[name]))
    currency: list[Any] | str | None = None
    seen_currencies: set[str] = set()
    if money_cells:
        read = [_money_column(parts, name, values) for name, values in money_cells.items()]
        for name, (amounts, _) in zip(money_cells, read, strict=True):
            if name not in MONEY_COLUMNS:  # the guide's money columns were read page by page
                _note_nan(not_numbers, name, written_nan(money_cells[name], amounts))
        currency, seen_currencies = row_currency([found for _, found in read], n)
        metrics.update(zip(money_cells, (amounts for amounts, _ in read), strict=True))
    if currency_cells is not None:
        # a `currency` dimension fills rows whose money cells are plain numbers
        cell_currencies = [_text(c) for c in currency_cells]
        seen_currencies.update(c for c in set(cell_currencies) if c is not None)
        if currency is None or isinstance(currency, list):
            currency = _first_present(currency, cell_currencies)
    out.update(metrics)
    if isinstance(currency, list):
        out["currency"] = dimension(currency, as_text=True)
    else:
        # one currency (or none) for every row: no need to factorise a column of identical strings
        codes = np.full(n, -1 if currency is None else 0, dtype=np.int8)
        categories = pd.Index([] if currency is None else [str(currency)], dtype="str")
        out["currency"] = pd.Categorical.from_codes(codes, categories=categories)

    if n == 0:
        out = _empty_dimensions(out)
    seen_currencies.discard(None)
    totals, by_currency = _totals(pages)
    return ParsedReport(
        frame=pd.DataFrame(out, index=pd.RangeIndex(n)),
        total_pages=pages[0].total_pages if pages else 0,
        pages_read=len(pages),
        grouping=period,
        currencies=tuple(sorted(str(c) for c in seen_currencies)),
        relation_campaigns=len({norm_id(i) for page in pages for i, _ in page.campaigns} - {None}),
        totals=totals,
        totals_by_currency=by_currency,
        not_numbers={name: rows for name, rows in not_numbers.items() if name in out},
        undated=undated,
        undated_examples=undated_examples,
    )


def date_examples(written: list[Any], days: np.ndarray, limit: int = 5) -> tuple[int, tuple[str, ...]]:
    """How many rows have no readable date (`days` is NaT there: a date that is no real day, text that is
    no date, a null), and the first `limit` distinct such dates as written, each on one line and cut
    short (JSON's spelling: `"2026-02-30"`, `null`)."""
    missing = np.flatnonzero(np.isnat(days))
    if not len(missing):
        return 0, ()
    examples: dict[str, None] = {}
    for i in missing:
        examples.setdefault(_as_written(written[i]))
        if len(examples) == limit:
            break
    return len(missing), tuple(examples)


def _as_written(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        text = one_line(value)
        return '"' + (text if len(text) <= 40 else text[:39] + "…") + '"'
    if isinstance(value, bool | int | float):
        return str(value).lower() if isinstance(value, bool) else str(value)[:40]
    return "an object" if isinstance(value, Obj) else "a list"


def _page_not_numbers(parts: list[PagePart]) -> dict[str, np.ndarray]:
    """The rows of the guide's money columns that are not a number, as each page read them, counted
    across the report."""
    found: dict[str, list[np.ndarray]] = {}
    offset = 0
    for part in parts:
        for name, rows in part.not_numbers.items():
            found.setdefault(name, []).append(rows + offset)
        offset += part.rows
    return {name: np.concatenate(rows) for name, rows in found.items()}


def _note_nan(found: dict[str, np.ndarray], name: str, rows: np.ndarray) -> None:
    if len(rows):
        found[name] = rows


# --- Affilka's totals ---------------------------------------------------------------------------------


def _totals(pages: list[Page]) -> tuple[Figures | None, dict[str, Figures] | None]:
    """({column: number}, None) when the totals rows carry one currency (or none), else (None,
    {currency: {column: number}}); (None, None) when no page has totals.

    Every page carries the whole report's totals, so the first page's are read (a later page's are
    never decoded: if they differ, Affilka's report changed between requests, which the rows show).
    """
    rows = next((found for found in map(decode_totals, pages) if found is not None), None)
    if not rows:
        return None, None
    by_currency: dict[str | None, Figures] = {}
    for row in rows:
        currency, figures = _totals_row(row)
        sums = by_currency.setdefault(currency, {})
        for name, number in figures.items():
            sums[name] = sums.get(name, 0) + number
    named = {currency: sums for currency, sums in by_currency.items() if currency is not None}
    if len(named) > 1:
        # Figures in different currencies cannot be added; rows without a currency fit none of them.
        return None, dict(sorted(named.items()))
    total: Figures = {}
    for sums in by_currency.values():
        for name, number in sums.items():
            total[name] = total.get(name, 0) + number
    return total, None


def _totals_row(row: Any) -> tuple[str | None, dict[str, int | float]]:
    """A totals row's currency (its `currency` cell, else its first money cell's) and its figures."""
    pairs = row.items() if type(row) is dict else ((c.name, c.value) for c in row)
    currency: str | None = None
    money_currency: str | None = None
    figures: dict[str, int | float] = {}
    for name, value in pairs:
        if name == "currency":
            currency = currency or _text(value)
            continue
        if name in _DIMENSIONS or name.startswith(DYNAMIC_TAG_PREFIX) or name in figures:
            continue  # a dimension, or a name repeated in the row (its first cell wins, as in the rows)
        if type(value) is Obj and money_currency is None and type(value.currency) is str:
            money_currency = value.currency
        number = None if type(value) is bool else to_number(value)
        if type(number) is int or (type(number) is float and math.isfinite(number)):
            figures[name] = number
    return currency or money_currency, figures


def _text(value: Any) -> str | None:
    shown = label(value)
    return None if shown is None else str(shown)


def _first_present(current: list[Any] | None, more: list[Any]) -> list[Any]:
    """Per row, the first currency found so far, filled from the next money column where missing."""
    if current is None:
        return more
    if None not in current:
        return current
    return [a if a is not None else b for a, b in zip(current, more, strict=True)]


def _empty_dimensions(out: dict[str, Any]) -> dict[str, Any]:
    """A zero-row frame still carries the dimension columns, with the dtypes a full frame would have."""
    empty: dict[str, Any] = {}
    for name in _EMPTY_DIMENSIONS:
        if name in out:
            empty[name] = out[name]
        elif name == "date":
            empty[name] = np.array([], dtype=DATE_UNIT)
        elif name == "campaign_id":
            empty[name] = pd.Categorical([], categories=pd.Index([], dtype="int64"))
        else:
            empty[name] = pd.Categorical([], categories=pd.Index([], dtype="str"))
    empty.update((name, value) for name, value in out.items() if name not in empty)
    return empty
