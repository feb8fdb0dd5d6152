"""Read Affilka report JSON into a pandas DataFrame: one row per report row, one column per cell name.

The common shape (rows.data as lists of `{name, value, type}` cells, money as objects) is decoded by
msgspec straight into small typed structs and assembled column by column, which is several times faster
than `json.loads` and keeps the frame compact (categoricals for repeated strings). Any other variant the
field notes mention falls back to a tolerant path over plain Python values. Whatever the input, only
`NotJSON` (not JSON at all) or `ReportFormatError` (JSON but not a report) escape; `TooLarge` only when
the process runs out of memory.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable, Sequence
from contextlib import suppress
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

import msgspec
import numpy as np
import pandas as pd

from ._gc import cyclic_gc_paused
from .errors import AffilkaError, NotJSON, ReportFormatError, TooLarge
from .guide import (
    DYNAMIC_TAG_PREFIX,
    MONEY_COLUMNS,
    OTHER_GROUP_BY,
    REQUIRED_COLUMNS,
    REQUIRED_GROUP_BY,
    is_known_column,
)

__all__ = ["parse_pages", "parse_report", "total_pages"]

Body = bytes | bytearray | memoryview | str
_T = TypeVar("_T")


# --- Typed shapes for the fast path -------------------------------------------------------------------
# Unknown fields are skipped by msgspec without being materialised; gc=False because these objects hold
# no references cycles and 700k tracked objects would make the collector crawl.


class _Obj(msgspec.Struct, frozen=True, gc=False):
    """An object-valued cell: money `{amount, amount_cents, currency}` or a campaign `{id, name}`."""

    # frozen so that values can be hashed while factorising columns
    amount: float | None = None
    amount_cents: float | None = None
    currency: str | None = None
    id: int | str | None = None
    name: str | None = None


class _Cell(msgspec.Struct, gc=False):
    name: str
    value: int | float | str | _Obj | None = None
    type: str | None = None


class _Campaign(msgspec.Struct, gc=False):
    id: int | str | None = None
    name: str | None = None


class _Relations(msgspec.Struct, gc=False):
    campaigns: list[_Campaign] | None = None


_Row = list[_Cell] | dict[str, int | float | str | _Obj | None]  # cells, or {name: value}


class _Rows(msgspec.Struct, gc=False):
    data: list[_Row]
    total_pages: int | None = None


class _Report(msgspec.Struct, gc=False):
    rows: _Rows | list[_Row]
    total_pages: int | None = None
    relations: _Relations | None = None


# strict=False turns "12.34" into 12.34 where only a number fits (money amounts, total_pages) while
# cell values keep strings as strings, since `str` is one of their allowed types.
_REPORT_DECODER = msgspec.json.Decoder(_Report, strict=False)


class _PageRows(msgspec.Struct, gc=False):
    data: list[msgspec.Raw]
    total_pages: int | None = None


class _PageReport(msgspec.Struct, gc=False):
    rows: _PageRows | list[msgspec.Raw]
    total_pages: int | None = None


# Raw rows are views into the input: checking a row's first byte costs nothing like decoding its cells.
_PAGES_DECODER = msgspec.json.Decoder(_PageReport, strict=False)

_NO_MONEY = _Obj()  # stands for a null money cell, so a column of objects and nulls stays vectorised
_NAME = attrgetter("name")
_VALUE = attrgetter("value")
_TYPE = attrgetter("type")
_AMOUNT = attrgetter("amount")
_CURRENCY = attrgetter("currency")
_CENTS = attrgetter("amount_cents")

_PERIOD_CELLS = ("day", "week", "month", "year")
_DIMENSIONS = frozenset({"date", "brand", "campaign", "campaign_id", "currency"}) | frozenset(
    REQUIRED_GROUP_BY + OTHER_GROUP_BY
)
_MONEY_TYPES = frozenset({"money", "amount", "currency_amount"})
_INT_TYPES = frozenset({"integer", "int", "count", "long", "bigint"})
_FLOAT_TYPES = frozenset({"float", "decimal", "number", "numeric", "double", "percent", "percentage"})
_TEXT_TYPES = frozenset({"string", "str", "text", "date", "datetime", "time"})
_REQUIRED_COUNTS = frozenset(REQUIRED_COLUMNS) - MONEY_COLUMNS
_DATE_UNIT = "datetime64[us]"  # what pandas 3 picks when it parses date strings itself
_EMPTY_DIMENSIONS = ("date", "brand", "campaign", "campaign_id")


@dataclass(slots=True)
class _Page:
    """One decoded response: its rows as cells, its campaign relations and its page count."""

    rows: list[list[_Cell] | dict[str, Any]]
    campaigns: list[tuple[Any, Any]]
    total_pages: int


# --- Public API ---------------------------------------------------------------------------------------


def parse_report(raw: Body) -> pd.DataFrame:
    """Parse one report response (bytes or text) into a DataFrame with one row per report row."""
    return parse_pages([raw])


def parse_pages(raws: Sequence[Body]) -> pd.DataFrame:
    """Parse several pages of one report into a single DataFrame, rows in page order.

    Campaign relations are merged across pages and categoricals share one set of categories.
    """
    with cyclic_gc_paused():
        return _guarded(lambda: _parse_pages(raws))


def _parse_pages(raws: Sequence[Body]) -> pd.DataFrame:
    # a single body passed where a list was expected: iterating it would yield its bytes
    bodies = [raws] if isinstance(raws, bytes | bytearray | memoryview | str) else list(raws)
    return _frame([_decode_page(raw, i, len(bodies)) for i, raw in enumerate(bodies)])


def total_pages(raw: Body) -> int:
    """The report's page count: top-level `total_pages`, else `rows.total_pages`, else 1 (never below 1).

    Raises `NotJSON` / `ReportFormatError` like the parser, without decoding the cells.
    """
    return _guarded(lambda: _total_pages(raw))


# --- Decoding -----------------------------------------------------------------------------------------


def _guarded(work: Callable[[], _T]) -> _T:
    # The contract: callers only ever see our own error family, whatever the bytes were.
    try:
        return work()
    except AffilkaError:
        raise
    except RecursionError as exc:
        raise ReportFormatError("The JSON is nested too deeply to be an Affilka report.") from exc
    except MemoryError as exc:
        raise TooLarge("The report is too large to read in memory: narrow the date range.") from exc
    except Exception as exc:
        raise ReportFormatError(f"The report could not be read ({type(exc).__name__}).") from exc


def _prepare(raw: Body, page: int, pages: int) -> Body:
    if not isinstance(raw, bytes | bytearray | memoryview | str):
        raise NotJSON(f"The answer is not JSON{_where(page, pages)}: got {type(raw).__name__}, not text.")
    # A UTF-8 byte-order mark is not JSON, but some proxies add one; it is harmless to skip.
    if isinstance(raw, str):
        return raw[1:] if raw.startswith("\ufeff") else raw
    if bytes(raw[:3]) == b"\xef\xbb\xbf":
        return memoryview(raw)[3:]
    return raw


def _where(page: int, pages: int) -> str:
    return f" (page {page + 1})" if pages > 1 else ""


def _not_json(raw: Body, exc: BaseException, page: int, pages: int) -> NotJSON:
    head = raw[:2048]
    head_text = head if isinstance(head, str) else bytes(head).decode("utf-8", "replace")
    head_text = head_text.lstrip()
    where = _where(page, pages)
    if not head_text:
        return NotJSON(f"The answer is not JSON{where}: the body is empty.")
    if head_text.startswith("<"):
        return NotJSON(
            f"The answer is not JSON{where}: it is an HTML page (often a sign-in page when the token has "
            "expired)."
        )
    detail = str(exc)
    if "truncated" in detail:
        return NotJSON(f"The answer is not JSON{where}: the JSON is cut short (the download was incomplete).")
    if isinstance(exc, UnicodeError):
        detail = "the bytes are not valid UTF-8 text"
    return NotJSON(f"The answer is not JSON{where}: {detail}.")


def _load_builtins(raw: Body, page: int, pages: int) -> Any:
    """Decode any JSON into plain Python values, mapping every failure to our errors."""
    try:
        return msgspec.json.decode(raw)
    except msgspec.ValidationError:
        pass  # valid JSON msgspec will not represent (numbers beyond float range): stdlib reads them
    except (msgspec.DecodeError, UnicodeError) as exc:
        raise _not_json(raw, exc, page, pages) from exc
    try:
        return json.loads(raw if isinstance(raw, str | bytes) else bytes(raw))
    except ValueError as exc:
        raise ReportFormatError(
            f"The JSON{_where(page, pages)} holds values that cannot be read (e.g. numbers out of range)."
        ) from exc


def _decode_page(raw: Body, page: int, pages: int) -> _Page:
    raw = _prepare(raw, page, pages)
    try:
        report = _REPORT_DECODER.decode(raw)
    except msgspec.ValidationError:
        return _page_from_builtins(_load_builtins(raw, page, pages), page, pages)
    except (msgspec.DecodeError, UnicodeError) as exc:
        raise _not_json(raw, exc, page, pages) from exc
    rows = report.rows
    nested = None
    if isinstance(rows, _Rows):
        nested = rows.total_pages
        rows = rows.data
    campaigns: list[tuple[Any, Any]] = []
    if report.relations is not None and report.relations.campaigns:
        campaigns = [(c.id, c.name) for c in report.relations.campaigns]
    return _Page(rows, campaigns, _page_count(report.total_pages, nested))


def _total_pages(raw: Body) -> int:
    raw = _prepare(raw, 0, 1)
    try:
        report = _PAGES_DECODER.decode(raw)
    except msgspec.ValidationError:
        return _page_from_builtins(_load_builtins(raw, 0, 1), 0, 1).total_pages
    except (msgspec.DecodeError, UnicodeError) as exc:
        raise _not_json(raw, exc, 0, 1) from exc
    rows = report.rows
    nested = None
    where = "rows"
    if isinstance(rows, _PageRows):
        nested = rows.total_pages
        rows = rows.data
        where = "rows.data"
    for i, row in enumerate(rows):
        if memoryview(row)[0] not in b"[{":
            kind = _kind(msgspec.json.decode(row))
            raise ReportFormatError(
                f"Expected each entry of {where} to be a row (a list of cells or an object), got {kind} "
                f"at row {i + 1}."
            )
    return _page_count(report.total_pages, nested)


def _page_count(top: Any, nested: Any) -> int:
    for value in (top, nested):
        count = _as_count(value)
        if count is not None:
            return max(count, 1)
    return 1


def _as_count(value: Any) -> int | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _kind(value: Any) -> str:
    """How a JSON value is described in error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _page_from_builtins(doc: Any, page: int, pages: int) -> _Page:
    """The tolerant path: find the rows in any variant the notes describe, or say what was found."""
    where_page = _where(page, pages)
    if not isinstance(doc, dict):
        raise ReportFormatError(
            f"Expected the report{where_page} to be a JSON object with rows.data, got {_kind(doc)}."
        )
    if "rows" not in doc:
        keys = ", ".join(str(k)[:30] for k in list(doc)[:6]) or "none"
        raise ReportFormatError(
            f"Expected the report{where_page} to have rows.data, found no rows (keys: {keys})."
        )
    rows_value = doc["rows"]
    nested = None
    if isinstance(rows_value, dict):
        where = "rows.data"
        data = rows_value.get("data")
        nested = rows_value.get("total_pages")
    else:
        where = "rows"
        data = rows_value
    if not isinstance(data, list):
        raise ReportFormatError(f"Expected {where}{where_page} to be a list of rows, got {_kind(data)}.")
    rows = [_row_from_builtins(row, i, where, where_page) for i, row in enumerate(data)]
    return _Page(
        rows, _relations_from_builtins(doc.get("relations")), _page_count(doc.get("total_pages"), nested)
    )


