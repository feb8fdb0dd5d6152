"""The URL checklist's speed: `affilka_core.check_url` over 1,000 varied pasted URLs.

The home page re-runs every check on each rerun of the page, and the CLI may be fed a file of URLs, so a
check must cost well under a millisecond. The URLs are generated deterministically (fixed seed) from the
guide's example URL and the ways it reaches us broken: missing columns, double-encoded or HTML-escaped
parameters, cut off in chat, http, the Customer API path, wrong period or page, junk text and so on.

Measured: the whole list, best of 3 (`url_checks_s`, hence `url_checks_per_s`), and in a separate pass
the slowest single call and its variant (`url_check_slowest_ms`, `url_check_slowest_kind`).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from affilka_core import check_url
from affilka_core.guide import REQUIRED_COLUMNS

from .common import best_of

COUNT = 1000
SEED = 20260401
HOSTS = (
    "primetime.partners",
    "partners.luckyspin.com",
    "aff.casinorocket.io",
    "affiliates.goldenreels.net",
    "partners.vavada-aff.com",
    "stats.jackpotpartners.eu",
)
EXTRA_COLUMNS = ("ggr", "cashouts_sum", "deposits_count", "wager", "admin_fee")
MISSPELLED = ("visit_count", "ftd_count", "partner_incomes", "deposit_sum", "qualified_player_count")


def _guide_like(rng: random.Random) -> dict[str, Any]:
    """The parts of a correct export URL, varied: host, dates, extra columns, token."""
    end = dt.date(2026, 4, 21) - dt.timedelta(days=rng.randrange(400))
    start = end - dt.timedelta(days=rng.choice((6, 20, 29, 89, 364)))
    columns = list(REQUIRED_COLUMNS) + rng.sample(EXTRA_COLUMNS, rng.randrange(3))
    return {
        "host": rng.choice(HOSTS),
        "path": "/api/client/partner/report.json",
        "from": start.isoformat(),
        "to": end.isoformat(),
        "period": "custom",
        "columns": columns,
        "group_by": ["day", "brand", "campaign"],
        "token": f"{rng.getrandbits(128):032x}",
        "page": "1",
        "scheme": "https",
    }


def _build(p: dict[str, Any], bracket: str = "%5B%5D") -> str:
    query = [
        f"from={p['from']}",
        f"to={p['to']}",
        f"period={p['period']}",
        f"exchange_rates_date={p['to']}",
        "convert_all_currencies=true",
        "conversion_currency=EUR",
        *(f"columns{bracket}={c}" for c in p["columns"]),
        *(f"group_by{bracket}={g}" for g in p["group_by"]),
        "name=",
    ]
    if p["token"] is not None:
        query.append(f"token={p['token']}")
    if p["page"] is not None:
        query.append(f"page={p['page']}")
    return f"{p['scheme']}://{p['host']}{p['path']}?" + "&".join(query)


def _missing_columns(rng: random.Random, p: dict[str, Any]) -> str:
    drop = set(rng.sample(REQUIRED_COLUMNS, rng.randrange(1, 4)))
    p["columns"] = [c for c in p["columns"] if c not in drop]
    return _build(p)


def _truncated(rng: random.Random, p: dict[str, Any]) -> str:
    url = _build(p)
    cut = url[: rng.randrange(len(url) // 3, len(url) - 5)]
    return cut + rng.choice(("", "…", "..."))


def _wrapped(rng: random.Random, p: dict[str, Any]) -> str:
    url = _build(p)
    width = rng.choice((64, 72, 76))
    return "\n".join(url[i : i + width] for i in range(0, len(url), width))


def _junk(rng: random.Random, p: dict[str, Any]) -> str:
    return rng.choice(
        (
            "see attached",
            "Hi! Here is the report link, let me know if it works",
            "token: " + p["token"],
            "",
            "   ",
            "primetime.partners",
            "https://",
            "ftp://" + p["host"] + "/report.json",
            "https:// " + p["host"],
            "<html><body>Sign in</body></html>",
            "null",
            "12345",
        )
    )


def _set(**changes: Any) -> Callable[[random.Random, dict[str, Any]], str]:
    def variant(rng: random.Random, p: dict[str, Any]) -> str:
        for key, value in changes.items():
            p[key] = value(rng) if callable(value) else value
        return _build(p)

    return variant


# (kind, how to make it from the parts of a correct URL)
VARIANTS: tuple[tuple[str, Callable[[random.Random, dict[str, Any]], str]], ...] = (
    ("guide", lambda rng, p: _build(p)),
    ("plain brackets", lambda rng, p: _build(p, "[]")),
    ("indexed brackets", lambda rng, p: _build(p, "[0]")),
    ("missing columns", _missing_columns),
    ("misspelled column", lambda rng, p: _build({**p, "columns": [*p["columns"], rng.choice(MISSPELLED)]})),
    ("double-encoded", lambda rng, p: _build(p, "%255B%255D")),
    ("html-escaped", lambda rng, p: _build(p).replace("&", "&amp;")),
    ("json-escaped", lambda rng, p: _build(p).replace("&", "\\u0026").replace("/", "\\/")),
    ("markdown-escaped", lambda rng, p: _build(p, "\\[\\]").replace("_", "\\_")),
    ("percent-encoded whole", lambda rng, p: quote(_build(p), safe="")),
    ("truncated", _truncated),
    ("wrapped by e-mail", _wrapped),
    ("in a sentence", lambda rng, p: f"Hi, the link: <{_build(p)}> thanks!"),
    ("http", _set(scheme="http")),
    ("no scheme", lambda rng, p: _build(p).removeprefix("https://")),
    ("customer api", _set(path="/api/customer/v1/partner/report.json")),
    ("csv export", _set(path="/api/client/partner/report.csv")),
    ("dashboard page", _set(path="/partner/reports/statistics")),
    ("wrong period", _set(period=lambda rng: rng.choice(("month", "current_month", "previous_week", "")))),
    ("reversed dates", lambda rng, p: _build({**p, "from": p["to"], "to": p["from"]})),
    ("bad date", _set(to=lambda rng: rng.choice(("2026-13-01", "21.04.2026", "yesterday", "")))),
    ("group_by month", _set(group_by=["month", "brand", "campaign"])),
    ("group_by missing", _set(group_by=lambda rng: rng.sample(["day", "brand", "campaign"], 1))),
    ("page 2", _set(page=lambda rng: str(rng.randrange(2, 40)))),
    ("no page", _set(page=None)),
    ("no token", _set(token=None)),
    ("empty token", _set(token="")),
    ("junk", _junk),
)


def urls(count: int = COUNT, seed: int = SEED) -> list[tuple[str, str]]:
    """`count` (kind, url) pairs, every variant in turn, deterministic for a seed."""
    rng = random.Random(seed)
    out = []
    for i in range(count):
        kind, make = VARIANTS[i % len(VARIANTS)]
        out.append((kind, make(rng, _guide_like(rng))))
    return out


def run() -> dict[str, Any]:
    cases = urls()
    texts = [url for _, url in cases]
    total_s, results = best_of(lambda: [check_url(t) for t in texts])
    failing = sum(1 for r in results if not r.ok)
    slowest, slowest_kind = 0.0, ""
    for kind, text in cases:
        started = time.perf_counter()
        check_url(text)
        seconds = time.perf_counter() - started
        if seconds > slowest:
            slowest, slowest_kind = seconds, kind
    return {
        "url_count": len(texts),
        "url_variants": len(VARIANTS),
        "url_failing_share": failing / len(texts),
        "url_checks_s": total_s,
        "url_checks_per_s": len(texts) / total_s,
        "url_check_slowest_ms": slowest * 1000,
        "url_check_slowest_kind": slowest_kind,
    }
