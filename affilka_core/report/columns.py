"""Cell values to typed columns: grouping a report's cells by name, then one array per name.

Cells arrive as msgspec decoded them (`report_schema`): any JSON scalar, a list, or an `Obj`. Each
column is normalised here, vectorised where its values allow (the usual report), value by value
otherwise. Grouping is linear in the cells whatever the layout: the number of distinct names and the
frame they would spread into are bounded before any full-length column is built.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter, itemgetter
from typing import Any, cast

import numpy as np
import pandas as pd

from affilka_core.budgets import MAX_CELL_NAMES, MAX_SPREAD, SPREAD_SLACK
from affilka_core.dates import read_day
from affilka_core.errors import NotOneTable
from affilka_core.report.schema import Cell, Obj, Row

DATE_UNIT = "datetime64[us]"  # what pandas 3 picks when it parses date strings itself

_NO_MONEY = Obj()  # stands for a null money cell, so a column of objects and nulls stays vectorised
_NAME = attrgetter("name")
_VALUE = attrgetter("value")
_TYPE = attrgetter("type")
_AMOUNT = attrgetter("amount")
_CURRENCY = attrgetter("currency")
_CENTS = attrgetter("amount_cents")
_NUMERIC_KINDS = frozenset({int, float, bool, str, type(None)})


# --- Values --------------------------------------------------------------------------------------------


def as_float(value: Any) -> float | None:
    number = to_number(value)
    if number is None:
        return None
    try:
        return float(number)
    except OverflowError:
        return math.inf if number > 0 else -math.inf  # an integer literal beyond float range


def to_number(value: Any) -> int | float | None:
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
    if kind is Obj:
        return _obj_amount(value)
    return None


def _obj_amount(value: Obj) -> float | None:
    amount = as_float(value.amount)
    if amount is not None:
        return amount
    cents = as_float(value.amount_cents)
    return None if cents is None else cents / 100


def norm_id(value: Any) -> int | str | None:
    """A campaign id as one canonical value, so 501, 501.0 and "501" are the same campaign."""
    if value is None or isinstance(value, bool | dict | list):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else str(value)
    if isinstance(value, Obj):
        return norm_id(value.id)
    text = str(value).strip()
    if not text:
        return None
    if text.isascii() and text.isdigit():
        with suppress(ValueError):  # more digits than Python converts: kept as text
            return int(text)
    return text


def label(value: Any) -> Any:
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
    if kind is Obj:
        name = obj_name(value)
        return name if name is not None else label(norm_id(value.id))
    if kind is list or kind is dict:
        return None
    return str(value)


def _parse_date(value: Any) -> dt.date | None:
    # "2026-04-01", "2026-04-01T00:00:00Z", "2026-04-01T00:00:00+02:00", "2026-04-01 00:00:00": the
    # date part as written; the report's day is the day Affilka labelled, whatever the offset says.
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) < 10 or (len(text) > 10 and text[10] not in "Tt "):
        return None
    return read_day(text[:10])  # YYYY-MM-DD only: `fromisoformat` alone reads 2026-W49-1 too


def _scalar(value: Any) -> Any:
    """A field of an object as a scalar: nested lists and objects carry nothing a column can use."""
    return None if isinstance(value, dict | list) else value


def obj_name(value: Obj) -> str | None:
    """An object's `name` as text (None when absent or not a scalar)."""
    name = _scalar(value.name)
    return None if name is None else str(name)


def _currency(value: Any) -> str | None:
    """A money cell's currency as text, None for anything else."""
    if type(value) is not Obj:
        return None
    currency = _scalar(value.currency)
    return None if currency is None else str(currency)


def _clean(value: Any) -> Any:
    """A cell value made hashable: lists dropped, objects with only scalar fields."""
    kind = type(value)
    if kind is list:
        return None
    if kind is Obj:
        return Obj(*(_scalar(getattr(value, field)) for field in Obj.__struct_fields__))
    return value