def _row_from_builtins(row: Any, index: int, where: str, where_page: str) -> list[_Cell]:
    if isinstance(row, dict):
        # rows as objects {name: value}: no types to go on, values decide
        return [_Cell(str(name), _value(value)) for name, value in row.items()]
    if not isinstance(row, list):
        raise ReportFormatError(
            f"Expected each entry of {where}{where_page} to be a row (a list of cells or an object), got "
            f"{_kind(row)} at row {index + 1}."
        )
    cells = []
    for cell in row:
        if isinstance(cell, dict) and isinstance(cell.get("name"), str):
            kind = cell.get("type")
            kind = kind if isinstance(kind, str) else None
            cells.append(_Cell(cell["name"], _value(cell.get("value")), kind))
        elif isinstance(cell, dict) and len(cell) == 1:
            ((name, value),) = cell.items()  # a cell written as {name: value}
            cells.append(_Cell(str(name), _value(value)))
        else:
            raise ReportFormatError(
                f"Expected each cell of {where}{where_page} to be an object with a name and a value, got "
                f"{_kind(cell)} in row {index + 1}."
            )
    return cells


def _value(value: Any) -> int | float | str | _Obj | None:
    """A plain JSON value as the fast path would have decoded it (lists carry nothing we can use)."""
    if value is None or isinstance(value, int | float | str):
        return value  # bools included: numeric columns read them as 0/1
    if isinstance(value, dict):
        currency = value.get("currency")
        name = value.get("name")
        return _Obj(
            amount=_as_float(value.get("amount")),
            amount_cents=_as_float(value.get("amount_cents")),
            currency=None if currency is None or isinstance(currency, dict | list) else str(currency),
            id=_norm_id(value.get("id")),
            name=None if name is None or isinstance(name, dict | list) else str(name),
        )
    return None


