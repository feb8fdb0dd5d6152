"""Pasted text to the text of one URL: what chat, e-mail and editors add around and inside it is dropped.

E-mail replies quote each line (`> `, `> > `, `| `) and wrap long lines; the quote marks are dropped and
the lines joined as plain wrapping is. Every search here is linear in the pasted text, however long or
hostile.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote

from affilka_core.guide import KNOWN_COLUMNS, OTHER_GROUP_BY, REQUIRED_GROUP_BY

__all__ = ["SCHEME", "Cleaned", "clean_paste", "clean_text", "find_urls"]

_INVISIBLE = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
_BROKEN_SCHEME = re.compile(r"h\s{0,3}t\s{0,3}t\s{0,3}p\s{0,3}s?\s{0,3}:\s{0,3}/\s{0,3}/", re.IGNORECASE)
_CONTINUATION = re.compile(r"^[&?/%=]|[=&%]")
_CLOSERS = {"<": ">", "(": ")", '"': '"', "'": "'", "`": "`"}
# Bounded repeats keep every search linear in the pasted text: an unbounded `[…]*://` searched over a long
# unbroken run of letters retries the whole run from each position (quadratic).
SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,30}://")
_HTTP_SCHEME = re.compile(r"https?://", re.IGNORECASE)
_SURROUNDING = "\"'`<>()[]{}"
_SENTENCE_END = ".,;:!?"
# The marks an e-mail reply (or a Markdown quote, or a table cell) puts at the start of each quoted line.
_QUOTE_MARKS = re.compile(r"^[ \t]*(?:[>|][ \t]?)+", re.MULTILINE)
# What a wrapped URL's next line can hold when it carries no '&', '=' or '%': the rest of a name or value.
_URL_WORD = re.compile(r"[A-Za-z0-9._~+-]+")
_HEX = re.compile(r"[0-9a-fA-F]+")
_TOKEN_LENGTH = 32  # Affilka's tokens: 32 hex characters
_LIST_VALUES = {
    "columns": frozenset(KNOWN_COLUMNS),
    "group_by": frozenset(REQUIRED_GROUP_BY + OTHER_GROUP_BY),
}
# Only a short last parameter can be completed by the next line; longer ones are not kept.
_LAST_PARAM_CAP = 80


@dataclass(slots=True)
class _Tail:
    """What joining wrapped lines needs to know about the URL so far, kept up to date piece by piece so
    joining stays linear however many pieces there are: whether a query started, whether it holds
    anything, whether its last parameter has its '=' yet, and the last two characters."""

    in_query: bool = False
    query_started: bool = False
    last_has_eq: bool = False
    end: str = ""
    last_param: str | None = ""  # the query's last parameter so far; None once it is too long to matter

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
                self.last_param = part.rpartition("&")[2]
            else:
                self.last_has_eq = self.last_has_eq or "=" in part
                if self.last_param is not None:
                    self.last_param += part
            if self.last_param is not None and len(self.last_param) > _LAST_PARAM_CAP:
                self.last_param = None
        self.end = (self.end + piece)[-2:]

    def completed_by(self, piece: str) -> bool:
        """Whether `piece` is certainly the rest of the last parameter's value, cut by a line break: a
        token's hex that makes it the 32 characters Affilka's tokens have, or the end of a column or
        group_by name that makes it one Affilka knows."""
        if not self.last_param or not _URL_WORD.fullmatch(piece):
            return False
        key, eq, value = self.last_param.partition("=")
        if not (eq and value):
            return False
        key = key.lower().replace("%5b", "[").replace("%5d", "]")
        if key == "token":
            return (
                bool(_HEX.fullmatch(value) and _HEX.fullmatch(piece))
                and len(value) + len(piece) == _TOKEN_LENGTH
            )
        known = _LIST_VALUES.get(key.partition("[")[0]) if key.endswith("]") else None
        return known is not None and value not in known and value + piece in known

    @property
    def incomplete(self) -> bool:
        """Whether the URL so far stops mid-parameter, so the next piece must belong to it."""
        if self.end.endswith(("=", "&", "%")) or re.fullmatch(r".?%[0-9A-Fa-f]", self.end):
            return True
        # A '?' that starts the query wants its parameters; after them it ends a sentence.
        if self.end.endswith("?") and not self.query_started:
            return True
        return self.query_started and not self.last_has_eq


@dataclass(frozen=True, slots=True)
class Cleaned:
    """The text of one URL cleaned from a paste. `ellipsis`: a trailing "…" was removed (a sign of
    truncation). `wrapped`: the URL stops at the end of a line and the next line starts with a word
    that may be its rest (or prose): joining them is not certain either way. `unwrapped`: the URL was
    the target of a link wrapper (see `WRAPPERS`), named here."""

    text: str
    ellipsis: bool = False
    wrapped: bool = False
    unwrapped: str = ""  # the link wrapper the URL was taken out of ("Outlook Safe Links"), if any


# Link wrappers that carry the real address in one parameter: e-mail scanners and redirects. The
# wrapper's address starts the match; the parameter holding the target follows; then the wrapper's own
# parameters, which end a target written unencoded (its own '&'s would otherwise split it).
WRAPPERS: tuple[tuple[re.Pattern[str], str, str, re.Pattern[str]], ...] = (
    (
        re.compile(r"https?://[A-Za-z0-9-]{1,40}\.safelinks\.protection\.outlook\.com/?\?", re.IGNORECASE),
        "url",
        "Outlook Safe Links",
        re.compile(r"&(?:data|sdata|reserved)="),
    ),
    (
        re.compile(r"https?://(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?/url\?", re.IGNORECASE),
        "q",
        "Google",
        re.compile(r"&(?:sa|ved|usg|source|opi|rct|esrc|cd)="),
    ),
)
_SPACE = re.compile(r"\s")
# A wrapper inside a wrapper (a Google redirect of a Safe Links address) is unwrapped too, this deep.
MAX_WRAPPERS = 3


def _target(query: str, key: str, own: re.Pattern[str]) -> str:
    """The URL a wrapper's query carries under `key`: decoded once, or twice when it was encoded twice;
    written unencoded, it runs to the wrapper's own parameters."""
    raw = re.search(rf"(?:^|&){key}=", query)
    if raw and _HTTP_SCHEME.match(query[raw.end() :]):
        rest = query[raw.end() :]
        end = own.search(rest)
        return rest[: end.start()] if end else rest
    inner = dict(parse_qsl(query, keep_blank_values=True)).get(key, "")
    if re.match(r"https?%3A", inner, re.IGNORECASE):
        inner = unquote(inner)
    return inner


