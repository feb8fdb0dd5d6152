"""The start of a raw report page as people read it: pretty-printed, its first rows only, tokens masked.

Only what is shown is decoded: the rest of the page is skipped over as raw JSON (msgspec `Raw`), so a
large page costs a fraction of a full decode.
"""

from __future__ import annotations

import json
from typing import Any

import msgspec

from affilka_core.url.masking import redact

PREVIEW_ROWS = 20
_RAW_OBJECT = msgspec.json.Decoder(dict[str, msgspec.Raw])
_RAW_LIST = msgspec.json.Decoder(list[msgspec.Raw])


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
