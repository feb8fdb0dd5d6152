"""Markdown escaping for text that came from a user or a report (URLs, column names, brands, file names).

The page and the support ticket both render Markdown; through `escape` such text shows as written, with
no link, image or formatting smuggled in. Our own titles and fixes are Markdown by design and not escaped.
"""

from __future__ import annotations

import re

# `&` too: "&amp;" quoted from a mangled URL must show as written, not as the "&" it stands for.
_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>$~&])")
# Renderers turn a bare web address into a link and would show the escapes inside it, so an address is
# quoted as code instead: shown exactly, never a link. One greedy run (no backtracking, so linear); the
# punctuation that ends a sentence after it is left out.
_ADDRESS = re.compile(r"https?://[^\s<>()\[\]{}\"'`]+")
_TRAILING = ".,;:!?"


def escape(text: str) -> str:
    """`text` with every Markdown-special character backslash-escaped, and web addresses as code."""
    out: list[str] = []
    last = 0
    for match in _ADDRESS.finditer(text):
        address = match.group(0).rstrip(_TRAILING)
        out += [_SPECIAL.sub(r"\\\1", text[last : match.start()]), code(address)]
        last = match.start() + len(address)
    out.append(_SPECIAL.sub(r"\\\1", text[last:]))
    return "".join(out)


def code(text: str) -> str:
    """`text` as an inline code span: shown as written, no link or image, whatever backticks it holds."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