def _unwrap(text: str) -> tuple[str, str]:
    """`text` (starting with a URL) with each wrapper's address replaced by the URL it carries, and the
    outer wrapper's name; `text` and "" when it starts with no wrapper."""
    name = ""
    for _ in range(MAX_WRAPPERS):
        for pattern, key, wrapper, own in WRAPPERS:
            found = pattern.match(text)
            if not found:
                continue
            space = _SPACE.search(text, found.end())
            end = space.start() if space else len(text)
            inner = _target(text[found.end() : end], key, own)
            if _HTTP_SCHEME.match(inner):
                text, name = inner + text[end:], name or wrapper
                break
        else:
            return text, name
    return text, name


def _pieces(text: str) -> list[tuple[str, int, bool]]:
    """The whitespace-separated pieces of `text`, each with its line's number and whether it starts
    the line."""
    return [
        (piece, number, i == 0)
        for number, line in enumerate(text.splitlines())
        for i, piece in enumerate(line.split())
    ]


def clean_text(text: str) -> tuple[str, bool]:
    """Strip what chat, e-mail and editors add around and inside a pasted URL (see `clean_paste`).
    Returns the cleaned text and whether a trailing ellipsis (a sign of truncation) was removed."""
    cleaned = clean_paste(text)
    return cleaned.text, cleaned.ellipsis


def clean_paste(text: str) -> Cleaned:
    """Strip what chat, e-mail and editors add around and inside a pasted URL.

    Quote marks at the start of lines (`>`, `> >`, `|`) are dropped first. Text before the URL is
    dropped; a URL in <…>, (…) or quotes ends at its closing mark. Wrapped lines and stray spaces are
    joined while the next piece reads like more of the URL (it holds a parameter, the URL stops
    mid-parameter, or it completes a token or a known name cut by the wrap); prose ("thanks!",
    "Regards,") ends the URL.
    """
    text = _QUOTE_MARKS.sub("", _INVISIBLE.sub("", text or ""))
    text = _BROKEN_SCHEME.sub(lambda m: re.sub(r"\s+", "", m.group(0)), text, count=1)
    unwrapped = ""
    match = (
        _HTTP_SCHEME.search(text) or SCHEME.search(text) or re.search(r"https?%3A%2F%2F", text, re.IGNORECASE)
    )
    if match:
        opener = text[match.start() - 1] if match.start() > 0 else ""
        text, unwrapped = _unwrap(text[match.start() :])
        closer = _CLOSERS.get(opener)
        if closer and closer in text:
            text = text[: text.index(closer)]
        # A second URL pasted after the first (with or without a space) is never joined to it.
        following = _HTTP_SCHEME.search(text, 1)
        if following:
            text = text[: following.start()]
    kept: list[str] = []
    tail = _Tail()
    wrapped = False
    last_line = -1
    for piece, line, starts_line in _pieces(text):
        if kept and not (
            _CONTINUATION.search(piece) or tail.incomplete or (starts_line and tail.completed_by(piece))
        ):
            # The URL ended its line and the very next line starts with one word of URL characters.
            wrapped = (
                starts_line and line == last_line + 1 and tail.in_query and bool(_URL_WORD.fullmatch(piece))
            )
            break
        kept.append(piece)
        tail.add(piece)
        last_line = line
    text = "".join(kept).strip(_SURROUNDING)
    ellipsis = False
    for suffix in ("…", "..."):
        if text.endswith(suffix):
            text, ellipsis = text[: -len(suffix)], True
    # The URL ends where its piece does, before a space or the end: a full stop, comma, semicolon, colon,
    # exclamation or question mark there ends the sentence, not the URL ("See https://…&page=1.").
    text = text.strip(_SURROUNDING).rstrip(_SENTENCE_END).strip(_SURROUNDING)
    return Cleaned(text, ellipsis, wrapped, unwrapped)


def find_urls(text: str) -> list[str]:
    """Each URL in pasted text, in order, cleaned: every http(s):// starts a new one. Linear in the
    text's length."""
    if not isinstance(text, str):
        return []
    starts: list[int] = []
    inside = -1  # where a link wrapper's address ends: a URL written unencoded in it is not another
    for m in _HTTP_SCHEME.finditer(text):
        if m.start() < inside:
            continue
        starts.append(m.start())
        if any(pattern.match(text, m.start()) for pattern, *_ in WRAPPERS):
            space = _SPACE.search(text, m.start())
            inside = space.start() if space else len(text)
    bounds = zip(starts, [*starts[1:], len(text)], strict=False)
    return [url for url in (clean_text(text[a:b])[0] for a, b in bounds) if url]