def hashable(values: list[Any]) -> list[Any]:
    """The column's values, cleaned only when some are lists or objects (so they can be factorised)."""
    kinds = set(map(type, values))
    if list not in kinds and Obj not in kinds:
        return values
    return list(map(_clean, values))


# --- Grouping cells by name ---------------------------------------------------------------------------


@dataclass(slots=True)
class Columns:
    """Cell values per name (one entry per row, None where a row lacks the cell) and, on demand, types."""

    values: dict[str, list[Any]]
    cells: list[Cell] | None = None  # row-major cells when every row has the same layout
    names: dict[str, int] = field(default_factory=dict)  # each name's place in every row, when shared
    types: dict[str, set[str]] | None = None
    read: int = 0  # cells read (a row's repeated name counted once)
    parts: list[Columns] | None = None  # the pages' own columns, when these are several pages merged

    def keep_types(self, names: Iterable[str]) -> None:
        """Read the declared types of `names` now, and let the cells go (each cell's object, name and type
        are most of a decoded page's memory): `types_of` then knows only these names."""
        if self.cells is not None:
            self.types = {name: self.types_of(name) for name in names if name in self.values}
            self.cells = None

    def types_of(self, name: str) -> set[str]:
        """The distinct `type` strings the column's cells declare."""
        # Only columns whose name does not settle their kind need types, so they are read lazily.
        if self.parts is not None:
            return set().union(*(part.types_of(name) for part in self.parts))
        if self.types is not None:
            return self.types.get(name, set())
        if self.cells is None or name not in self.names:
            return set()
        width = len(self.names)
        j = self.names[name]
        return {t for t in map(_TYPE, self.cells[j::width]) if type(t) is str}


def _too_many_names(count: int) -> NotOneTable:
    return NotOneTable(
        f"The report's rows hold {count:,} different cell names (more than {MAX_CELL_NAMES:,}): that is "
        "not one report table. In Affilka, export the report with the columns and group-by you need."
    )


def group_cells(rows: list[Row]) -> Columns:
    """Group the rows' cells by name, in time linear in the cells (see MAX_CELL_NAMES, MAX_SPREAD)."""
    n = len(rows)
    kinds = set(map(type, rows))
    if kinds == {dict}:
        first: dict[str, Any] = rows[0]  # type: ignore[assignment]
        if len(first) > MAX_CELL_NAMES:
            raise _too_many_names(len(first))
        with suppress(KeyError):  # some row lacks a name the first row has: the general path below
            if len(set(map(len, rows))) == 1:
                found = {name: list(map(itemgetter(name), rows)) for name in first}
                return Columns(found, types={}, read=n * len(first))
    elif kinds == {list} and len(set(map(len, rows))) == 1:
        # The usual report: every row lists the same cells in the same order. Reading the cells in one
        # row-major sweep (the order msgspec allocated them in) and slicing out columns is about three
        # times faster than visiting them column by column.
        width = len(rows[0])
        first_names = list(map(_NAME, rows[0]))
        if len(set(first_names)) == width <= MAX_CELL_NAMES:
            cells: list[Cell] = list(chain.from_iterable(rows))  # type: ignore[arg-type]
            if list(map(_NAME, cells)) == first_names * n:
                values = list(map(_VALUE, cells))
                by_name = {name: values[j::width] for j, name in enumerate(first_names)}
                places = {name: j for j, name in enumerate(first_names)}
                return Columns(by_name, cells, places, read=n * width)
    return _group_sparse(rows)


