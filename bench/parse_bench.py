"""Parsing the 51,100-row benchmark report (one year × 2 brands × 70 campaigns, about 60 MB of JSON).

Measured, best of 3 each, in this one process:

- `json_loads_s`: the stdlib `json.loads` of the bytes, nothing more: the yardstick. The collector is
  left on, as it is when the app calls anything. `json_loads_nogc_s` is the same with the collector
  paused, as `parse_report` itself pauses it: the stricter yardstick (`parse_ratio_nogc`), shown so it is
  clear how much of the gain is the pause alone.
- `parse_s`: `affilka_core.report.frame.parse_report`, bytes to the typed DataFrame the pages use.
- `insights_s`: `affilka_core.analysis.insights.find_insights` on that frame (what Performance shows first).
- `naive_parse_s`: what one would write first: `json.loads`, one dict per row `{cell["name"]: value}`
  with money amounts made floats, `pandas.DataFrame(rows)`.

`parse_ratio` = parse / json.loads: below 1 means reading the report into a frame costs less than merely
decoding its JSON the usual way. Memory is `memory_usage(deep=True)` in MiB (2**20 bytes), the frame
the app keeps per report and per session.

Loading the same report saved as one file, as the Data page does with an upload:

- `load_file_s`: `affilka_core.load.load_file`, end to end: decode, frame, JSON preview, data checks.
  `load_file_ratio` = that ÷ `json_loads_s`.
- `load_peak_ratio`: the peak of memory allocated during that load (tracemalloc, in a separate run since
  tracing slows Python down) ÷ the body's size. The body itself is not counted: it exists before.
"""

from __future__ import annotations

import gc
import json
import tracemalloc
from typing import Any

import pandas as pd

from affilka_core.analysis.insights import find_insights
from affilka_core.load import load_file
from affilka_core.report.frame import parse_report
from affilka_mock.reports import benchmark_report

from .common import best_of, frame_mib


def naive_parse(raw: bytes) -> pd.DataFrame:
    """The row-by-row baseline: plain Python values, then pandas infers every column."""
    doc = json.loads(raw)
    rows = []
    for row in doc["rows"]["data"]:
        record: dict[str, Any] = {}
        for cell in row:
            value = cell["value"]
            if isinstance(value, dict) and "amount" in value:
                value = float(value["amount"])
            record[cell["name"]] = value
        rows.append(record)
    return pd.DataFrame(rows)


def peak_growth(work: Any) -> int:
    """Bytes allocated at the peak of `work()` beyond what was allocated before it (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        work()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


def run() -> dict[str, Any]:
    raw = benchmark_report()
    json_s, _ = best_of(lambda: json.loads(raw))
    gc.disable()
    try:
        json_nogc_s, _ = best_of(lambda: json.loads(raw))
    finally:
        gc.enable()
    parse_s, frame = best_of(lambda: parse_report(raw))
    naive_s, naive = best_of(lambda: naive_parse(raw))
    if len(frame) != len(naive):
        raise AssertionError(f"parse_report read {len(frame):,} rows, the naive parser {len(naive):,}")
    insights_s, findings = best_of(lambda: find_insights(frame))
    figures = {
        "report_mb": len(raw) / 2**20,
        "insights_s": insights_s,
        "insights_found": len(findings),
        "rows": len(frame),
        "json_loads_s": json_s,
        "parse_s": parse_s,
        "parse_ratio": parse_s / json_s,
        "json_loads_nogc_s": json_nogc_s,
        "parse_ratio_nogc": parse_s / json_nogc_s,
        "frame_mb": frame_mib(frame),
        "naive_parse_s": naive_s,
        "naive_parse_ratio": naive_s / json_s,
        "naive_frame_mb": frame_mib(naive),
    }
    frame = naive = None  # freed before the load is measured
    load_s, loaded = best_of(lambda: load_file(raw, "benchmark.json"))
    if len(loaded.frame) != figures["rows"] or not loaded.preview:
        raise AssertionError(f"load_file read {len(loaded.frame):,} rows, parse_report {figures['rows']:,}")
    loaded = None
    figures["load_file_s"] = load_s
    figures["load_file_ratio"] = load_s / json_s
    figures["load_peak_mb"] = peak_growth(lambda: load_file(raw, "benchmark.json")) / 2**20
    figures["load_peak_ratio"] = figures["load_peak_mb"] * 2**20 / len(raw)
    return figures
