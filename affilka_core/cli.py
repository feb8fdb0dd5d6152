"""Command line.

    python -m affilka_core check URL [--fetch] [--json] [--show-token]
    python -m affilka_core check - [--fetch] [--json] [--show-token] [--concurrency N]  < urls.txt
    python -m affilka_core inspect PATH_OR_URL [--json]

Exit codes: 0 when no check fails, 1 when any fails, 2 on usage errors. No input prints a traceback,
and the token is printed only with --show-token.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from .batch import (
    DEFAULT_CONCURRENCY,
    MAX_CONCURRENCY,
    BatchRow,
    check_batch,
    fetch_batch,
    parse_batch_text,
    tally,
)
from .catalogue import CheckId
from .checks import ICONS, URL_CHECK_IDS, Check, Status, UrlCheckResult, check_url
from .guide import STEP_BY_NUMBER, STEPS
from .guide_status import icon
from .load import Diagnosis, diagnose_report, diagnose_url
from .url import redact

SUMMARY_KEYS = ("rows", "brands", "campaigns", "date_min", "date_max", "currencies", "totals")

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that never echoes an argument back (it could be a URL with a token in it)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {redact(message)}\n")


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_CONCURRENCY}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m affilka_core",
        description="Check Affilka report URLs the way CasinoFlux's setup guide describes.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="check a pasted Affilka report URL, step by step")
    check.add_argument(
        "url",
        help="the report URL (quote it: it contains '&'), or - to read many from standard input, one per "
        "line, each optionally preceded by a name and a comma or tab",
    )
    check.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    check.add_argument(
        "--show-token", action="store_true", help="print the token in clear (masked by default)"
    )
    check.add_argument("--fetch", action="store_true", help="also fetch every page and diagnose the data")
    check.add_argument(
        "--concurrency",
        type=_concurrency,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"with - and --fetch: reports fetched at a time (1-{MAX_CONCURRENCY}, "
        f"default {DEFAULT_CONCURRENCY})",
    )
    inspect = sub.add_parser("inspect", help="summarise and diagnose a saved report file (or fetch a URL)")
    inspect.add_argument(
        "source", metavar="PATH_OR_URL", help="a saved report JSON file, '-' for standard input, or a URL"
    )
    inspect.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    return parser


def format_checks(checks: Sequence[Check]) -> list[str]:
    """Human lines: checks grouped under their guide step, with icons and fixes."""
    lines: list[str] = []
    step = None
    for c in checks:
        if c.step != step:
            step = c.step
            lines.append(f"\nStep {step} · {STEP_BY_NUMBER[step].name}")
        lines.append(f"  {ICONS[c.status]} {c.title} — {c.detail}")
        if c.fix:
            lines.append(f"     Fix: {c.fix}")
    return lines


def verdict_line(checks: Sequence[Check]) -> str:
    """One line saying whether CasinoFlux can use the URL."""
    fails = sum(c.status == Status.FAIL for c in checks)
    warns = sum(c.status == Status.WARN for c in checks)
    if fails:
        return f"{ICONS[Status.FAIL]} Not usable yet: {fails} to fix, {warns} to look at."
    if warns:
        return f"{ICONS[Status.WARN]} Usable, {warns} to look at."
    return f"{ICONS[Status.PASS]} Ready for CasinoFlux."


def format_summary(summary: dict[str, Any] | None) -> list[str]:
    """Human lines for the data summary."""
    if summary is None:
        return ["\nNo data: the report could not be read."]
    lines = [
        "\nData",
        f"  {summary['rows']:,} rows · {summary['campaigns']} campaigns · "
        f"{summary['date_min'] or '?'} → {summary['date_max'] or '?'}",
        f"  Brands: {', '.join(summary['brands']) or '(not in the data)'}",
        f"  Currencies: {', '.join(summary['currencies']) or '(none stated)'}",
    ]
    for name, value in summary["totals"].items():
        lines.append(f"  {name}: {value:,}")
    return lines


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\rFetched page {done} of {total}")
        if done == total:
            sys.stderr.write("\n")


def render_text(data: dict[str, Any], checks: Sequence[Check], *, with_data: bool) -> str:
    """The human report for `check`: URL, checks by step, data (after a fetch), verdict, suggestion."""
    lines = [f"Affilka URL check: {data['url']}", *format_checks(checks)]
    if with_data:
        lines += format_summary(data.get("data"))
    lines += ["", verdict_line(checks)]
    if data["suggested_url"] and not data["ok"]:
        lines += ["", "Suggested URL:", str(data["suggested_url"])]
    return "\n".join(lines)


def _batch_progress(done: int, total: int) -> None:
    if sys.stderr.isatty():
        sys.stderr.write(f"\rFetched {done} of {total} reports")
        if done == total:
            sys.stderr.write("\n")


def _cell(text: str, width: int) -> str:
    text = text if len(text) <= width else text[: width - 1] + "…"
    return text.ljust(width)


def format_batch(rows: Sequence[BatchRow]) -> list[str]:
    """Human lines for many URLs: name, host, one ✅/⚠️/❌ per guide step, the first thing to fix, and a
    tally."""
    names = [r.name or f"(line {r.item.line})" for r in rows]
    hosts = [r.url.netloc if r.url else "(not a URL)" for r in rows]
    name_w = min(max([4, *map(len, names)]), 30)
    host_w = min(max([4, *map(len, hosts)]), 32)
    lines = [
        f"{_cell('name', name_w)}  {_cell('host', host_w)}  "
        + " ".join(f"{s.number} " for s in STEPS)
        + " fix"
    ]
    for row, name, host in zip(rows, names, hosts, strict=True):
        statuses = row.step_statuses()
        steps = " ".join(icon(statuses[s.number]) for s in STEPS)
        problem = row.first_problem()
        fix = f"{problem.title}: {problem.fix or problem.detail}" if problem else ""
        lines.append(f"{_cell(name, name_w)}  {_cell(host, host_w)}  {steps}  {fix}")
    counts = tally(rows)
    lines += [
        "",
        f"{len(rows)} URL{'s' if len(rows) != 1 else ''}: {counts[Status.PASS]} ready, "
        f"{counts[Status.WARN]} usable with warnings, {counts[Status.FAIL]} not usable yet.",
    ]
    return lines


def _cmd_check_batch(args: argparse.Namespace, out: TextIO) -> int:
    text = sys.stdin.buffer.read().decode("utf-8-sig", errors="replace")
    items = parse_batch_text(text)
    if not items:
        sys.stderr.write(
            "error: no URLs on standard input: give one report URL per line, optionally preceded by a "
            "name and a comma (e.g. 'Casino Alpha, https://…').\n"
        )
        return EXIT_USAGE
    if args.fetch:
        rows = fetch_batch(items, concurrency=args.concurrency, on_progress=_batch_progress)
    else:
        rows = check_batch(items)
    if args.json:
        for row in rows:
            out.write(json.dumps(row.to_dict(show_token=args.show_token), ensure_ascii=False) + "\n")
    else:
        out.write("\n".join(format_batch(rows)) + "\n")
    return EXIT_OK if all(r.ok for r in rows) else EXIT_FAIL


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    if args.url == "-":
        return _cmd_check_batch(args, out)
    outcome: Diagnosis | UrlCheckResult
    outcome = diagnose_url(args.url, on_progress=_progress) if args.fetch else check_url(args.url)
    data = outcome.to_dict(show_token=args.show_token)
    if args.json:
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        out.write(render_text(data, outcome.checks, with_data=args.fetch) + "\n")
    return EXIT_OK if outcome.ok else EXIT_FAIL


def _inspect_shape(diagnosis: Diagnosis) -> dict[str, Any]:
    summary = diagnosis.summary() or {
        "rows": 0,
        "brands": [],
        "campaigns": 0,
        "date_min": None,
        "date_max": None,
        "currencies": [],
        "totals": {},
    }
    out = {key: summary[key] for key in SUMMARY_KEYS}
    out["checks"] = [c.to_dict() for c in _report_checks(diagnosis)]
    return out


def _report_checks(diagnosis: Diagnosis) -> list[Check]:
    """What `inspect` reports: fetch and data checks, and the URL's own verdict only if unreadable."""
    return [
        c
        for c in diagnosis.checks
        if c.id not in URL_CHECK_IDS or (c.id == CheckId.URL_PARSE and c.status == Status.FAIL)
    ]


