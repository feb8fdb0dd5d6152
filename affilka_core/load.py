"""Loading a report from where it comes from (a live URL, the demo generator, a saved file) into one
shape. Diagnosing a pasted URL end to end lives in `affilka_core.diagnosis`."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from dataclasses import dataclass, field
from typing import Any, Literal

import msgspec
import pandas as pd

from .checks import Check, secrets_in
from .demo import demo_report
from .diagnose import data_checks, fetched_check
from .fetch import FetchSettings, ProgressCallback, WaitCallback, fetch_report
from .metrics import summarize
from .parse import parse_pages
from .url import AffilkaUrl, redact

Source = Literal["live", "demo", "file"]
PREVIEW_ROWS = 20
DEMO_LABEL = "Demo casino (generated data)"
_RAW_OBJECT = msgspec.json.Decoder(dict[str, msgspec.Raw])
_RAW_LIST = msgspec.json.Decoder(list[msgspec.Raw])


@dataclass(frozen=True, eq=False)
class LoadedReport:
    """A parsed report and what its data says. `checks` are the fetch and data checks only; the URL's
    own checks are the caller's. Nothing here holds a token in clear."""

    source: Source
    label: str
    frame: pd.DataFrame = field(repr=False)  # the report's own text may quote anything
    checks: tuple[Check, ...]
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    pages: int = 1
    size: int = 0
    seconds: float = 0.0
    preview: str = field(default="", repr=False)
    # Identifies this load, so pages can cache aggregates without hashing the frame.
    key: str = field(default_factory=lambda: uuid.uuid4().hex)

    def summary(self) -> dict[str, Any]:
        """rows, brands, campaigns, date span, currencies, totals."""
        return summarize(self.frame)


def preview_json(raw: bytes | str, rows: int = PREVIEW_ROWS, *, secrets: tuple[str, ...] = ()) -> str:
    """The start of a raw page, pretty-printed with only its first `rows` rows, every one of `secrets`
    and anything shaped like a token masked.

    Only what is shown is decoded: the rest of the page is skipped over as raw JSON (msgspec `Raw`), so
    a large page costs a fraction of a full decode. Falls back to the first characters of the body when
    it is not JSON."""
    body = raw[1:] if isinstance(raw, str) and raw.startswith("\ufeff") else raw
    if isinstance(body, bytes) and body.startswith(b"\xef\xbb\xbf"):
        body = body[3:]
    try:
        doc = _preview_doc(body, rows)
    except (msgspec.DecodeError, msgspec.ValidationError, UnicodeError, RecursionError):
        text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
        return redact(text[:4000], *secrets)
    return redact(json.dumps(doc, indent=2, ensure_ascii=False)[:200_000], *secrets)


def _preview_doc(body: bytes | str, rows: int) -> Any:
    """The page as plain values with `rows.data` (or a bare `rows` list) cut to its first `rows` rows."""
    try:
        top = _RAW_OBJECT.decode(body)
    except msgspec.ValidationError:
        return msgspec.json.decode(body)  # not an object: nothing to cut
    doc: dict[str, Any] = {}
    for key, value in top.items():
        doc[key] = _decode_raw(value) if key != "rows" else _preview_rows(value, rows)
    return doc


def _preview_rows(value: msgspec.Raw, rows: int) -> Any:
    """`rows` as an object whose `data` is cut, or as a bare list that is cut."""
    cut = _cut(value, rows)
    if cut is not None:
        shown, more = cut
        return shown + ([f"… {more:,} more rows on this page"] if more else [])
    try:
        parts = _RAW_OBJECT.decode(value)
    except msgspec.ValidationError:
        return _decode_raw(value)
    out: dict[str, Any] = {}
    for key, part in parts.items():
        cut = _cut(part, rows) if key == "data" else None
        if cut is None:
            out[key] = _decode_raw(part)
            continue
        out["data"], more = cut
        if more:
            out["…"] = f"{more:,} more rows on this page"
    return out


def _cut(value: msgspec.Raw, rows: int) -> tuple[list[Any], int] | None:
    """The first `rows` entries of a JSON list, decoded, and how many more there are; None if no list."""
    try:
        entries = _RAW_LIST.decode(value)
    except msgspec.ValidationError:
        return None
    return [_decode_raw(entry) for entry in entries[:rows]], max(len(entries) - rows, 0)


def _decode_raw(value: msgspec.Raw) -> Any:
    return msgspec.json.decode(value)


def _span(url: AffilkaUrl | None, frame: pd.DataFrame) -> tuple[dt.date | None, dt.date | None]:
    span = url.date_span() if url is not None else None
    if span:
        return span
    if "date" in frame.columns and frame["date"].notna().any():
        return frame["date"].min().date(), frame["date"].max().date()
    return None, None


def load_live(
    url: AffilkaUrl,
    *,
    settings: FetchSettings | None = None,
    on_progress: ProgressCallback | None = None,
    on_wait: WaitCallback | None = None,
) -> LoadedReport:
    """Fetch every page of `url` and parse it (callbacks as `fetch_report`'s). Raises an
    `AffilkaError` when that fails."""
    fetched = fetch_report(url, settings=settings, on_progress=on_progress, on_wait=on_wait)
    frame = parse_pages(fetched.pages)
    checks = (
        fetched_check(fetched.total_pages, len(frame), fetched.size, fetched.seconds),
        *data_checks(frame, url),
    )
    start, end = _span(url, frame)
    return LoadedReport(
        "live",
        url.netloc,
        frame,
        checks,
        start,
        end,
        fetched.total_pages,
        fetched.size,
        fetched.seconds,
        preview_json(fetched.pages[0], secrets=secrets_in(url.raw, url)),
    )


def load_demo(
    days: int = 90, *, brands: tuple[str, ...] = ("Casino Alpha",), end: dt.date | None = None
) -> LoadedReport:
    """A generated report through the same parse and diagnose path as a live one; no network, no token."""
    raw = demo_report(days, end=end, brands=brands)
    frame = parse_pages([raw])
    start, stop = _span(None, frame)
    return LoadedReport(
        "demo", DEMO_LABEL, frame, tuple(data_checks(frame)), start, stop, 1, len(raw), 0.0, preview_json(raw)
    )


def load_file(raw: bytes | str, name: str) -> LoadedReport:
    """A saved report (the JSON tab saved to disk, or uploaded). Raises an `AffilkaError` if unreadable."""
    frame = parse_pages([raw])
    start, stop = _span(None, frame)
    return LoadedReport(
        "file", name, frame, tuple(data_checks(frame)), start, stop, 1, len(raw), 0.0, preview_json(raw)
    )


def __getattr__(name: str) -> object:
    # Diagnosis and diagnose_* moved to affilka_core.diagnosis; the old import path keeps working.
    if name in ("Diagnosis", "diagnose_url", "diagnose_report"):
        from . import diagnosis

        return getattr(diagnosis, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