def _group_sparse(rows: list[Row]) -> Columns:
    # Rows of differing layouts: per name, only the rows that have it (the first cell of a name in a
    # row wins). Full-length columns are built only once their total size is known to be bounded.
    present: dict[str, tuple[list[int], list[Any], set[str]]] = {}
    count = 0
    for i, row in enumerate(rows):
        # (mypy does not narrow the else branch of `type(row) is dict`: there, row is a list of cells)
        pairs = (
            row.items() if type(row) is dict else ((c.name, c.value, c.type) for c in cast("list[Cell]", row))
        )
        for item in pairs:
            name, value = item[0], item[1]
            entry = present.get(name)
            if entry is None:
                if len(present) == MAX_CELL_NAMES:
                    raise _too_many_names(len(present) + 1)
                entry = present[name] = ([], [], set())
            elif entry[0][-1] == i:
                continue
            entry[0].append(i)
            entry[1].append(value)
            if len(item) == 3 and type(item[2]) is str:
                entry[2].add(item[2])
            count += 1
    n = len(rows)
    _check_spread(n, len(present), count)
    values: dict[str, list[Any]] = {}
    for name, (indices, found, _) in present.items():
        if len(indices) == n:
            values[name] = found
        else:
            column: list[Any] = [None] * n
            for i, value in zip(indices, found, strict=True):
                column[i] = value
            values[name] = column
    return Columns(values, types={name: entry[2] for name, entry in present.items()}, read=count)


def _check_spread(rows: int, names: int, read: int) -> None:
    if rows * names > MAX_SPREAD * read + SPREAD_SLACK:
        raise NotOneTable(
            f"The report's {rows:,} rows share few of their {names:,} cell names (most rows lack most "
            "columns): that is not one report table. In Affilka, export one report per layout, with the "
            "same columns for every row."
        )


def merge_columns(parts: list[Columns], rows: list[int]) -> Columns:
    """The columns of several pages (`parts`, grouped page by page as they arrived; `rows` in each) as
    one report's, names in first-seen order, a page lacking a name holding None there. Bounded as one
    page's grouping is (MAX_CELL_NAMES, MAX_SPREAD)."""
    if len(parts) == 1:
        return parts[0]
    names = list(dict.fromkeys(name for part in parts for name in part.values))
    if len(names) > MAX_CELL_NAMES:
        raise _too_many_names(len(names))
    _check_spread(sum(rows), len(names), sum(part.read for part in parts))
    values: dict[str, list[Any]] = {}
    for name in names:
        column: list[Any] = []
        for part, n in zip(parts, rows, strict=True):
            found = part.values.get(name)
            column += found if found is not None else [None] * n
        values[name] = column
    return Columns(values, read=sum(part.read for part in parts), parts=parts)


# --- One column ---------------------------------------------------------------------------------------


def factorize(values: list[Any]) -> tuple[list[Any], np.ndarray]:
    """Unique values in first-seen order and each row's index into them, without per-row pandas work."""
    uniques = list(dict.fromkeys(values))
    index = dict(zip(uniques, range(len(uniques)), strict=True))
    codes = np.fromiter(map(index.__getitem__, values), dtype=np.intp, count=len(values))
    return uniques, codes


def categorical(codes: np.ndarray, labels: list[Any], empty_dtype: str) -> pd.Categorical:
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


def dimension(values: list[Any], *, as_text: bool = False) -> pd.Categorical:
    uniques, codes = factorize(values)
    labels = [label(value) for value in uniques]
    if as_text:
        labels = [None if label is None else str(label) for label in labels]
    return categorical(codes, labels, "str")


def dates(values: list[Any]) -> tuple[np.ndarray, bool]:
    """Dates (NaT where unreadable), converting each distinct string once; and whether all were dates."""
    uniques, codes = factorize(values)
    parsed = [_parse_date(value) for value in uniques]
    all_dates = all(d is not None for d, value in zip(parsed, uniques, strict=True) if value is not None)
    table = np.array([np.datetime64("NaT") if d is None else d for d in parsed], dtype=DATE_UNIT)
    return (table[codes] if len(codes) else np.array([], dtype=DATE_UNIT)), all_dates


def numeric(values: list[Any], want_int: bool | None) -> np.ndarray | pd.api.extensions.ExtensionArray:
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
    numbers = list(map(to_number, values))
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
    return np.array([np.nan if x is None else as_float(x) for x in numbers], dtype=np.float64)


