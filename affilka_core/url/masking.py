"""Masking a token wherever it shows: in a URL, in any text quoting one, in any of its written forms.

A token is a credential. Every output (pages, exports, tickets, logs, errors, `repr()`) passes its text
through `redact` or `mask_url`; `unmask` puts the secrets back into a masked URL a user edited.
"""

from __future__ import annotations

import html
import json
import re
import string
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, unquote

from affilka_core.budgets import MAX_SECRETS

# A key naming a token ("token", "Token", "api_token", "X-Auth-Token") and its value, wherever they sit
# in pasted, quoted or escaped text. The key starts a word, or follows a separator written encoded
# (`%26token`, `\u0026token`), may be closed by a quote or a bracket (JSON, `params[token]`), and is
# joined to its value by '=' or ':' in any written form: plain, percent-encoded once or twice,
# JSON-escaped, an HTML entity, full-width. The value runs to the next separator, also in any of those
# forms. The key is at most 40 characters from a word start, so the search stays linear.
_EQUALS = r"=|%3D|%253D|\\{1,2}u003d|\\{1,2}x3d|&#0*61;|&#x0*3d;|&equals;|＝|%EF%BC%9D|%25EF%25BC%259D"
_COLON = r":|%3A|%253A|\\{1,2}u003a|\\{1,2}x3a|&#0*58;|&#x0*3a;|&colon;|：|%EF%BC%9A|%25EF%25BC%259A"
# A quote around a JSON key or value, as written or percent-encoded ('"token"%3A"…"' quoted in a URL).
_QUOTE = r"\\?[\"']|%22|%27|%2522|%2527"
_TOKEN_IN_TEXT = re.compile(
    r"((?:(?<=\\u0026)|(?<=%26)|(?<=%3F)|(?<=%23)|(?<=%3B)|(?<=%2526)|(?<=%253F)|(?<!\w))[\w.\[\]-]{0,40}?token"
    rf"(?:\]|%5D)?(?:{_QUOTE})?[ \t]{{0,2}}"
    rf"(?:({_EQUALS})|(?:{_COLON}))[ \t]{{0,2}}(?:{_QUOTE})?)"
    r"((?:(?!%26|%23|%3B|%22|%27|\\u0026)[^&#;\s\"'<>\\()\[\]{}|`])*)",
    re.IGNORECASE,
)
# What follows the report's path as one more path segment (`…/report.json/<token>?from=…`) is a token
# written where its key should be, whatever its shape (UUID, base64 with '/', '_' or '-').
_AFTER_REPORT_PATH = re.compile(r"(report\.json/)([^?#\s&;\"'<>()\[\]{}|`\\]+)", re.IGNORECASE)
_OUR_MASK = re.compile(r"[^…•]{4}…[^…•]{4}|•{4}")
_SECRETISH = re.compile(
    r"(?<![A-Za-z0-9])(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{20,}(?![A-Za-z0-9])"
)
_MASK = re.compile(r"\S{4}…\S{4}|••••")


def mask_token(token: str | None) -> str:
    """Show a token as its first 4 and last 4 characters; shorter tokens are hidden entirely."""
    if not token:
        return ""
    if _OUR_MASK.fullmatch(token):
        return token  # already masked by us; any other text with '…' in it is masked like any token
    if len(token) <= 12:
        return "•" * 4
    return f"{token[:4]}…{token[-4:]}"


# Sentence punctuation after a value, before a space or the end of the text, ends the sentence, not the
# token.
_SENTENCE_END = ".,:!?"
_TOKEN_START = set(string.ascii_letters + string.digits + "-_.~+/")


def _value(match: re.Match[str]) -> str:
    value = match.group(3)
    end = match.end()
    if end == len(match.string) or match.string[end].isspace():
        return value.rstrip(_SENTENCE_END)
    return value


_QUOTES = ("'", '"', "%22", "%27")


