"""Words every face shares: plurals, "first N and K more", Affilka's own message quoted, durations.

One helper each, so a count, a list or a quote reads the same on the page, in the CLI and in a ticket.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from affilka_core.budgets import KIB, MIB

# Characters of Affilka's own error message quoted anywhere (checks, CLI, ticket).
QUOTE_CAP = 300
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def plural(n: int, word: str, many: str | None = None, *, count: bool = True) -> str:
    """ "1 row", "2 rows", "1,234 rows" ("1 day"/"3 days"); `many` for irregular plurals; `count=False`
    gives the word alone."""
    form = word if n == 1 else (many or word + "s")
    return f"{n:,} {form}" if count else form


def first_n(items: Sequence[object], limit: int = 5, *, sep: str = ", ", total: int | None = None) -> str:
    """The first `limit` items joined, then "and K more": "a, b, c and 4 more". `total` counts the items
    when `items` holds only the first ones (a list too long to make)."""
    count = len(items) if total is None else total
    shown = sep.join(str(item) for item in items[:limit])
    return shown + (f" and {count - limit:,} more" if count > limit else "")


def one_line(text: str) -> str:
    """`text` on one line: control characters and runs of whitespace become single spaces."""
    return " ".join(_CONTROL.sub(" ", text).split())


def quote_affilka(message: str | None) -> str:
    """Affilka's own message as quoted anywhere: on one line, at most `QUOTE_CAP` characters ("…" when
    cut), "" when there is none. Callers mask tokens before quoting (a cut could keep part of one)."""
    text = one_line(message or "")
    if len(text) > QUOTE_CAP:
        text = text[: QUOTE_CAP - 1].rstrip() + "…"
    return text


def duration(seconds: float) -> str:
    """A wall time as people read it: "420 ms" below a second (never "0.0 s"), else "2.3 s"."""
    if seconds < 0.9995:
        return f"{max(1, round(seconds * 1000))} ms"
    return f"{seconds:.1f} s"


def megabytes(size: int) -> str:
    """A size as people read it, in binary units as the budgets are written (a megabyte is 1,048,576
    bytes, so the default page cap reads "50.0 MB"): "12.3 MB", "0.4 MB", or "20 KB" / "512 B" below a
    tenth of a megabyte."""
    if size >= MIB // 10:
        return f"{size / MIB:.1f} MB"
    if size >= KIB:
        return f"{size / KIB:.0f} KB"
    return f"{size} B"


def days_text(days: Sequence[str], limit: int = 5) -> str:
    """ISO days as people read them: runs of consecutive days as spans, separate days as themselves
    ("2026-04-03, 2026-04-07 → 2026-04-09"), the first `limit` items then "and K more"."""
    runs: list[list[dt.date]] = []
    for day in sorted({dt.date.fromisoformat(d) for d in days}):
        if runs and (day - runs[-1][-1]).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs_text([(r[0], r[-1]) for r in runs], limit)


def runs_text(runs: Sequence[tuple[dt.date, dt.date]], limit: int = 5) -> str:
    """Runs of days (first, last), in order, as `days_text` says them: a one-day run as its day, a longer
    one as a span, the first `limit` then "and K more" (runs given as such: millions of days cost none)."""
    items = [f"{a}" if a == b else f"{a} → {b}" for a, b in runs[:limit]]
    return first_n(items, limit, total=len(runs))


def clock_time(moment: dt.datetime) -> str:
    """A moment as a clock shows it, in UTC as the history shows it (the people on a shared screen may sit
    in different time zones, the server in yet another): "23:38 UTC" ("after 23:39 UTC" is then true of
    any moment within 23:39)."""
    return f"{moment.astimezone(dt.UTC):%H:%M} UTC"


# Names keep their capital mid-sentence.
_NAMES = ("Affilka", "CasinoFlux")


def mid_sentence(title: str) -> str:
    """A title inside a sentence: "token expired or invalid", but "Affilka answered…" and "FTD rate"
    (names and acronyms keep their capitals)."""
    if title.startswith(_NAMES) or title[1:2].isupper():
        return title
    return title[:1].lower() + title[1:]


def sentence_start(text: str) -> str:
    """A phrase starting a sentence: its first letter in capitals ("the report…" → "The report…")."""
    return text[:1].upper() + text[1:]
