"""Markdown by construction: `md` fills a template written in code with text escaped, so text from a
user, a URL, a report, Affilka's messages or a file name shows as written, never as a link, an image,
emphasis, a heading or a table row.

The page and the support ticket both render Markdown. Literal Markdown appears only in the templates
given to `md` (and in `code`); every argument is masked (anything token-like, see `mask_url`) and
escaped, unless it is `Markdown` already, which `md` and `code` return.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

from affilka_core.url.masking import mask_url

# What makes emphasis, code, a link or an image (`[` opens both: with it escaped, "(" and "!" are plain
# text), HTML, a heading, a table cell, strikethrough and maths. `&` too: "&amp;" quoted from a mangled
# URL must show as written, not as the "&" it stands for; `@` too, or a renderer turns
# "name@host.example" into a mail link.
_SPECIAL = re.compile(r"([\\`*_\[\]#|<>$~&@])")
# Renderers turn a bare web address (http://, https://, www.) into a link and would show the escapes
# inside it, so an address is quoted as code instead: shown exactly, never a link. One greedy run (no
# backtracking, so linear); the punctuation that ends a sentence after it is left out.
_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]{}\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?"
# Text has no line of its own in Markdown it is put into: a line break would let it start a heading, a
# list, a table row or a rule ("---" under a line makes that line a heading).
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\x0b\x0c\x85]+")
# What makes a line a list item or a rule when text starts it: "-", "+", "=", "1." or "1)".
_BLOCK_MARK = re.compile(r"([ \t]*)(?:([-+=])|(\d{1,9})([.)]))")
# Where an argument starts a block: the start of a line, after any list or quote markers.
_LINE_START = re.compile(r"[ \t]*(?:(?:[-*+>]|\d{1,9}[.)])[ \t]+)*")


class Markdown(str):
    """Markdown source safe to render as it is: built by `md` or `code`, never untrusted text."""

    __slots__ = ()


def escape(text: str, *, line_start: bool = True) -> str:
    """`text` masked (`mask_url`) and on one line, every Markdown-special character backslash-escaped,
    web addresses as code; `line_start`: it may start a line, so a list or rule mark that starts it is
    escaped too."""
    text = _LINE_BREAKS.sub(" ", mask_url(text))
    out: list[str] = []
    last = 0
    for match in _ADDRESS.finditer(text):
        address = match.group(0).rstrip(_TRAILING)
        out += [_SPECIAL.sub(r"\\\1", text[last : match.start()]), code(address)]
        last = match.start() + len(address)
    out.append(_SPECIAL.sub(r"\\\1", text[last:]))
    escaped = "".join(out)
    if line_start:
        escaped = _BLOCK_MARK.sub(_escape_mark, escaped, count=1) if _BLOCK_MARK.match(escaped) else escaped
    return escaped


def _escape_mark(match: re.Match[str]) -> str:
    indent, mark, number, end = match.groups()
    return f"{indent}\\{mark}" if mark else f"{indent}{number}\\{end}"


def code(text: str) -> Markdown:
    """`text` masked (`mask_url`) as an inline code span: shown as written, no link or image, whatever
    backticks it holds."""
    text = _LINE_BREAKS.sub(" ", mask_url(text))
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markdown(f"{fence}{pad}{text}{pad}{fence}")


_FIELDS = string.Formatter()


def md(template: str, /, *args: object, **kwargs: object) -> Markdown:
    """`template` (Markdown written in code, with `{}` / `{name}` fields and format specs such as
    `{:,}`) filled with the arguments, each masked and escaped unless it is `Markdown` already:
    `md("**{}** — {}", title, detail)`."""
    out: list[str] = []
    auto = 0
    for literal, field, spec, conversion in _FIELDS.parse(template):
        out.append(literal)
        if field is None:
            continue
        if field == "":
            field, auto = str(auto), auto + 1
        value, _ = _FIELDS.get_field(field, args, kwargs)
        value = _FIELDS.convert_field(value, conversion)
        if isinstance(value, Markdown):
            out.append(value)
            continue
        line = "".join(out).rpartition("\n")[2]
        out.append(escape(format(value, spec or ""), line_start=bool(_LINE_START.fullmatch(line))))
    return Markdown("".join(out))


def md_join(separator: str, parts: Iterable[object]) -> Markdown:
    """The parts, each masked and escaped unless it is `Markdown` already, joined by `separator`
    (Markdown written in code): `md_join("; ", map(code, changes))`."""
    items = list(parts)
    template = separator.replace("{", "{{").replace("}", "}}").join("{}" for _ in items)
    return md(template, *items)
