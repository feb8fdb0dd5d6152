"""Command line.

    python -m affilka_core check URL [--fetch] [--json | --ticket [--brand NAME] [--offer NAME]]
                                     [--show-token] [--record]
    python -m affilka_core check - [--fetch] [--json] [--show-token] [--concurrency N] [--record]  < urls.txt
    python -m affilka_core check --list [--json]
    python -m affilka_core inspect PATH_OR_URL [--json]
    python -m affilka_core history [--host H] [--offer KEY] [--limit N] [--json]
    python -m affilka_core history show ID [--json]
    python -m affilka_core history purge --older-than DAYS

Exit codes: 0 when no check fails, 1 when any fails, 2 on usage errors, 75 (EX_TEMPFAIL) when the only
failures are temporary (Affilka did not answer now: verdict "retry"). No input prints a traceback,
and the token is printed only with --show-token. Checking a URL without --fetch imports neither pandas
nor requests, and without --record not SQLAlchemy: the modules that need them are imported by the
commands that use them. `--record` keeps the case in the history (`AFFILKA_HISTORY_URL`); when the
history cannot take it, the check's output and exit code are as always and one line on stderr says why.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import IO, TYPE_CHECKING, Any, NoReturn, TextIO

from affilka_core.batch import DEFAULT_CONCURRENCY
from affilka_core.budgets import HISTORY_DAYS, MAX_BATCH_CONCURRENCY, MAX_HISTORY_LIMIT
from affilka_core.catalogue import CATALOGUE, URL_CHECK_IDS, CheckId, step_of
from affilka_core.checks.model import Check, Status
from affilka_core.checks.verdict import (
    FIX,
    RETRY,
    RETRY_HEADLINE,
    RETRY_ICON,
    USABLE,
    check_icon,
    icon,
    verdict,
)
from affilka_core.diagnosis import Diagnosis, diagnose_text
from affilka_core.errors import BadSetting, HistoryUnavailable
from affilka_core.fetch.settings import FetchSettings
from affilka_core.guide import STEP_BY_NUMBER, STEPS
from affilka_core.history.case import os_user
from affilka_core.history.settings import HistorySettings
from affilka_core.text import megabytes, plural
from affilka_core.url.masking import redact, scrub

if TYPE_CHECKING:
    from affilka_core.batch import BatchRow
    from affilka_core.history.case import Case
    from affilka_core.history.store import HistoryStore

SUMMARY_KEYS = ("rows", "brands", "campaigns", "date_min", "date_max", "currencies", "totals")

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2
EXIT_RETRY = 75  # sysexits EX_TEMPFAIL: nothing to fix, try again later


def exit_code(verdict_code: str) -> int:
    """The exit code of a verdict: usable 0, fix 1, retry 75."""
    return {USABLE: EXIT_OK, RETRY: EXIT_RETRY}.get(verdict_code, EXIT_FAIL)


class UsageError(Exception):
    """A command line argparse (or a command) rejects; `main` prints it with the usage, exit code 2."""

    def __init__(self, usage: str, message: str) -> None:
        super().__init__(message)
        self.usage = usage


class _Parser(argparse.ArgumentParser):
    """argparse that never echoes an argument back (it could be a URL with a token in it), and reports
    errors to `main` instead of exiting, so the CLI runs in-process."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(self.format_usage(), f"{self.prog}: error: {redact(message)}")


