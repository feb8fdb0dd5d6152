"""Pasted text to the text of one URL: what chat, e-mail and editors add around and inside it is dropped.

Every search here is linear in the pasted text, however long or hostile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["SCHEME", "clean_text", "find_urls"]

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
_BROKEN_SCHEME = re.compile(r"h\s{0,3}t\s{0,3}t\s{0,3}p\s{0,3}s?\s{0,3}:\s{0,3}/\s{0,3}/", re.IGNORECASE)
_CONTINUATION = re.compile(r"^[&?/%=]|[=&%]")
_CLOSERS = {"<": ">", "(": ")", '"': '"', "'": "'", "`": "`"}
# Bounded repeats keep every search linear in the pasted text: an unbounded `[…]*://` searched over a long
# unbroken run of letters retries the whole run from each position (quadratic).
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}://")
_HTTP_SCHEME = re.compile(r"https?://", re.IGNORECASE)
_SURROUNDING = "\"'`<>()[]{}"


@dataclass(slots=True)
class _Tail:
    """What joining wrapped lines needs to know about the URL so far, kept up to date piece by piece so
    joining stays linear however many pieces there are: whether a query started, whether it holds
    anything, whether its last parameter has its '=' yet, and the last two characters."""

    in_query: bool = False
    query_started: bool = False
    last_has_eq: bool = False
    end: str = ""

    def add(self, piece: str) -> None:
        part = piece
        if not self.in_query:
            if "?" not in piece:
                part = ""
            else:
                self.in_query, part = True, piece.partition("?")[2]
        if part:
            self.query_started = True
            if "&" in part:
                self.last_has_eq = "=" in part.rpartition("&")[2]
            else:
                self.last_has_eq = self.last_has_eq or "=" in part
        self.end = (self.end + piece)[-2:]

    @property
    def incomplete(self) -> bool:
        """Whether the URL so far stops mid-parameter, so the next piece must belong to it."""
        if self.end.endswith(("=", "&", "?", "%")) or re.fullmatch(r".?%[0-9A-Fa-f]", self.end):
            return True
        return self.query_started and not self.last_has_eq


def clean_text(text: str) -> tuple[str, bool]:
    """Strip what chat, e-mail and editors add around and inside a pasted URL.

    Text before the URL is dropped; a URL in <…>, (…) or quotes ends at its closing mark. Wrapped
    lines and stray spaces are joined while the next piece reads like more of the URL (it holds a
    parameter, or the URL stops mid-parameter); prose ("thanks!", "Regards,") ends the URL.
    Returns the cleaned text and whether a trailing ellipsis (a sign of truncation) was removed.
    """
    text = _INVISIBLE.sub("", text or "")
    text = _BROKEN_SCHEME.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text, count=1)
    match = (
        _HTTP_SCHEME.search(text) or SCHEME.search(text) or re.search(r"https?%3A%2F%2F", text, re.IGNORECASE)
    )
    if match:
        opener = text[match.start() - 1] if match.start() > 0 else ""
        text = text[match.start() :]
        closer = _CLOSERS.get(opener)
        if closer and closer in text:
            text = text[: text.index(closer)]
        # A second URL pasted after the first (with or without a space) is never joined to it.
        following = _HTTP_SCHEME.search(text, 1)
        if following:
            text = text[: following.start()]
    pieces = text.split()
    kept: list[str] = []
    tail = _Tail()
    for piece in pieces:
        if kept and not (_CONTINUATION.search(piece) or tail.incomplete):
            break
        kept.append(piece)
        tail.add(piece)
    text = "".join(kept).strip(_SURROUNDING)
    ellipsis = False
    for suffix in ("…", "..."):
        if text.endswith(suffix):
            text, ellipsis = text[: -len(suffix)], True
    return text.strip(_SURROUNDING), ellipsis


def find_urls(text: str) -> list[str]:
    """Each URL in pasted text, in order, cleaned: every http(s):// starts a new one. Linear in the
    text's length."""
    if not isinstance(text, str):
        return []
    starts = [m.start() for m in _HTTP_SCHEME.finditer(text)]
    bounds = zip(starts, [*starts[1:], len(text)], strict=False)
    return [url for url in (clean_text(text[a:b])[0] for a, b in bounds) if url]
