"""Command line: `python -m affilka_core check URL [--json] [--show-token]`.

Exit codes: 0 when no check fails, 1 when any fails, 2 on usage errors. No input prints a traceback,
and the token is printed only with --show-token.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TextIO

from .checks import ICONS, Check, Status, UrlCheckResult, check_url
from .guide import STEP_BY_NUMBER
from .url import redact

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that never echoes an argument back (it could be a URL with a token in it)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {redact(message)}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m affilka_core",
        description="Check Affilka report URLs the way CasinoFlux's setup guide describes.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="check a pasted Affilka report URL, step by step")
    check.add_argument("url", help="the report URL (quote it: it contains '&')")
    check.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    check.add_argument(
        "--show-token", action="store_true", help="print the token in clear (masked by default)"
    )
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


def render_text(result: UrlCheckResult, *, show_token: bool) -> str:
    """The human report for `check`."""
    data = result.to_dict(show_token=show_token)
    lines = [f"Affilka URL check: {data['url']}"]
    lines += format_checks(result.checks)
    lines += ["", verdict_line(result.checks)]
    if data["suggested_url"] and not result.ok:
        lines += ["", "Suggested URL:", str(data["suggested_url"])]
    return "\n".join(lines)


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    result = check_url(args.url)
    if args.json:
        out.write(json.dumps(result.to_dict(show_token=args.show_token), ensure_ascii=False) + "\n")
    else:
        out.write(render_text(result, show_token=args.show_token) + "\n")
    return EXIT_OK if result.ok else EXIT_FAIL


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    """Run the CLI; returns the exit code."""
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        return _cmd_check(args, out)
    except Exception as exc:  # the promise is no traceback, whatever the input
        sys.stderr.write(f"error: {redact(str(exc))}\n")
        return EXIT_FAIL