def _whole(text: str, lowest: int, highest: int) -> int:
    """A whole number from `lowest` to `highest`, else an argparse error naming that range."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text[:40]!r}") from None
    if not lowest <= value <= highest:
        raise argparse.ArgumentTypeError(f"give a whole number from {lowest:,} to {highest:,}")
    return value


def _limit(text: str) -> int:
    """`history --limit`: 1 to `MAX_HISTORY_LIMIT` cases."""
    return _whole(text, 1, MAX_HISTORY_LIMIT)


def _days(text: str) -> int:
    """`history purge --older-than`: 0 to the most days the history keeps (`AFFILKA_HISTORY_DAYS`)."""
    return _whole(text, 0, int(HISTORY_DAYS.highest))


def _concurrency(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if not 1 <= value <= MAX_BATCH_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"must be between 1 and {MAX_BATCH_CONCURRENCY}")
    return value


@functools.cache
def build_parser() -> argparse.ArgumentParser:
    """The command line's parser, built once: its construction looks up every help text's translation."""
    parser = _Parser(
        prog="python -m affilka_core",
        description="Check Affilka report URLs the way CasinoFlux's setup guide describes.",
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    check = sub.add_parser("check", help="check a pasted Affilka report URL, step by step")
    check.add_argument(
        "url",
        nargs="?",
        help="the report URL (quote it: it contains '&'), or - to read many from standard input, one per "
        "line, each optionally preceded by a name and a comma or tab",
    )
    check.add_argument("--list", action="store_true", help="list every check id with its step and phase")
    output = check.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    output.add_argument(
        "--ticket", action="store_true", help="print the support-ticket Markdown (token masked)"
    )
    check.add_argument(
        "--show-token", action="store_true", help="print the token in clear (masked by default)"
    )
    check.add_argument("--brand", metavar="NAME", help="with --ticket: the Affilka brand the Offer is for")
    check.add_argument("--offer", metavar="NAME", help="with --ticket: the CasinoFlux Offer")
    check.add_argument("--fetch", action="store_true", help="also fetch every page and diagnose the data")
    check.add_argument(
        "--concurrency",
        type=_concurrency,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"with - and --fetch: reports fetched at a time (1-{MAX_BATCH_CONCURRENCY}, "
        f"default {DEFAULT_CONCURRENCY})",
    )
    check.add_argument(
        "--record",
        action="store_true",
        help="keep the case in the history (AFFILKA_HISTORY_URL), token masked",
    )
    inspect = sub.add_parser("inspect", help="summarise and diagnose a saved report file (or fetch a URL)")
    inspect.add_argument(
        "source", metavar="PATH_OR_URL", help="a saved report JSON file, '-' for standard input, or a URL"
    )
    inspect.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    _history_parser(sub)
    return parser


def _history_parser(sub: Any) -> None:
    history = sub.add_parser("history", help="the recorded cases, newest first (AFFILKA_HISTORY_URL)")
    history.add_argument("--host", metavar="H", help="only cases of this Affilka host")
    history.add_argument("--offer", metavar="KEY", help="only cases of this Offer (its offer_key)")
    history.add_argument(
        "--limit",
        type=_limit,
        default=HISTORY_LIMIT,
        metavar="N",
        help=f"at most N cases, 1-{MAX_HISTORY_LIMIT:,} ({HISTORY_LIMIT})",
    )
    history.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    actions = history.add_subparsers(dest="action", parser_class=_Parser)
    show = actions.add_parser("show", help="one case: who, when, the checklist, the data, the insights")
    show.add_argument("case_id", type=int, metavar="ID")
    show.add_argument("--json", action="store_true", help="print one JSON object instead of text")
    purge = actions.add_parser("purge", help="delete the cases older than DAYS days")
    purge.add_argument(
        "--older-than",
        type=_days,
        required=True,
        metavar="DAYS",
        help=f"0-{int(HISTORY_DAYS.highest):,} days",
    )


def format_checks(checks: Sequence[Check]) -> list[str]:
    """Human lines: checks grouped under their guide step, with icons and fixes."""
    lines: list[str] = []
    step = None
    for c in checks:
        if c.step != step:
            step = c.step
            lines.append(f"\nStep {step} · {STEP_BY_NUMBER[step].name}")
        lines.append(f"  {check_icon(c)} {c.title} — {c.detail}")
        if c.fix:
            lines.append(f"     Fix: {c.fix}")
    return lines


def verdict_line(checks: Sequence[Check]) -> str:
    """One line saying whether CasinoFlux can use the URL (the verdict's icon and sentence)."""
    return verdict(checks).line


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
        lines.append(f"  {name}: {'not a finite number' if value is None else f'{value:,}'}")
    return lines


class _Io:
    """Where a command reads and writes (stdout, stderr, standard input as bytes), the fetch settings
    and the history's."""

    def __init__(
        self, out: TextIO, err: TextIO, stdin: IO[bytes], settings: FetchSettings, history: HistorySettings
    ) -> None:
        self.out, self.err, self.stdin, self.settings = out, err, stdin, settings
        self.history = history
        self.history_failed = False

    def history_off(self, exc: HistoryUnavailable, what: str = "") -> None:
        """Says on stderr, in one line, that the history is off and why."""
        self.err.write(f"history is off: {exc}{what}\n")

    def record(self, diagnosis: Diagnosis) -> int | None:
        """Keep the case of a diagnosis in the history; its id, None when it could not (said on stderr)
        or there is no URL to record."""
        from affilka_core.history.store import record_diagnosis

        try:
            return record_diagnosis(self.history, diagnosis, source="cli", user=os_user())
        except HistoryUnavailable as exc:
            self.history_off(exc, "; the case was not recorded")
            return None

    def read_stdin(self) -> bytes:
        """Standard input, at most one byte past the cap on a report (`AFFILKA_MAX_REPORT_BYTES`): enough
        to tell it is too large, never all of an endless stream."""
        return self.stdin.read(self.settings.max_report_bytes + 1)

    def progress(self, template: str) -> Callable[[int, int], None]:
        """A callback writing `template` (with {done} and {total}) to stderr when it is a terminal."""

        def report(done: int, total: int) -> None:
            if self.err.isatty():
                self.err.write("\r" + template.format(done=done, total=total))
                if done == total:
                    self.err.write("\n")

        return report

    def waiting(self, seconds: float, reason: str, attempt: int, attempts: int) -> None:
        """Says on stderr, when it is a terminal, why the fetch is waiting (Affilka's 429, a 5xx)."""
        if self.err.isatty():
            from affilka_core.fetch.report import wait_message

            self.err.write("\r" + wait_message(seconds, reason, attempt, attempts) + "…\n")


def render_text(
    data: dict[str, Any], checks: Sequence[Check], *, with_data: bool, not_fetched: str | None = None
) -> str:
    """The human report for `check`: URL, checks by step, data (after a fetch; or why the URL was not
    fetched), verdict, suggestion."""
    lines = [f"Affilka URL check: {data['url']}", *format_checks(checks)]
    if not_fetched is not None:
        lines.append(f"\nNot fetched: {not_fetched} (see step 7). Nothing was sent to Affilka: fix the URL.")
    elif with_data:
        lines += format_summary(data.get("data"))
    lines += ["", verdict_line(checks)]
    if data["suggested_url"] and data["verdict"] == FIX:  # for "retry" the URL may well be fine
        lines += ["", "Suggested URL:", str(data["suggested_url"])]
    return "\n".join(lines)


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
        fix = f"{problem.title}: {row.first_fix()}" if problem else ""
        if row.diagnosis.verdict.retry:
            fix = f"{RETRY_HEADLINE} — {fix}"
        line = f"{_cell(name, name_w)}  {_cell(host, host_w)}  {steps}  {fix}"
        lines.append(redact(line, *row.diagnosis.secrets))
    from affilka_core.batch import tally

    counts = tally(rows)
    lines += [
        "",
        f"{plural(len(rows), 'URL')}: {counts[Status.PASS]} ready, "
        f"{counts[Status.WARN]} usable with warnings, {counts[Status.FAIL]} not usable yet"
        + (f", {counts[RETRY]} could not be verified now (try again later)." if counts[RETRY] else "."),
    ]
    return lines


def _cmd_check_batch(args: argparse.Namespace, io: _Io) -> int:
    from affilka_core.batch import check_batch, fetch_batch, line_count, parse_batch_text, too_many

    data = io.read_stdin()
    cap = io.settings.max_report_bytes
    if len(data) > cap:
        io.err.write(
            f"error: standard input holds more than {megabytes(cap)} (AFFILKA_MAX_REPORT_BYTES): give at "
            f"most {io.settings.max_batch_urls:,} URLs at a time.\n"
        )
        return EXIT_USAGE
    items = parse_batch_text(data.decode("utf-8-sig", errors="replace"), io.settings.max_batch_urls)
    refused = too_many(items, io.settings.max_batch_urls, lines=line_count(data))
    if refused:
        io.err.write(f"error: {refused}\n")
        return EXIT_USAGE
    if not items:
        io.err.write(
            "error: no URLs on standard input: give one report URL per line, optionally preceded by a "
            "name and a comma (e.g. 'Casino Alpha, https://…').\n"
        )
        return EXIT_USAGE
    if args.fetch:
        rows = fetch_batch(
            items,
            concurrency=args.concurrency,
            on_progress=io.progress("Fetched {done} of {total} reports"),
            settings=io.settings,
        )
    else:
        rows = check_batch(items, settings=io.settings)
    case_ids = [_record_row(io, row) for row in rows] if args.record else []
    if args.json:
        for row, case_id in zip(rows, case_ids or [None] * len(rows), strict=True):
            shown = row.to_dict(show_token=args.show_token)
            if args.record:
                shown["case_id"] = case_id
            io.out.write(json.dumps(shown, ensure_ascii=False) + "\n")
    else:
        io.out.write("\n".join(format_batch(rows)) + "\n")
    return batch_exit_code(rows)


def _record_row(io: _Io, row: BatchRow) -> int | None:
    """Record one line of `check - --record`; after the history failed once, the others are not tried
    (one line on stderr says so)."""
    if io.history_failed:
        return None
    case_id = io.record(row.diagnosis)
    io.history_failed = case_id is None and row.url is not None
    return case_id


def batch_exit_code(rows: Sequence[BatchRow]) -> int:
    """0 when no row fails, 75 when the failing rows could only not be verified now, else 1."""
    codes = {row.diagnosis.verdict.code for row in rows} - {USABLE}
    return exit_code(codes.pop()) if len(codes) == 1 else EXIT_FAIL if codes else EXIT_OK


def _cmd_list(args: argparse.Namespace, io: _Io) -> int:
    if args.json:
        io.out.write(json.dumps([entry.to_dict() for entry in CATALOGUE], ensure_ascii=False) + "\n")
        return EXIT_OK
    width = max(len(entry.id) for entry in CATALOGUE)
    lines = [f"{'id'.ljust(width)}  step  phase  detects"]
    lines += [
        f"{entry.id.ljust(width)}  {entry.step:>4}  {entry.phase:<5}  {entry.detects}" for entry in CATALOGUE
    ]
    io.out.write("\n".join(lines) + "\n")
    return EXIT_OK


def _cmd_check(args: argparse.Namespace, io: _Io) -> int:
    if args.list:
        return _cmd_list(args, io)
    if args.url == "-":
        if args.ticket:
            raise UsageError(
                "", "python -m affilka_core check: error: --ticket describes one URL; give it instead of -"
            )
        return _cmd_check_batch(args, io)
    if args.fetch:
        from affilka_core.diagnosis import diagnose_url

        diagnosis = diagnose_url(
            args.url,
            settings=io.settings,
            on_progress=io.progress("Fetched page {done} of {total}"),
            on_wait=io.waiting,
        )
    else:
        diagnosis = diagnose_text(args.url, settings=io.settings)
    case_id = io.record(diagnosis) if args.record else None
    if args.record and case_id is not None:
        io.err.write(f"Recorded as case {case_id} (python -m affilka_core history show {case_id}).\n")
    if args.ticket:
        from affilka_core.outputs.ticket import ticket_markdown

        result = diagnosis.url_result
        ticket = ticket_markdown(
            diagnosis.checks,
            url=diagnosis.url,
            summary=diagnosis.summary(),
            brand=args.brand,
            offer=args.offer,
            suggested_url=result.masked_suggested() if result else None,
            secrets=diagnosis.secrets,
        )
        io.out.write(ticket)
    elif args.json:
        shown = diagnosis.to_dict(show_token=args.show_token)
        if args.record:
            shown["case_id"] = case_id
        io.out.write(json.dumps(shown, ensure_ascii=False) + "\n")
    else:
        data = diagnosis.to_dict(show_token=args.show_token)
        text = render_text(data, diagnosis.checks, with_data=args.fetch, not_fetched=diagnosis.not_fetched)
        io.out.write((text if args.show_token else redact(text, *diagnosis.secrets)) + "\n")
    return exit_code(diagnosis.verdict.code)


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
    checks = _report_checks(diagnosis)
    out["verdict"] = verdict(checks).code
    out["checks"] = [c.to_dict() for c in checks]
    out["insights"] = diagnosis.insights_dicts()
    return out


def _report_checks(diagnosis: Diagnosis) -> list[Check]:
    """What `inspect` reports: fetch and data checks, and the URL's own verdict only if unreadable."""
    return [
        c
        for c in diagnosis.checks
        if c.id not in URL_CHECK_IDS or (c.id == CheckId.URL_PARSE and c.status == Status.FAIL)
    ]


def _cmd_inspect(args: argparse.Namespace, io: _Io) -> int:
    from affilka_core.diagnosis import diagnose_report, diagnose_url

    source: str = args.source
    rows, cap = io.settings.max_rows, io.settings.max_report_bytes
    if source == "-":
        diagnosis = diagnose_report(io.read_stdin(), max_rows=rows, max_bytes=cap)
    elif os.path.isfile(source):
        with open(source, "rb") as fh:
            # One byte past the cap is enough to refuse the file; the rest is never read.
            diagnosis = diagnose_report(fh.read(cap + 1), max_rows=rows, max_bytes=cap)
    elif os.path.exists(source):
        kind = "a directory" if os.path.isdir(source) else "a device, pipe or socket"
        io.err.write(
            f"error: not a regular file: {redact(source)[:200]} is {kind}. Give the saved report's JSON "
            "file, - for standard input, or the report's URL.\n"
        )
        return EXIT_USAGE
    elif "://" in source or source.startswith(("www.", "http")):
        diagnosis = diagnose_url(
            source,
            settings=io.settings,
            on_progress=io.progress("Fetched page {done} of {total}"),
            on_wait=io.waiting,
        )
    else:
        io.err.write(f"error: no such file: {redact(source)[:200]}\n")
        return EXIT_USAGE
    data = _inspect_shape(diagnosis)
    if args.json:
        io.out.write(json.dumps(scrub(data, *diagnosis.secrets), ensure_ascii=False) + "\n")
    else:
        checks = _report_checks(diagnosis)
        # Whatever the source looks like (a path, a URL with or without "://", percent-encoded), it is
        # user input that may hold a token.
        lines = ["Affilka report: " + source]
        lines += format_summary(diagnosis.summary()) + format_checks(checks) + ["", verdict_line(checks)]
        io.out.write(redact("\n".join(lines), *diagnosis.secrets) + "\n")
    return exit_code(data["verdict"])


HISTORY_LIMIT = 20


def format_cases(cases: Sequence[Case]) -> list[str]:
    """Human lines for recorded cases, newest first: id, time (UTC), verdict, source, user, host and what
    failed; where an Offer broke after working, what broke and since when."""
    from affilka_core.history.timeline import breaks, when

    by_offer: dict[str, list[Case]] = {}
    for case in reversed(cases):
        by_offer.setdefault(case.offer_key, []).append(case)
    broke = {b.case.id: b.line for timeline in by_offer.values() for b in breaks(timeline)}
    lines = ["id      at (UTC)          verdict  source  user                  host / what failed"]
    for case in cases:
        failed = case.failing[0].title if case.failing else ""
        lines.append(
            f"{case.id!s:<7} {when(case.at)}  {case.verdict:<7}  {case.source:<6}  {_cell(case.user, 20)}  "
            f"{case.host}" + (f" — {failed}" if failed else "")
        )
        if case.id in broke:
            lines.append(f"{'':<8}broke: {broke[case.id]}")
    return lines


def format_case(case: Case) -> list[str]:
    """Human lines for one case: who and when, the Offer and the URL (masked), the checklist by step, the
    data summary and the insights."""
    from affilka_core.history.timeline import when

    lines = [
        f"Case {case.id} · {when(case.at)} UTC · {case.source} · {case.user}",
        f"Host: {case.host}",
        f"Offer: {case.offer_key}",
        f"URL: {case.url}",
        f"Verdict: {case.verdict}",
    ]
    step = None
    for c in sorted(case.checks, key=lambda c: step_of(c.id)):
        if step_of(c.id) != step:
            step = step_of(c.id)
            lines.append(f"\nStep {step} · {STEP_BY_NUMBER[step].name}")
        # A case that could not be verified failed only for want of an answer: ⏳, not ❌.
        mark = RETRY_ICON if case.verdict == RETRY and c.status == Status.FAIL else icon(Status(c.status))
        lines.append(f"  {mark} {c.title}")
    if case.data is not None or any(c.id.startswith("fetch.") for c in case.checks):
        lines += format_summary(case.data)
    if case.insights:
        lines.append("\nWhat stands out")
        lines += [f"  • [{i.get('severity')}] {i.get('title')} — {i.get('detail')}" for i in case.insights]
    return lines


def _open_history(io: _Io) -> HistoryStore | None:
    from affilka_core.history.store import open_store

    try:
        return open_store(io.history)
    except HistoryUnavailable as exc:
        io.history_off(exc)
        return None


def _cmd_history(args: argparse.Namespace, io: _Io) -> int:
    store = _open_history(io)
    if store is None:
        return EXIT_FAIL
    try:
        if args.action == "purge":
            deleted = store.purge(args.older_than)
            io.out.write(f"Deleted {plural(deleted, 'case')} older than {plural(args.older_than, 'day')}.\n")
            return EXIT_OK
        if args.action == "show":
            case = store.get(args.case_id)
            if case is None:
                io.err.write(f"error: no case {args.case_id} in the history (never recorded, or purged)\n")
                return EXIT_FAIL
            shown = (
                json.dumps(case.to_dict(), ensure_ascii=False) if args.json else "\n".join(format_case(case))
            )
        else:
            cases = store.recent(host=args.host, offer=args.offer, limit=args.limit)
            if args.json:
                shown = json.dumps([c.to_dict() for c in cases], ensure_ascii=False)
            else:
                shown = "\n".join(format_cases(cases)) if cases else _no_case(args)
    except HistoryUnavailable as exc:
        io.history_off(exc)
        return EXIT_FAIL
    # Nothing recorded holds a token; masked once more all the same, as every output is.
    io.out.write(redact(shown) + "\n")
    return EXIT_OK


def _no_case(args: argparse.Namespace) -> str:
    """What `history` says when it lists no case: that none matches the filters given, or that none was
    recorded at all."""
    filters = [f"--{name} {value}" for name, value in (("host", args.host), ("offer", args.offer)) if value]
    if filters:
        return f"No case matches {' and '.join(filters)} (python -m affilka_core history lists them all)."
    return "No cases recorded yet."


_COMMANDS = {"check": _cmd_check, "inspect": _cmd_inspect, "history": _cmd_history}


def _readable(arg: str) -> str:
    """An argument with bytes that are not UTF-8 (which Python hands over as lone surrogates, and no
    UTF-8 output can print) replaced by U+FFFD, as `check -` reads standard input."""
    try:
        return arg.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate no byte stands for (only from a caller in-process)
        return arg.encode("utf-8", "replace").decode("utf-8")


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    *,
    stdin: IO[bytes] | None = None,
    err: TextIO | None = None,
    settings: FetchSettings | None = None,
    history: HistorySettings | None = None,
) -> int:
    """Run the CLI and return its exit code. `out`/`err` default to sys.stdout/sys.stderr, `stdin` (a
    binary stream, for `check -` and `inspect -`) to sys.stdin's bytes; `settings` are the fetch
    settings and `history` the history's (default: what the environment asks for, `from_env()`)."""
    try:
        settings = settings or FetchSettings.from_env()
        history = history or HistorySettings.from_env()
    except BadSetting as exc:  # said at start, before any work: the operator fixes the environment
        (err or sys.stderr).write(f"error: {exc}\n")
        return EXIT_USAGE
    io = _Io(
        out or sys.stdout,
        err or sys.stderr,
        stdin if stdin is not None else sys.stdin.buffer,
        settings,
        history,
    )
    try:
        args = build_parser().parse_args([_readable(arg) for arg in (sys.argv[1:] if argv is None else argv)])
        if args.command == "check" and args.list == (args.url is not None):
            raise UsageError(
                "",
                "python -m affilka_core check: error: give one report URL, - to read URLs from standard "
                "input, or --list (not both)",
            )
        return _COMMANDS[args.command](args, io)
    except UsageError as exc:
        io.err.write(f"{exc.usage}{exc}\n")
        return EXIT_USAGE
    except SystemExit as exc:  # --help
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    except Exception as exc:  # the promise is no traceback, whatever the input
        io.err.write(f"error: {redact(str(exc))}\n")
        return EXIT_FAIL
