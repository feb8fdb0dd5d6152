"""The one CSV writer: every CSV the product writes (the Data page's rows, Performance's zip, Batch check)
goes through `csv_bytes`, so no cell and no header can run as a formula in a spreadsheet.

Following OWASP's guidance on CSV injection, a text cell or header starting with `=`, `+`, `-`, `@`, a
tab or a carriage return gets an apostrophe in front, which spreadsheets show as written; numbers stay
numbers. A header that does not start with a letter or a digit, holds a control character or a quote,
or runs past 64 characters (only a column Affilka does not know can: its own are all plain names) is
renamed to a safe one, `extra_` and its letters and digits.
"""

from __future__ import annotations

import re
from collections.abc import Hashable

import pandas as pd

# A spreadsheet runs a cell starting with one of these as a formula; the full-width forms too, which
# some spreadsheets read as the ASCII ones.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
# A header as our own tables and Affilka's columns write them.
_PLAIN_NAME = re.compile(r"[^\W_][^\x00-\x1f\x7f-\x9f\u2028\u2029\"']{0,63}")
_NOT_WORD = re.compile(r"[\W_]+")


def defuse(value: object) -> object:
    """A text cell a spreadsheet would run as a formula, made inert; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_headers(columns: list[Hashable]) -> list[str]:
    """The headers as written: a plain name (see the module) as it is, anything else renamed
    `extra_<its letters and digits>` (numbered when two would read alike), so a column named
    `=HYPERLINK(…)` reaches no spreadsheet under that name."""
    taken = {str(c) for c in columns if _PLAIN_NAME.fullmatch(str(c))}
    out = []
    for column in map(str, columns):
        if _PLAIN_NAME.fullmatch(column):
            out.append(column)
            continue
        stem = "extra_" + _NOT_WORD.sub("_", column).strip("_")[:40]
        name, n = stem.rstrip("_"), 1
        while name in taken:
            n += 1
            name = f"{stem.rstrip('_')}_{n}"
        taken.add(name)
        out.append(name)
    return out


def _is_text(series: pd.Series) -> bool:
    dtype = series.dtype
    return (
        pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
        or pd.api.types.is_object_dtype(dtype)
    )


def csv_bytes(table: pd.DataFrame, *, date_format: str | None = None) -> bytes:
    """`table` as CSV, UTF-8 with a byte-order mark (so spreadsheets read accents, symbols and ✅), every
    header made safe (`safe_headers`) and defused, every text cell defused; numbers and dates stay as
    they are (dates in `date_format` when given)."""
    out = table.copy()
    for i in range(out.shape[1]):
        part = out.iloc[:, i]
        if not _is_text(part):
            continue
        categorical = isinstance(part.dtype, pd.CategoricalDtype)
        renamed = [defuse(c) for c in part.cat.categories] if categorical else []
        if categorical and len(set(renamed)) == len(renamed):
            part = part.cat.rename_categories(renamed)  # each distinct text once, not every row
        else:  # "=x" and "'=x" both in the column would read alike: row by row
            part = part.astype(object).map(defuse, na_action="ignore")
        out.isetitem(i, part.array)
    out.columns = pd.Index([defuse(name) for name in safe_headers(list(out.columns))])
    # CRLF, as RFC 4180 has it: a cell holding a line break of either kind is then quoted, so a "\r" in a
    # campaign's name cannot start a new row whose first cell is a formula.
    return out.to_csv(index=False, date_format=date_format, lineterminator="\r\n").encode("utf-8-sig")
