"""Run the speed benchmarks, print measured figures against their goals, write `bench/latest.json`.

    make bench                      # everything; what CI and the README quote
    python -m bench.run             # the same
    python -m bench.run parse url   # some groups only: printed, latest.json left alone

A missed goal is a ❌ in the table, not a failure: the exit code is 0. A benchmark that crashes exits 1
(and leaves latest.json as it was), since then nothing was measured. Sizes are MiB (2**20 bytes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import math
import operator
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if __package__ in (None, ""):  # `python bench/run.py`: make the project importable
    sys.path.insert(0, str(HERE.parent))

OUTPUT = HERE / "latest.json"
# Cheap groups first, so a crash in a slow one still leaves something printed.
GROUPS: dict[str, str] = {
    "cli": "bench.cli_bench",
    "url": "bench.url_bench",
    "fetch": "bench.fetch_bench",
    "stream": "bench.stream_bench",
    "parse": "bench.parse_bench",
    "app": "bench.app_bench",
    "session": "bench.session_bench",
}


@dataclass(frozen=True)
class Goal:
    group: str
    key: str
    what: str
    op: str  # "<=" or ">="
    target: float
    fmt: str

    def met(self, value: float) -> bool:
        compare: Callable[[float, float], bool] = operator.le if self.op == "<=" else operator.ge
        return compare(value, self.target)

    def show(self, value: float) -> str:
        return self.fmt.format(value)


GOALS = (
    Goal("parse", "parse_ratio", "parse_report ÷ json.loads, 51,100-row report", "<=", 1.0, "{:.2f}"),
    Goal("parse", "frame_mb", "that report's DataFrame, MiB (deep)", "<=", 8, "{:.2f}"),
    Goal("parse", "load_file_ratio", "load_file of that report (one file) ÷ json.loads", "<=", 1.0, "{:.2f}"),
    Goal("parse", "load_peak_ratio", "peak memory growth of that load ÷ body size", "<=", 4, "{:.2f}"),
    Goal("cli", "cli_check_s", "python -m affilka_core check URL --json, s (best of 5)", "<=", 0.3, "{:.3f}"),
    Goal("app", "chart_payload_bytes", "Performance page Plotly JSON, bytes", "<=", 1_500_000, "{:,.0f}"),
    Goal("app", "rerun_to_cold_ratio", "Performance rerun ÷ cold fetch + first render", "<=", 0.25, "{:.3f}"),
    Goal("parse", "insights_s", "find_insights on that report's frame, s (best of 3)", "<=", 0.3, "{:.3f}"),
    Goal("fetch", "fetch_parallel_ratio", "10 pages at 100 ms: concurrency 4 ÷ 1", "<=", 0.45, "{:.4f}"),
    Goal(
        "stream",
        "fetch_to_frame_ratio",
        "11 pages at 1 s: fetch to frame ÷ receive alone",
        "<=",
        1.15,
        "{:.3f}",
    ),
    Goal("url", "url_checks_per_s", "check_url calls per second, 1,000 URLs", ">=", 1000, "{:,.0f}"),
    Goal("session", "session_mb", "server RSS growth per browser session (2-10), MiB", "<=", 15, "{:.1f}"),
)

# Supporting figures: (group, key, label, format). Printed under the goals and kept in the JSON.
DETAILS = (
    ("parse", "report_mb", "benchmark report size, MiB", "{:.1f}"),
    ("parse", "json_loads_s", "json.loads, s", "{:.3f}"),
    ("parse", "json_loads_nogc_s", "json.loads with the collector paused, s", "{:.3f}"),
    ("parse", "parse_s", "parse_report, s", "{:.3f}"),
    ("parse", "parse_ratio_nogc", "parse_report ÷ json.loads (collector paused)", "{:.2f}"),
    ("parse", "naive_parse_s", "naive row-by-row parse, s", "{:.3f}"),
    ("parse", "naive_parse_ratio", "naive parse ÷ json.loads", "{:.2f}"),
    ("parse", "naive_frame_mb", "naive DataFrame, MiB (deep)", "{:.2f}"),
    ("parse", "load_file_s", "load_file (decode, frame, preview, data checks), s", "{:.3f}"),
    ("parse", "load_peak_mb", "peak memory growth during load_file, MiB", "{:.1f}"),
    ("app", "cold_fetch_s", "Fetch report click (11 pages, parse, checks), s", "{:.3f}"),
    ("app", "cold_render_s", "first Performance render, s", "{:.3f}"),
    ("app", "cold_s", "cold total, s", "{:.3f}"),
    ("app", "rerun_s", "rerun after a widget change (median of 4), s", "{:.3f}"),
    ("app", "rerun_max_s", "slowest of those reruns, s", "{:.3f}"),
    ("app", "chart_payload_parts", "chart JSON per chart (daily, campaigns, heatmap, funnel)", "{}"),
    ("fetch", "fetch_serial_s", "10 pages, concurrency 1, s", "{:.3f}"),
    ("fetch", "fetch_parallel_s", "10 pages, concurrency 4, s", "{:.3f}"),
    ("fetch", "fetch_parallel_ideal_ratio", "ideal ratio: page 1, then 4 at a time", "{:.3f}"),
    ("stream", "fetch_receive_s", "11 pages at 1 s, received with no parsing, s", "{:.3f}"),
    ("stream", "fetch_to_frame_s", "11 pages at 1 s, load_live to the frame ready, s", "{:.3f}"),
    ("session", "session_first_mb", "server RSS after the first session, MiB", "{:.0f}"),
    ("session", "session_rss_mb", "server RSS after each session, MiB", "{}"),
    ("url", "url_checks_s", "1,000 check_url calls, s", "{:.3f}"),
    ("url", "url_failing_share", "share of those URLs with a failing check", "{:.0%}"),
    ("url", "url_check_slowest_ms", "slowest single call, ms", "{:.2f}"),
    ("url", "url_check_slowest_kind", "its variant", "{}"),
)


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import msgspec
    import numpy
    import pandas
    import plotly
    import streamlit

    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(line.split(":", 1)[1].strip() for line in info if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {
        "platform": platform.platform(),
        "cpu": cpu,
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "pandas": pandas.__version__,
        "streamlit": streamlit.__version__,
        "plotly": plotly.__version__,
        "numpy": numpy.__version__,
        "msgspec": msgspec.__version__,
    }


def _tidy(value: Any) -> Any:
    """Four significant digits keep latest.json small and its diffs readable."""
    if isinstance(value, float) and math.isfinite(value):
        return float(f"{value:.4g}")
    if isinstance(value, list):
        return [_tidy(v) for v in value]
    if isinstance(value, dict):
        return {k: _tidy(v) for k, v in value.items()}
    return value


def run_groups(names: Sequence[str]) -> tuple[dict[str, Any], dict[str, float], dict[str, str]]:
    """Run each group; a crash is recorded (traceback on stderr) and the others still run."""
    figures: dict[str, Any] = {}
    seconds: dict[str, float] = {}
    errors: dict[str, str] = {}
    for name in names:
        print(f"running {name} …", flush=True)
        started = time.perf_counter()
        try:
            figures.update(importlib.import_module(GROUPS[name]).run())
        except Exception as exc:
            traceback.print_exc()
            errors[name] = f"{type(exc).__name__}: {exc}"
        seconds[name] = time.perf_counter() - started
    return figures, seconds, errors


def table(figures: dict[str, Any], names: Sequence[str]) -> str:
    """The goals (measured, goal, ✅/❌) and the supporting figures, as plain text."""
    lines = []
    key_w, what_w = max(len(g.key) for g in GOALS), max(len(g.what) for g in GOALS)
    lines.append(f"{'key':<{key_w}}  {'what':<{what_w}}  {'measured':>12}  {'goal':>12}")
    lines.append("-" * (key_w + what_w + 34))
    missed = ran = crashed = 0
    for goal in GOALS:
        target = f"{goal.op} {goal.show(goal.target)}"
        if goal.group not in names:
            lines.append(f"{goal.key:<{key_w}}  {goal.what:<{what_w}}  {'(not run)':>12}  {target:>12}")
            continue
        ran += 1
        value = figures.get(goal.key)
        ok = value is not None and goal.met(value)
        missed += value is not None and not ok
        crashed += value is None
        shown = "crashed" if value is None else goal.show(value)
        mark = "✅" if ok else "❌"
        lines.append(f"{goal.key:<{key_w}}  {goal.what:<{what_w}}  {shown:>12}  {target:>12}  {mark}")
    lines.append("")
    summary = f"{ran - missed - crashed} of {ran} goals met"
    if missed:
        summary += f", {missed} missed (a finding, not a failure: the exit code stays 0)"
    if crashed:
        summary += f", {crashed} not measured because a benchmark crashed (exit code 1)"
    lines.append(summary + ".")
    details = [(f"[{g}] {label}", fmt.format(figures[k])) for g, k, label, fmt in DETAILS if k in figures]
    if details:
        lines.append("")
        width = max(len(label) for label, _ in details)
        lines += [f"{label:<{width}}  {value}" for label, value in details]
    return "\n".join(lines)


def write(path: Path, document: dict[str, Any]) -> None:
    """Write atomically: an interrupted run never leaves half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", help=f"groups to run: {', '.join(GROUPS)} (default: all)")
    args = parser.parse_args(argv)
    unknown = [n for n in args.groups if n not in GROUPS]
    if unknown:
        parser.error(f"unknown group(s) {', '.join(unknown)}; choose from {', '.join(GROUPS)}")
    names = [n for n in GROUPS if n in args.groups] if args.groups else list(GROUPS)

    started = time.perf_counter()
    env = machine()
    print(
        f"Machine: {env['platform']} · {env['cpu']} · {env['cpu_count']} CPUs · Python {env['python']} · "
        f"pandas {env['pandas']} · streamlit {env['streamlit']}",
        flush=True,
    )
    figures, seconds, errors = run_groups(names)
    total_s = time.perf_counter() - started
    print()
    print(table(figures, names))
    print(f"\nTotal {total_s:.0f} s ({', '.join(f'{n} {s:.0f} s' for n, s in seconds.items())}).")

    if errors:
        for name, error in errors.items():
            print(f"CRASHED: {name}: {error}", file=sys.stderr)
        print(f"{OUTPUT.name} not written: a benchmark crashed.", file=sys.stderr)
        return 1
    if names != list(GROUPS):
        print(f"{OUTPUT.name} not written: only some groups ran.")
        return 0
    document: dict[str, Any] = {
        "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        **env,
        "units": "*_s seconds; *_mb MiB (2**20 bytes); *_bytes bytes; ratios are time ÷ time",
        "total_s": total_s,
        "group_s": seconds,
        "goals": {g.key: {"goal": f"{g.op} {g.target}", "met": g.met(figures[g.key])} for g in GOALS},
        **figures,
    }
    write(OUTPUT, _tidy(document))
    print(f"Wrote {OUTPUT.relative_to(HERE.parent)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