def _cmd_inspect(args: argparse.Namespace, out: TextIO) -> int:
    source: str = args.source
    if source == "-":
        diagnosis = diagnose_report(sys.stdin.buffer.read())
    elif os.path.isfile(source):
        with open(source, "rb") as fh:
            diagnosis = diagnose_report(fh.read())
    elif "://" in source or source.startswith(("www.", "http")):
        diagnosis = diagnose_url(source, on_progress=_progress)
    else:
        sys.stderr.write(f"error: no such file: {redact(source)[:200]}\n")
        return EXIT_USAGE
    data = _inspect_shape(diagnosis)
    if args.json:
        out.write(json.dumps(data, ensure_ascii=False) + "\n")
    else:
        checks = _report_checks(diagnosis)
        lines = ["Affilka report: " + (redact(source) if "://" in source else source)]
        lines += format_summary(diagnosis.summary()) + format_checks(checks) + ["", verdict_line(checks)]
        out.write("\n".join(lines) + "\n")
    return EXIT_OK if all(c["status"] != "fail" for c in data["checks"]) else EXIT_FAIL


_COMMANDS = {"check": _cmd_check, "inspect": _cmd_inspect}


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code."""
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args, out)
    except Exception as exc:  # the promise is no traceback, whatever the input
        sys.stderr.write(f"error: {redact(str(exc))}\n")
        return EXIT_FAIL
