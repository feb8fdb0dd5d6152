"""Rows per report, counted on a page's bytes before it is decoded into per-row objects.

A decoded row costs Python objects whatever it holds: a page of empty rows (`[[],[],…]`) would cost about
28 times its size in memory before anything could refuse it. So each page's rows are counted first, on
its bytes. The number of `[` and `{` bounds them from above at the speed of a byte search (a real row
holds a dozen); only when that bound passes what the budget has left are the entries of `rows.data`
counted exactly: the row list is found by skipping over the JSON (msgspec `Raw`, no objects made), and
its entries are counted slice by slice with numpy (strings and escapes honoured), stopping as soon as the
budget is passed. Memory stays a few megabytes whatever the page, time linear in its size.
"""

from __future__ import annotations

from dataclasses import dataclass

import msgspec
import numpy as np

from affilka_core.errors import TooLarge

_SLICE = 1 << 20  # bytes counted at once: numpy's temporaries stay a few MiB
_QUOTE, _BACKSLASH = ord('"'), ord("\\")
_OPENS, _CLOSES = (ord("["), ord("{")), (ord("]"), ord("}"))

Buffer = bytes | bytearray | memoryview | str


class _Rows(msgspec.Struct):
    data: msgspec.Raw = msgspec.Raw()


class _Page(msgspec.Struct):
    rows: msgspec.Raw


_PAGE = msgspec.json.Decoder(_Page)
_ROWS = msgspec.json.Decoder(_Rows)


class RowBudget:
    """The rows one report may hold across its pages (`cap`, `AFFILKA_MAX_ROWS`); pages are checked
    before they are decoded (`check`) and counted once they are (`add`)."""

    def __init__(self, cap: int) -> None:
        self.cap = cap
        self.used = 0

    def check(self, raw: Buffer) -> None:
        """Raise `TooLarge` when the page's rows would take the report past the cap."""
        left = self.cap - self.used
        if upper_bound(raw) <= left or count_rows(raw, stop_after=left) <= left:
            return
        raise TooLarge(
            f"The report has more than {self.cap:,} rows, the most the doctor reads (AFFILKA_MAX_ROWS): "
            "narrow the date range (from/to) and export again."
        )

    def add(self, rows: int) -> None:
        """Count the rows of a page just decoded."""
        self.used += rows


def upper_bound(raw: Buffer) -> int:
    """At least the number of rows in a page (every row opens with `[` or `{`), found by byte search."""
    if isinstance(raw, str):
        return raw.count("[") + raw.count("{")
    if isinstance(raw, memoryview):
        found = np.frombuffer(raw, dtype=np.uint8)
        return int(np.count_nonzero(found == _OPENS[0]) + np.count_nonzero(found == _OPENS[1]))
    return raw.count(b"[") + raw.count(b"{")


def count_rows(raw: Buffer, *, stop_after: int | None = None, slice_bytes: int = _SLICE) -> int:
    """The entries of the page's row list (`rows.data`, or a bare `rows` list), counted on its bytes,
    `slice_bytes` at a time; past `stop_after` the count stops (any number above it may come back). 0
    when the page has no row list: decoding it then says what is wrong."""
    region = _row_list(raw.encode() if isinstance(raw, str) else raw)
    if region is None:
        return 0
    found = np.frombuffer(region, dtype=np.uint8)
    state = _State()
    count = 0
    for start in range(0, len(found), slice_bytes):
        count += state.count(found[start : start + slice_bytes])
        if stop_after is not None and count > stop_after:
            break
    return count


def _row_list(raw: bytes | bytearray | memoryview) -> msgspec.Raw | None:
    """The raw JSON of the page's row list, skipped over rather than decoded; None when there is none."""
    try:
        rows = _PAGE.decode(raw).rows
        if bytes(memoryview(rows)[:1]) == b"{":  # a Raw starts at its value, never at whitespace
            rows = _ROWS.decode(rows).data
    except (msgspec.DecodeError, UnicodeError, RecursionError):
        return None
    return rows if bytes(memoryview(rows)[:1]) == b"[" else None


@dataclass(slots=True)
class _State:
    """Where a slice starts: depth in the row list, inside a string or not, and backslashes just before."""

    depth: int = 0
    in_string: bool = False
    backslashes: int = 0

    def count(self, chunk: np.ndarray) -> int:
        """Rows opening in `chunk` (the next bytes of the row list), carrying the state to the next."""
        quotes = chunk == _QUOTE
        backslash = chunk == _BACKSLASH
        if self.backslashes or backslash.any():
            # A quote is escaped when an odd run of backslashes precedes it (`\\"` ends a string).
            at = np.arange(len(chunk), dtype=np.int64)
            last_plain = np.maximum.accumulate(np.where(backslash, -1 - self.backslashes, at))
            run_before = np.empty(len(chunk), dtype=np.int64)
            run_before[0] = self.backslashes
            run_before[1:] = at[:-1] - last_plain[:-1]
            quotes &= (run_before & 1) == 0
            self.backslashes = int(len(chunk) - 1 - last_plain[-1])
        parity = np.bitwise_xor.accumulate(quotes.view(np.uint8))
        outside = parity == (1 if self.in_string else 0)
        if len(parity):
            self.in_string = bool(parity[-1]) != self.in_string
        opens = ((chunk == _OPENS[0]) | (chunk == _OPENS[1])) & outside
        closes = ((chunk == _CLOSES[0]) | (chunk == _CLOSES[1])) & outside
        depth = self.depth + np.cumsum(opens.view(np.int8) - closes.view(np.int8), dtype=np.int32)
        if len(depth):
            self.depth = int(depth[-1])
        # The list itself opens at depth 1; each row opens at depth 2.
        return int(np.count_nonzero(opens & (depth == 2)))
