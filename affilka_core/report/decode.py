"""Decoding one report page: bytes to its rows, campaign relations and page count, or a clear error.

msgspec decodes the page straight into the typed shapes of `report_schema`. Only a body that is not
JSON (`NotJSON`), Affilka's own JSON error at status 200 (`Rejected`, quoting it), or JSON in another
shape (`ReportFormatError`, saying what was found) is an expected failure, and `TooLarge` when memory
runs out; anything else is a bug and surfaces as such. No pandas here, so fetching (which needs only
the page count) stays light.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import Any

import msgspec

from affilka_core.errors import (
    NestedTooDeeply,
    NotJSON,
    Rejected,
    ReportFormatError,
    TooLarge,
    TruncatedJSON,
    UnreadableNumber,
)
from affilka_core.report.gc import cyclic_gc_paused
from affilka_core.report.row_budget import RowBudget
from affilka_core.report.schema import (
    LENIENT_DECODER,
    REPORT_DECODER,
    TOTALS_DECODER,
    LenientReport,
    LenientRows,
    Report,
    Row,
    Rows,
)
from affilka_core.text import QUOTE_CAP, one_line, quote_affilka
from affilka_core.url.masking import redact

Body = bytes | bytearray | memoryview | str

_ERROR_BODY_LIMIT = 1_000_000  # an error body is a line or two; a larger body is read as a report, not here


@dataclass(slots=True)
class Page:
    """One decoded response: its rows, its campaign relations and its page count."""

    rows: list[Row]
    campaigns: list[tuple[Any, Any]]
    total_pages: int
    totals: msgspec.Raw = field(default_factory=msgspec.Raw)  # raw `totals`; see `decode_totals`


def total_pages(raw: Body) -> int:
    """The report's page count: top-level `total_pages`, else `rows.total_pages`, else 1 (never below 1).

    Decodes the page as the parser does, so it raises `NotJSON` / `ReportFormatError` like it.
    """
    with cyclic_gc_paused():
        return decode_page(raw, 0, 1).total_pages


# --- Decoding -----------------------------------------------------------------------------------------


def decode_page(raw: Body, page: int = 0, pages: int = 1, *, budget: RowBudget | None = None) -> Page:
    """One page decoded; `page` of `pages` (counted from 0) only names the page in error messages.
    `budget` (the report's rows) is checked before the page's rows are made, and counts them after."""
    raw = _prepare(raw, page, pages)
    if budget is not None:
        budget.check(raw)
    try:
        report = REPORT_DECODER.decode(raw)
    except msgspec.ValidationError as exc:
        lenient = _out_of_range(raw, exc)
        if lenient is None:
            raise _shape_error(raw, exc, page, pages) from exc
        report = lenient
    except (msgspec.DecodeError, UnicodeError) as exc:
        raise _not_json(raw, exc, page, pages) from exc
    except RecursionError as exc:
        raise _too_deep() from exc
    except MemoryError as exc:
        raise TooLarge("The report is too large to read in memory: narrow the date range.") from exc
    rows = report.rows
    nested = None
    totals = report.totals
    if isinstance(rows, Rows):
        nested = rows.total_pages
        totals = totals or rows.totals  # top-level `totals`, else `rows.totals`
        rows = rows.data
    if budget is not None:
        budget.add(len(rows))
    # A copy, so the decoded page keeps none of the body alive (`Raw` points into it).
    return Page(rows, _relations(report.relations), _page_count(report.total_pages, nested), totals.copy())


def _too_deep() -> NestedTooDeeply:
    return NestedTooDeeply("The JSON is nested too deeply to be an Affilka report.")


def _out_of_range(raw: Body, exc: msgspec.ValidationError) -> Report | None:
    """A report holding number literals past a double's range (1e309), read with those numbers as
    infinities (`schema.LENIENT_DECODER`); None when that is not what failed, or it does not help."""
    if "out of range" not in str(exc):
        return None
    try:
        found = msgspec.convert(LENIENT_DECODER.decode(raw), LenientReport)
    except (msgspec.DecodeError, UnicodeError, RecursionError):  # ValidationError is a DecodeError
        return None

    def raw_json(value: object) -> msgspec.Raw:
        return msgspec.Raw() if value is None else msgspec.Raw(msgspec.json.encode(value))

    rows: Rows | list[Row]
    if isinstance(found.rows, LenientRows):
        rows = Rows(found.rows.data, found.rows.total_pages, raw_json(found.rows.totals))
    else:
        rows = found.rows
    return Report(rows, found.total_pages, found.relations, raw_json(found.totals))


def decode_totals(page: Page) -> list[Row] | None:
    """The page's totals rows (`totals.data`, else `rows.totals.data`), or None when it has no totals block
    or one in another shape: Affilka's totals are a cross-check, never a reason to refuse the rows."""
    if not page.totals:
        return None
    try:
        return TOTALS_DECODER.decode(page.totals).data
    except (msgspec.DecodeError, RecursionError):
        return None


# --- Affilka's own errors -----------------------------------------------------------------------------


def affilka_error_message(body: Body) -> str | None:
    """Affilka's own words in a JSON error body, or None when the body is not one.

    Reads `{"errors": [{"message": …}, …]}` (joined with "; "), `{"error": …}` (text, or an object with
    a message), `{"message": …}`, a gateway's `error_description`/`detail`, and `{"ok": false, …}`
    ("ok: false" when it says nothing more). The words are masked and quoted as every face quotes
    Affilka (`text.quote_affilka`: one line, one cap).
    """
    if not isinstance(body, bytes | bytearray | memoryview | str) or len(body) > _ERROR_BODY_LIMIT:
        return None
    try:
        doc = msgspec.json.decode(_prepare(body, 0, 1))
    except (msgspec.DecodeError, UnicodeError, RecursionError):
        return None
    return _error_message(doc)


# Affilka says `errors`/`error`/`message`; the proxies and gateways in front of it use the others.
_ERROR_KEYS = ("errors", "error", "message", "error_description", "detail")
_ENTRY_KEYS = ("message", "error", "detail", "title")


def _error_message(doc: Any) -> str | None:
    if not isinstance(doc, dict):
        return None
    words = next(filter(None, (_words(doc.get(key)) for key in _ERROR_KEYS)), None)
    if not words and doc.get("ok") is False:
        words = "ok: false"
    if not words:
        return None
    # One line first, then masked, then cut: a cut before masking could leave part of a token in view.
    return quote_affilka(redact(one_line(words)[: 8 * QUOTE_CAP]))


def _words(value: Any, depth: int = 0) -> str | None:
    """The text of an error entry: a string, a number, an object's message/error, a list's entries."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if depth >= 3:  # Affilka nests one or two levels; deeper is not a message
        return None
    if isinstance(value, dict):
        return next(filter(None, (_words(value.get(key), depth + 1) for key in _ENTRY_KEYS)), None)
    if isinstance(value, list):
        found = (_words(item, depth + 1) for item in value[:20])
        return "; ".join(words for words in found if words) or None
    return None


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
        return TruncatedJSON(
            f"The report arrived cut short{where}: its JSON stops before the end (the download was "
            "incomplete)."
        )
    if isinstance(exc, UnicodeError):
        detail = "the bytes are not valid UTF-8 text"
    return NotJSON(f"The answer is not JSON{where}: {detail}.")


def _shape_error(raw: Body, exc: msgspec.ValidationError, page: int, pages: int) -> Exception:
    """What is wrong with JSON the report shapes rejected, said in the report's terms.

    Runs only on failure: the body is decoded into plain values to find the first thing that is not
    where a report has it (a body that is not JSON at all past that point is `NotJSON`)."""
    where_page = _where(page, pages)
    try:
        doc = LENIENT_DECODER.decode(raw)  # numbers past a double's range read as infinities
    except RecursionError:
        return _too_deep()
    except msgspec.ValidationError:
        return UnreadableNumber(
            f"The JSON{where_page} holds a number with thousands of digits, too long to read (numbers out "
            "of range)."
        )
    except (msgspec.DecodeError, UnicodeError) as error:
        return _not_json(raw, error, page, pages)
    message = _error_message(doc) if isinstance(doc, dict) and "rows" not in doc else None
    if message is not None:
        # Affilka's own JSON error, sent with status 200: its words say what to change
        return Rejected(f"Affilka refused the request{where_page}: {message}", affilka_message=message)
    found = _describe(doc, where_page)
    if found is not None:
        return ReportFormatError(found)
    return ReportFormatError(f"The JSON{where_page} is not an Affilka report: {exc}.")


def _describe(doc: Any, where_page: str) -> str | None:
    """The first way `doc` differs from a report, or None."""
    if not isinstance(doc, dict):
        return f"Expected the report{where_page} to be a JSON object with rows.data, got {_kind(doc)}."
    if "rows" not in doc:
        keys = ", ".join(str(k)[:30] for k in list(doc)[:6]) or "none"
        return f"Expected the report{where_page} to have rows.data, found no rows (keys: {keys})."
    data = doc["rows"]
    where = "rows"
    if isinstance(data, dict):
        where = "rows.data"
        data = data.get("data")
    if not isinstance(data, list):
        return f"Expected {where}{where_page} to be a list of rows, got {_kind(data)}."
    for i, row in enumerate(data):
        if isinstance(row, dict):
            continue
        if not isinstance(row, list):
            return (
                f"Expected each entry of {where}{where_page} to be a row (a list of cells or an object), "
                f"got {_kind(row)} at row {i + 1}."
            )
        for cell in row:
            if not isinstance(cell, dict) or not isinstance(cell.get("name"), str):
                got = "an object without a name" if isinstance(cell, dict) else _kind(cell)
                return (
                    f"Expected each cell of {where}{where_page} to be an object with a name and a value, "
                    f"got {got} in row {i + 1}."
                )
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
    if isinstance(value, str):
        text = value.strip()
        if text.isascii() and text.isdigit():
            try:
                return int(text)
            except ValueError:  # more digits than Python converts: more pages than any limit allows
                return sys.maxsize
    return None


def _relations(relations: Any) -> list[tuple[Any, Any]]:
    """(id, name) of each campaign in `relations.campaigns`, a list or an object keyed by id."""
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
