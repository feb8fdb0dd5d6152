"""Timing helpers shared by the benchmark groups."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import Any, TypeVar

_T = TypeVar("_T")


def timed(work: Callable[[], _T]) -> tuple[float, _T]:
    """Seconds `work()` takes (wall clock, `perf_counter`), and what it returned."""
    started = time.perf_counter()
    result = work()
    return time.perf_counter() - started, result


def best_of(work: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    """The fastest of `repeat` calls, and the last call's result.

    The previous result is dropped and the garbage collected *before* each timed call, so freeing a
    large result never lands in the next measurement. The collector is otherwise left as a caller finds
    it: that is how the code under test runs in the app.
    """
    best = float("inf")
    result: Any = None
    for _ in range(repeat):
        result = None
        gc.collect()
        seconds, result = timed(work)
        best = min(best, seconds)
    return best, result


def median(values: list[float]) -> float:
    return statistics.median(values)


def frame_mib(frame: Any) -> float:
    """A DataFrame's memory with every Python object counted (`deep=True`), in MiB (2**20 bytes)."""
    return float(frame.memory_usage(deep=True).sum()) / 2**20