def written_nan(values: list[Any], numbers: Any) -> np.ndarray:
    """The rows (counted from 0) whose cell holds a value that reads as not a number ("NaN" as text, or as
    a money amount), as against a null cell: both are NaN in a float column, only these are a fault."""
    if not isinstance(numbers, np.ndarray) or numbers.dtype.kind != "f":
        return np.array([], dtype=np.intp)
    rows = np.flatnonzero(np.isnan(numbers))
    if len(rows):
        rows = rows[np.fromiter((_is_nan(values[i]) for i in rows), dtype=bool, count=len(rows))]
    return rows


def _is_nan(value: Any) -> bool:
    number = to_number(value)
    return number is not None and number != number


def _integral(array: np.ndarray) -> bool:
    with np.errstate(invalid="ignore"):
        finite = np.isfinite(array)
        return bool(finite.all() and (array == np.trunc(array)).all() and (np.abs(array) < 2.0**63).all())


Currency = str | None | list[Any]
"""A money column's currency: one value when every cell carries the same (a string, or None when none
names one), else one per row."""


def money(values: list[Any]) -> tuple[np.ndarray, Currency]:
    """One money column's amounts in major units, and its cells' currency (`Currency`)."""
    kinds = set(map(type, values))
    if kinds == {Obj, type(None)}:
        values = [_NO_MONEY if value is None else value for value in values]  # null cells: no amount
        kinds = {Obj}
    if kinds == {Obj}:
        # The usual report: every cell is a money object, amounts as numbers or numeric strings.
        flat = _floats(list(map(_AMOUNT, values)))
        missing = np.isnan(flat)
        if missing.any():
            # an object may carry only amount_cents
            cents = _floats(list(map(_CENTS, values)))
            fill = missing & ~np.isnan(cents)
            flat[fill] = cents[fill] / 100
        currencies = list(map(_CURRENCY, values))
        if not set(map(type, currencies)) <= {str, type(None)}:
            currencies = list(map(_currency, values))
    else:
        # money as numbers or numeric strings, maybe beside objects
        flat = _floats(values)
        currencies = list(map(_currency, values)) if Obj in kinds else [None]
    distinct = set(currencies)
    return flat, next(iter(distinct)) if len(distinct) == 1 else currencies


def joined_currency(parts: list[tuple[Currency, int]]) -> Currency:
    """One money column's currency from its parts' (each with its number of rows), in order."""
    if all(not isinstance(c, list) for c, _ in parts) and len({c for c, _ in parts}) <= 1:
        return parts[0][0] if parts else None
    return list(chain.from_iterable(c if isinstance(c, list) else [c] * n for c, n in parts))


def row_currency(columns: list[Currency], rows: int) -> tuple[Currency, set[str]]:
    """The rows' currency from their money columns' (in the report's order): one value when every money
    cell carries the same, else per row the currency of its first money cell that has one (None where
    none does); and every currency seen."""
    seen: set[Any] = set()
    for currency in columns:
        seen.update(currency if isinstance(currency, list) else [currency])
    if len(seen) <= 1:
        found: Currency = next(iter(seen), None)
    else:
        per_row: list[Any] = [None] * rows
        for currency in columns:
            if isinstance(currency, list):
                per_row = [a if a is not None else b for a, b in zip(per_row, currency, strict=True)]
            elif currency is not None:
                per_row = [currency if a is None else a for a in per_row]
        found = per_row
    seen.discard(None)
    return found, seen


def _floats(values: list[Any]) -> np.ndarray:
    """float64 from JSON values: numbers and numeric strings in one C pass, anything else value by value."""
    if set(map(type, values)) <= _NUMERIC_KINDS:
        # numpy parses numeric strings like float() does; None becomes NaN
        with suppress(ValueError, OverflowError):
            return np.array(values, dtype=np.float64)
    return np.array([np.nan if x is None else x for x in map(as_float, values)], dtype=np.float64)