def _relations_from_builtins(relations: Any) -> list[tuple[Any, Any]]:
    campaigns = relations.get("campaigns") if isinstance(relations, dict) else None
    if isinstance(campaigns, dict):
        # keyed by id: {"501": {"name": ...}} or {"501": "name"}
        campaigns = [
            {"id": key, **value} if isinstance(value, dict) else {"id": key, "name": value}
            for key, value in campaigns.items()
        ]
    if not isinstance(campaigns, list):
        return []
    found = []
    for item in campaigns:
        if isinstance(item, dict):
            name = item.get("name")
            found.append((item.get("id"), name if isinstance(name, str) else None))
    return found


# --- Values -------------------------------------------------------------------------------------------


def _as_float(value: Any) -> float | None:
    number = _to_number(value)
    if number is None:
        return None
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf  # an integer literal beyond float range


def _to_number(value: Any) -> int | float | None:
    kind = type(value)
    if kind is int or kind is float:
        return value
    if kind is bool:
        return int(value)
    if kind is str:
        text = value.strip()
        if not text:
            return None
        try:
            return int(text)
        except ValueError:
            pass
        try:
            return float(text)
        except ValueError:
            return None
    if kind is _Obj:
        return _obj_amount(value)
    return None


def _obj_amount(value: _Obj) -> float | None:
    if value.amount is not None:
        return value.amount
    if value.amount_cents is not None:
        return value.amount_cents / 100
    return None