def _keyed(match: re.Match[str]) -> str | None:
    """The value of a key naming a token, decoded; None when it is not one. Written against its '=' or
    ':' (`token=VALUE`, `token:VALUE`) or quoted, it is a value whatever its shape. After a space prose
    goes on as often as a value does ("**Token:** b7e3…5678", "invalid token: expired", "token= added
    (empty)"), so there an unquoted value starts as a token can and holds a digit or 12+ characters, as
    tokens do."""
    value = _value(match)
    quoted = match.group(1).lower().endswith(_QUOTES)
    spaced = match.group(1).endswith((" ", "\t"))
    after_colon = match.group(2) is None
    prose_may_follow = not quoted and (spaced or after_colon)
    looks_like_one = value[:1] in _TOKEN_START and (
        not spaced or len(value) >= 12 or any(ch.isdigit() for ch in value)
    )
    return None if prose_may_follow and not looks_like_one else unquote(value)


def _mask_keyed(match: re.Match[str]) -> str:
    value = _keyed(match)
    if value is None:
        return match.group(0)
    return match.group(1) + mask_token(value) + match.group(3)[len(_value(match)) :]


def _path_parts(match: re.Match[str]) -> tuple[str, str]:
    """(its key and '=' if it has one, the token) of a token written as a path segment after
    report.json."""
    value = match.group(2)
    key, eq, rest = value.partition("=")
    if eq and "token" in key.lower():
        return key + eq, unquote(rest)
    return "", unquote(value)


def _path_secret(match: re.Match[str]) -> str:
    return _path_parts(match)[1]


def _mask_path(match: re.Match[str]) -> str:
    key, secret = _path_parts(match)
    return match.group(1) + key + mask_token(secret)


def mask_url(text: str) -> str:
    """Mask every value of a key naming a token (`token=`, `Token:`, `token%3D`, `token\\u003d`,
    `token＝`, any value shape) in a URL or any text, and any token-like run of 20+ letters and digits
    elsewhere, which is what a token looks like when its key got mangled."""
    lowered = text.lower()
    if "token" in lowered:
        text = _TOKEN_IN_TEXT.sub(_mask_keyed, text)
    if "report.json/" in lowered:
        text = _AFTER_REPORT_PATH.sub(_mask_path, text)
    return _SECRETISH.sub(lambda m: mask_token(m.group(0)), text)


def secret_values(text: str) -> list[str]:
    """The values in `text` that `mask_url` masks: every value of a key naming a token (decoded) and
    every token-like run."""
    keyed = _TOKEN_IN_TEXT.finditer(text) if "token" in text.lower() else ()
    in_path = _AFTER_REPORT_PATH.finditer(text) if "report.json/" in text.lower() else ()
    return (
        [value for value in map(_keyed, keyed) if value]
        + [value for value in map(_path_secret, in_path) if value]
        + _SECRETISH.findall(text)
    )


def written_forms(secret: str) -> tuple[str, ...]:
    """The ways `secret` may be written in text that quotes it: as it is, percent-encoded (once or
    twice, or every character of it), HTML-escaped and JSON-escaped."""
    once = quote(secret, safe="")
    # Every byte percent-encoded, letters and digits too (`%30%31…`), as some tools write it.
    every = "".join(f"%{byte:02X}" for byte in secret.encode())
    forms = (secret, once, quote(once, safe=""), every, html.escape(secret), json.dumps(secret)[1:-1])
    return tuple(dict.fromkeys(forms))


# Upper-case ASCII letters to lower case: the same length, so a match in the folded text is a span of
# the original.
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def redactor(*secrets: str | None) -> Callable[[str], str]:
    """`redact` with these secrets, their written forms worked out once: for masking many texts."""
    masks: dict[str, str] = {}
    for secret in secrets:
        if secret and len(secret) >= 4:
            for form in written_forms(secret):
                masks.setdefault(form.translate(_ASCII_LOWER), mask_token(secret))
    if not masks:
        return mask_url
    # Longest first, so a form inside a longer one is not taken for it.
    forms = sorted(masks.items(), key=lambda item: len(item[0]), reverse=True)

    def redact_text(text: str) -> str:
        # Plain substring searches, not a pattern: a compiled pattern would keep the secrets in the
        # regex module's cache after the session that pasted them is gone.
        folded = text.lower() if text.isascii() else text.translate(_ASCII_LOWER)
        spans: list[tuple[int, int, str]] = []
        for form, masked in forms:
            at = folded.find(form)
            while at != -1:
                spans.append((at, at + len(form), masked))
                at = folded.find(form, at + len(form))
        if spans:
            parts, last = [], 0
            for start, end, masked in sorted(spans, key=lambda s: (s[0], s[0] - s[1])):
                if start >= last:
                    parts += [text[last:start], masked]
                    last = end
            text = "".join(parts) + text[last:]
        return mask_url(text)

    return redact_text


