"""The shape of an Affilka report response, as msgspec decodes it in one pass.

Every level is typed (so cells become small structs, not dicts), and every leaf accepts any JSON
value, so each variant seen in the field (money as objects, numbers or strings, `amount_cents` alone,
booleans, nulls, rows as `{name: value}` objects) decodes; only a wrong *shape* (no rows, a row that
is not a list or an object, a cell without a name) fails validation. Values are normalised per column
afterwards (`columns`). gc=False: these objects hold no reference cycles, and hundreds of thousands of
tracked objects would make the collector crawl.
"""

from __future__ import annotations

from typing import Any

import msgspec


class Obj(msgspec.Struct, frozen=True, gc=False, omit_defaults=True):
    """An object-valued cell: money `{amount, amount_cents, currency}` or a campaign `{id, name}`.

    Fields hold whatever JSON was there (numeric strings stay strings; amounts are read per column).
    """

    amount: Any = None
    amount_cents: Any = None
    currency: Any = None
    id: Any = None
    name: Any = None


# A cell value: a JSON scalar, an object (`Obj`), or a list (which carries nothing a column can use).
Value = None | bool | int | float | str | list[Any] | Obj


class Cell(msgspec.Struct, gc=False):
    name: str
    value: Value = None
    type: Any = None


Row = list[Cell] | dict[str, Value]  # cells, or {name: value}


# `totals` is kept as raw JSON and decoded on its own (`TOTALS_DECODER`), only for the page whose totals
# are read: Affilka repeats them on every page, and a totals block in an unexpected shape must not cost
# the rows.
_NO_TOTALS = msgspec.Raw()


class Rows(msgspec.Struct, gc=False):
    data: list[Row]
    total_pages: Any = None
    totals: msgspec.Raw = _NO_TOTALS


class Report(msgspec.Struct, gc=False):
    rows: Rows | list[Row]
    total_pages: Any = None
    relations: Any = None
    totals: msgspec.Raw = _NO_TOTALS


class Totals(msgspec.Struct, gc=False):
    """Affilka's totals block: rows of cells shaped like the report's (one row per currency, maybe)."""

    data: list[Row]


REPORT_DECODER = msgspec.json.Decoder(Report)
TOTALS_DECODER = msgspec.json.Decoder(Totals)


# --- Numbers past a double's range ---------------------------------------------------------------------
# msgspec refuses a literal such as 1e309 in a typed field. Such a report is decoded again, untyped, with
# every float read by `float` (1e309 is infinity, as "Infinity" in a string is), then converted to these
# shapes; the data check `data.non_finite` names the metric and rows. Only a report that failed the fast
# path pays for this.


class LenientRows(msgspec.Struct, gc=False):
    data: list[Row]
    total_pages: Any = None
    totals: Any = None


class LenientReport(msgspec.Struct, gc=False):
    rows: LenientRows | list[Row]
    total_pages: Any = None
    relations: Any = None
    totals: Any = None


LENIENT_DECODER = msgspec.json.Decoder(float_hook=float)