def _norm_id(value: Any) -> int | str | None:
    """A campaign id as one canonical value, so 501, 501.0 and "501" are the same campaign."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else str(value)
    if isinstance(value, _Obj):
        return _norm_id(value.id)
    text = str(value).strip()
    if not text:
        return None
    return int(text) if text.isascii() and text.isdigit() else text


def _label(value: Any) -> Any:
    """A dimension value as a category: strings and integers kept, others made readable."""
    kind = type(value)
    if kind is str or kind is int:
        return value
    if value is None:
        return None
    if kind is bool:
        return "true" if value else "false"
    if kind is float:
        if math.isnan(value):
            return None
        return int(value) if value.is_integer() else str(value)
    if kind is _Obj:
        return value.name if value.name is not None else _label(value.id)
    return str(value)


def _parse_date(value: Any) -> dt.date | None:
    # "2026-04-01", "2026-04-01T00:00:00Z", "2026-04-01T00:00:00+02:00", "2026-04-01 00:00:00": the
    # date part as written; the report's day is the day Affilka labelled, whatever the offset says.
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) < 10 or (len(text) > 10 and text[10] not in "Tt "):
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return None


# --- Assembly -----------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Columns:
    """Cell values per name (one entry per row, None where a row lacks the cell) and, on demand, types."""

    values: dict[str, list[Any]]
    cells: list[_Cell] | None = None  # row-major cells when every row has the same layout
    names: tuple[str, ...] = ()  # the layout of every row, when they share one
    types: dict[str, set[Any]] | None = None

    def types_of(self, name: str) -> set[Any]:
        # Only columns whose name does not settle their kind need types, so they are read lazily.
        if self.types is not None:
            return self.types.get(name, set())
        if self.cells is None or name not in self.names:
            return set()
        width = len(self.names)
        return set(map(_TYPE, self.cells[self.names.index(name) :: width]))


def _columns(rows: list[list[_Cell] | dict[str, Any]]) -> _Columns:
    """Group the rows' cells by name."""
    n = len(rows)
    kinds = set(map(type, rows))
    if kinds == {dict}:
        with suppress(KeyError):  # some row lacks a name the first row has: the general path below
            if len(set(map(len, rows))) == 1:
                return _Columns({name: list(map(itemgetter(name), rows)) for name in rows[0]}, types={})
    if dict in kinds:
        rows = [_cells_of(row) for row in rows]
    elif n and len(set(map(len, rows))) == 1:
        # The usual report: every row lists the same cells in the same order. Reading the cells in one
        # row-major sweep (the order msgspec allocated them in) and slicing out columns is about three
        # times faster than visiting them column by column.
        width = len(rows[0])
        first_names = list(map(_NAME, rows[0]))
        cells = list(chain.from_iterable(rows))
        if len(set(first_names)) == width and list(map(_NAME, cells)) == first_names * n:
            values = list(map(_VALUE, cells))
            by_name = {name: values[j::width] for j, name in enumerate(first_names)}
            return _Columns(by_name, cells, tuple(first_names))
    buckets: dict[str, tuple[list[Any], set[Any], list[int]]] = {}
    for i, row in enumerate(rows):
        for cell in row:
            bucket = buckets.get(cell.name)
            if bucket is None:
                bucket = buckets[cell.name] = ([None] * n, set(), [-1])
            if bucket[2][0] == i:
                continue  # a repeated name in one row: the first cell wins
            bucket[0][i] = cell.value
            bucket[1].add(cell.type)
            bucket[2][0] = i
    return _Columns(
        {name: bucket[0] for name, bucket in buckets.items()},
        types={name: bucket[1] for name, bucket in buckets.items()},
    )