def redact(text: str, *secrets: str | None) -> str:
    """Mask every occurrence of the given secrets, in any case and any written form (raw,
    percent-encoded, HTML- or JSON-escaped), even inside longer text, and every value of a key naming
    a token (see `mask_url`)."""
    return redactor(*secrets)(text)


# A host name where a URL's host stands (after a scheme's '/', or starting a word: a URL without its
# scheme), with a port or as an IPv4 address; the text is decoded once first. A name elsewhere (a token
# with a dot in it) is none.
_HOST_NAME = re.compile(
    r"(?:(?<=/)|(?<![^\s<(\"'>|]))((?:[a-z0-9-]+\.)+[a-z][a-z0-9-]*(?::\d+)?|\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?)"
    r"(?=[/?#\s]|$)",
    re.IGNORECASE,
)


def _host_names(text: str) -> frozenset[str]:
    return frozenset(name.lower() for name in _HOST_NAME.findall(unquote(text)))


def unmask(edited: str, original: str, *, per_line: bool = False) -> str:
    """Put back the secrets of `original` where their masks stand in `edited`, so a masked URL can be
    edited without losing its token: only where the edited text (each line, with `per_line`, as a
    batch list is) names no host the secret's own text did not. A mask in a URL for another host (pasted
    from a ticket, or written to collect the token) stays a mask."""
    split = str.splitlines if per_line else (lambda text, keepends=False: [text])
    by_mask: dict[str, tuple[str, frozenset[str]]] = {}
    for piece in split(original):
        hosts = _host_names(piece)
        for secret in secret_values(piece):
            by_mask.setdefault(mask_token(secret), (secret, hosts))
    if not by_mask:
        return edited

    def restore(piece: str) -> str:
        hosts = _host_names(piece)

        def put_back(m: re.Match[str]) -> str:
            secret, known = by_mask.get(m.group(0), (m.group(0), frozenset()))
            return secret if hosts <= known else m.group(0)

        # One pass over the piece whatever the number of secrets: every mask is 4 characters, '…', 4
        # characters (or '••••' for short tokens).
        return _MASK.sub(put_back, piece)

    return "".join(restore(piece) for piece in split(edited, keepends=True))


def secrets_in(text: str, params: Iterable[tuple[str, str]] = ()) -> tuple[str, ...]:
    """Every value that may be a token in pasted text (the first `MAX_SECRETS`): the values of `params`
    (a parsed URL's, once repaired: `Token=…`, a key `token=…` decoded from `token%3D…`) whose key names
    a token, the values after any key naming a token in any of its written forms (see `mask_url`), and
    token-like runs. Outputs mask each of them wherever they are quoted."""
    found: list[str] = []
    for key, value in params:
        name, eq, rest = key.partition("=")
        if "token" in name.lower():
            found += [value, rest] if eq else [value]
    found += secret_values(text) if isinstance(text, str) else []
    return tuple(dict.fromkeys(s for s in found if s))[:MAX_SECRETS]


def scrub(value: Any, *secrets: str | None) -> Any:
    """`value` (JSON-shaped: dicts, lists, strings, numbers) with `secrets` and anything token-like
    masked in every string."""
    hide = redactor(*secrets)

    def walk(item: Any) -> Any:
        if isinstance(item, str):
            return hide(item)
        if isinstance(item, dict):
            return {k: walk(v) for k, v in item.items()}
        if isinstance(item, list | tuple):
            return [walk(v) for v in item]
        return item

    return walk(value)
