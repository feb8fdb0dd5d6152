"""Markdown escaping for text that came from a user or a report (URLs, column names, brands, file names).

The page and the support ticket both render Markdown; through `escape` such text shows as written, with
no link, image or formatting smuggled in. Our own titles and fixes are Markdown by design and not escaped.
"""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>$~])")


def escape(text: str) -> str:
    """`text` with every Markdown-special character backslash-escaped."""
    return _SPECIAL.sub(r"\\\1", text)


def code(text: str) -> str:
    """`text` as an inline code span: shown as written, no link or image, whatever backticks it holds."""
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