def _cells_of(row: list[_Cell] | dict[str, Any]) -> list[_Cell]:
    return [_Cell(name, value) for name, value in row.items()] if isinstance(row, dict) else row


def _factorize(values: list[Any]) -> tuple[list[Any], np.ndarray]:
    """Unique values in first-seen order and each row's index into them, without per-row pandas work."""
    uniques = list(dict.fromkeys(values))
    index = dict(zip(uniques, range(len(uniques)), strict=True))
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.intp, count=len(values))
    return uniques, codes


def _categorical(codes: np.ndarray, labels: list[Any], empty_dtype: str) -> pd.Categorical:
    """A categorical from factorised rows and one label (or None for NA) per unique value."""
    present = [label for label in labels if label is not None]
    text = [isinstance(label, str) for label in present]
    if any(text) and not all(text):
        # ids like 501 beside "spring": one category type keeps sorting and comparisons sane
        labels = [None if label is None else str(label) for label in labels]
        present = [label for label in labels if label is not None]
    categories = list(dict.fromkeys(present))
    with suppress(TypeError):  # an unorderable mixture keeps first-seen order
        categories.sort()
    position = {category: i for i, category in enumerate(categories)}
    remap = np.array([-1 if label is None else position[label] for label in labels], dtype=np.intp)
    index = pd.Index(categories) if categories else pd.Index([], dtype=empty_dtype)
    return pd.Categorical.from_codes(remap[codes] if len(codes) else codes, categories=index)


