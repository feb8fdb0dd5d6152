"""Masking a token wherever it shows: in a URL, in any text quoting one, in any of its written forms.

A token is a credential. Every output (pages, exports, tickets, logs, errors, `repr()`) passes its text
through `redact` or `mask_url`; `unmask` puts the secrets back into a masked URL a user edited.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import quote, unquote

# A token parameter wherever it can sit in pasted or quoted text: after '?', '&', ';' or '#' in any of their
# written forms (HTML entity, JSON escape, percent-encoded), a key ending in "token" in any case, '=' plain
# or encoded; the value runs to the next separator, also in any of those forms. Anchored on separators,
# so the search stays linear.
_TOKEN_IN_TEXT = re.compile(
    r"((?:^|[?&;#]|\\u0026|%26|%3F|%23|%3B)(?:amp;|#0*38;|#x0*26;)?[\w.\[\]-]{0,40}?token(?:=|%3D|%253D))"
    r"((?:(?!%26|%23|%3B|\\u0026)[^&#;\s\"'<>])*)",
    re.IGNORECASE,
)
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


def mask_url(text: str) -> str:
    """Mask every `token=` value in a URL (or any text holding one), and any token-like run of 20+
    letters and digits elsewhere, which is what a token looks like when its `token=` got mangled."""
    text = _TOKEN_IN_TEXT.sub(lambda m: m.group(1) + mask_token(unquote(m.group(2))), text)
    return _SECRETISH.sub(lambda m: mask_token(m.group(0)), text)


def secret_values(text: str) -> list[str]:
    """The values in `text` that `mask_url` masks: every `token=` value (decoded) and token-like run."""
    found = [unquote(m.group(2)) for m in _TOKEN_IN_TEXT.finditer(text)]
    return [s for s in found + _SECRETISH.findall(text) if s]


def redactor(*secrets: str | None) -> Callable[[str], str]:
    """`redact` with these secrets, their written forms worked out once: for masking many texts."""
    forms: list[tuple[str, str]] = []
    for secret in secrets:
        if secret and len(secret) >= 4:
            masked = mask_token(secret)
            forms += [
                (form, masked)
                for form in dict.fromkeys(
                    (secret, quote(secret, safe=""), quote(quote(secret, safe=""), safe=""))
                )
            ]

    def redact_text(text: str) -> str:
        for form, masked in forms:
            if form in text:
                text = text.replace(form, masked)
        return mask_url(text)

    return redact_text


def redact(text: str, *secrets: str | None) -> str:
    """Mask every occurrence of the given secrets (raw or percent-encoded) and every `token=` value."""
    return redactor(*secrets)(text)


def unmask(edited: str, original: str) -> str:
    """Put back the secrets of `original` where their masks stand in `edited`, so a masked URL can be
    edited without losing its token."""
    by_mask: dict[str, str] = {}
    for secret in secret_values(original):
        by_mask.setdefault(mask_token(secret), secret)
    if not by_mask:
        return edited
    # One pass over the text whatever the number of secrets: every mask is 4 characters, '…', 4
    # characters (or '••••' for short tokens).
    return _MASK.sub(lambda m: by_mask.get(m.group(0), m.group(0)), edited)


# A report URL holds one token; a paste, a handful. Masking each output costs time per secret, so a paste
# of thousands of token-like runs is bounded here; every one of them is still masked by `mask_url`.
MAX_SECRETS = 32


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