def _dimension(values: list[Any], *, as_text: bool = False) -> pd.Categorical:
    uniques, codes = _factorize(values)
    labels = [_label(value) for value in uniques]
    if as_text:
        labels = [None if label is None else str(label) for label in labels]
    return _categorical(codes, labels, "str")


def _dates(values: list[Any]) -> tuple[np.ndarray, bool]:
    """Dates (NaT where unreadable), converting each distinct string once; and whether all were dates."""
    uniques, codes = _factorize(values)
    parsed = [_parse_date(value) for value in uniques]
    all_dates = all(d is not None for d, value in zip(parsed, uniques, strict=True) if value is not None)
    table = np.array([np.datetime64("NaT") if d is None else d for d in parsed], dtype=_DATE_UNIT)
    return (table[codes] if len(codes) else np.array([], dtype=_DATE_UNIT)), all_dates


def _numeric(values: list[Any], want_int: bool | None) -> np.ndarray | pd.api.extensions.ExtensionArray:
    """Numbers from cell values: int64 when integral (Int64 when some are missing), else float64.

    `want_int`: True for integer-typed cells (12.0 becomes 12), False for money and decimals, None to
    decide from the values.
    """
    # A column of plain JSON numbers converts in one C pass; anything else goes value by value.
    # (Not np.array(values): it would silently stringify a mixture, or size a huge array for one long string.)
    kinds = set(map(type, values))
    if values and kinds <= {int, bool}:
        with suppress(OverflowError):  # beyond int64: the slow path makes floats
            array = np.fromiter(values, dtype=np.int64, count=len(values))
            return array.astype(np.float64) if want_int is False else array
    elif values and kinds <= {int, bool, type(None)} and want_int is not False:
        # counts with nulls: mask and convert in C rather than value by value
        with suppress(OverflowError):
            objects = np.array(values, dtype=object)
            mask = pd.isna(objects)
            objects[mask] = 0
            return pd.arrays.IntegerArray(objects.astype(np.int64), mask)
    elif values and kinds <= {int, float, bool}:
        array = np.fromiter(values, dtype=np.float64, count=len(values))
        return array.astype(np.int64) if want_int and _integral(array) else array
    numbers = list(map(_to_number, values))
    present = [x for x in numbers if x is not None]
    integers = want_int is not False and all(type(x) is int for x in present)
    if not integers and want_int and all(isinstance(x, int) or float(x).is_integer() for x in present):
        numbers = [None if x is None else int(x) for x in numbers]
        integers = True
    if integers:
        try:
            data = np.array([0 if x is None else x for x in numbers], dtype=np.int64)
        except OverflowError:
            pass  # beyond int64: floats will do
        else:
            if len(present) == len(numbers):
                return data
            mask = np.fromiter((x is None for x in numbers), dtype=bool, count=len(numbers))
            return pd.arrays.IntegerArray(data, mask)
    return np.array([np.nan if x is None else _as_float(x) for x in numbers], dtype=np.float64)


def _integral(array: np.ndarray) -> bool:
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(array)
        return bool(finite.all() and (array == np.trunc(array)).all() and (np.abs(array) < 2.0**63).all())


def _money(columns: list[list[Any]]) -> tuple[list[np.ndarray], list[Any] | str | None, set[str]]:
    """Amounts in major units per money column; the rows' currency; every currency seen.

    All money columns are read in one row-major sweep (see `_columns`). The rows' currency is one string
    when every money cell carries the same one (the usual report), else a list with one entry per row
    (None where the row's money cells are plain numbers or null).
    """
    width = len(columns)
    cells = columns[0] if width == 1 else list(chain.from_iterable(zip(*columns, strict=True)))
    kinds = set(map(type, cells))
    if kinds == {_Obj, type(None)}:
        cells = [_NO_MONEY if value is None else value for value in cells]  # null cells: no amount
        kinds = {_Obj}
    seen: set[Any]
    flat: np.ndarray | None = None
    if kinds == {_Obj}:
        # The usual report: every cell is a money object.
        flat = np.array(list(map(_AMOUNT, cells)), dtype=np.float64)  # None becomes NaN
        seen = set(map(_CURRENCY, cells))
        missing = np.isnan(flat)
        if missing.any():
            # an object may carry only amount_cents
            cents = np.array(list(map(_CENTS, cells)), dtype=np.float64)
            fill = missing & ~np.isnan(cents)
            flat[fill] = cents[fill] / 100
    elif _Obj not in kinds:
        seen = {None}
        # money as numeric strings or plain numbers: numpy parses them like float() does, in C
        with suppress(ValueError, TypeError, OverflowError):
            flat = np.array(cells, dtype=np.float64)  # None becomes NaN
    else:
        seen = {value.currency if type(value) is _Obj else None for value in cells}
    if flat is None:
        flat = np.array([_as_float(value) for value in cells], dtype=np.float64)
    arrays = [np.ascontiguousarray(flat[j::width]) for j in range(width)]
    currency: list[Any] | str | None
    if len(seen) == 1:
        currency = next(iter(seen))
    elif kinds == {_Obj}:
        currency = _row_currency(list(map(_CURRENCY, cells)), width)
    else:
        currency = _row_currency([value.currency if type(value) is _Obj else None for value in cells], width)
    seen.discard(None)
    return arrays, currency, seen


def _row_currency(currencies: list[Any], width: int) -> list[Any]:
    """Per row, the currency of its first money cell that has one (None if none does)."""
    first = currencies[0::width]
    if width == 1 or None not in first:
        return first
    grid = np.array(currencies, dtype=object).reshape(-1, width)
    present = np.not_equal(grid, None).astype(bool)
    picked = grid[np.arange(len(grid)), present.argmax(axis=1)]
    picked[~present.any(axis=1)] = None
    return picked.tolist()


def _classify(name: str, values: list[Any], columns: _Columns) -> str:
    """'dimension', 'money', 'int', 'float' or 'number' (decide from values) for a column."""
    if name in _DIMENSIONS or name.startswith(DYNAMIC_TAG_PREFIX):
        return "dimension"
    # The guide's columns have a known kind whatever a cell's `type` says (or omits).
    if name in MONEY_COLUMNS:
        return "money"
    if name in _REQUIRED_COUNTS:
        return "int"
    declared = {t.lower() for t in columns.types_of(name) if isinstance(t, str)}
    if declared & _MONEY_TYPES:
        return "money"
    if declared & _INT_TYPES:
        return "int"
    if declared & _FLOAT_TYPES:
        return "float"
    uniques = set(values)
    if any(type(v) is _Obj and (v.amount is not None or v.amount_cents is not None) for v in uniques):
        return "money"
    if is_known_column(name):
        return "number"
    if declared & _TEXT_TYPES:
        return "dimension"
    if all(v is None or type(v) is _Obj or _to_number(v) is not None for v in uniques):
        return "number"
    return "dimension"


def _relation_names(pages: list[_Page]) -> dict[Any, str]:
    names: dict[Any, str] = {}
    for page in pages:
        for raw_id, name in page.campaigns:
            key = _norm_id(raw_id)
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
    uniques, codes = _factorize(keys)
    by_name: dict[str, Any] = {}
    for key, name in relation_names.items():
        by_name[name] = None if name in by_name else key  # a name shared by two ids identifies neither
    resolved_ids: list[Any] = []
    resolved_names: list[Any] = []
    for key in uniques:
        if ids is not None and campaigns is not None:
            campaign_id, name = _campaign_from(key[1], relation_names, by_name)
            campaign_id = _norm_id(key[0]) if _norm_id(key[0]) is not None else campaign_id
        elif ids is not None:
            campaign_id, name = _norm_id(key), None
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
        _categorical(codes, resolved_names, "str"),
        _categorical(codes, resolved_ids, id_dtype),
    )


def _campaign_from(value: Any, relation_names: dict[Any, str], by_name: dict[str, Any]) -> tuple[Any, Any]:
    """(id, name) from a `campaign` cell: an object, an id, or a name."""
    if type(value) is _Obj:
        return _norm_id(value.id), value.name
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None, None
        as_id = _norm_id(text)
        # A digit string is an id unless the relations know it only as some campaign's name.
        if isinstance(as_id, int) and (as_id in relation_names or text not in by_name):
            return as_id, None
        return by_name.get(text), text
    return _norm_id(value), None


def _frame(pages: list[_Page]) -> pd.DataFrame:
    rows = pages[0].rows if len(pages) == 1 else list(chain.from_iterable(page.rows for page in pages))
    n = len(rows)
    relation_names = _relation_names(pages)
    columns = _columns(rows)
    out: dict[str, Any] = {}
    attrs: dict[str, Any] = {
        "total_pages": pages[0].total_pages if pages else 0,
        "relations_campaigns": len({_norm_id(i) for page in pages for i, _ in page.campaigns} - {None}),
    }

    cells = columns.values
    period = "date" if "date" in cells else None
    if "date" in cells:
        out["date"] = _dates(cells.pop("date"))[0]
    else:
        # group_by week/month/year: the period cell holds the period's first day
        for name in _PERIOD_CELLS:
            if name in cells:
                dates, all_dates = _dates(cells[name])
                if all_dates:
                    out["date"] = dates
                    period = name
                    del cells[name]
                    break
    if period is not None:
        attrs["period"] = period
    if "brand" in cells:
        out["brand"] = _dimension(cells.pop("brand"), as_text=True)
    if "campaign" in cells or "campaign_id" in cells:
        ids = cells.pop("campaign_id", None)
        names = cells.pop("campaign", None)
        out["campaign"], out["campaign_id"] = _campaigns(ids, names, relation_names, n)
    currency_cells = cells.pop("currency", None)

    metrics: dict[str, Any] = {}
    money: dict[str, list[Any]] = {}
    for name, values in cells.items():
        kind = _classify(name, values, columns)
        if kind == "dimension":
            out[name] = _dimension(values)
        elif kind == "money":
            metrics[name] = None  # filled below, keeping the response's column order
            money[name] = values
        else:
            metrics[name] = _numeric(values, {"int": True, "float": False}.get(kind))
    currency: list[Any] | str | None = None
    seen_currencies: set[str] = set()
    if money:
        amounts, currency, seen_currencies = _money(list(money.values()))
        metrics.update(zip(money, amounts, strict=True))
    if currency_cells is not None:
        # a `currency` dimension fills rows whose money cells are plain numbers
        cell_currencies = [None if c is None else str(_label(c)) for c in currency_cells]
        seen_currencies.update(c for c in set(cell_currencies) if c is not None)
        if currency is None or isinstance(currency, list):
            currency = _first_present(currency, cell_currencies)
    out.update(metrics)
    if isinstance(currency, list):
        out["currency"] = _dimension(currency, as_text=True)
    else:
        # one currency (or none) for every row: no need to factorise a column of identical strings
        codes = np.full(n, -1 if currency is None else 0, dtype=np.int8)
        categories = pd.Index([] if currency is None else [str(currency)], dtype="str")
        out["currency"] = pd.Categorical.from_codes(codes, categories=categories)

    if n == 0:
        out = _empty_dimensions(out)
    frame = pd.DataFrame(out, index=pd.RangeIndex(n))
    seen_currencies.discard(None)
    attrs["currencies"] = sorted(str(c) for c in seen_currencies)
    frame.attrs.update(attrs)
    return frame


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
            empty[name] = np.array([], dtype=_DATE_UNIT)
        elif name == "campaign_id":
            empty[name] = pd.Categorical([], categories=pd.Index([], dtype="int64"))
        else:
            empty[name] = pd.Categorical([], categories=pd.Index([], dtype="str"))
    empty.update((name, value) for name, value in out.items() if name not in empty)
    return empty
