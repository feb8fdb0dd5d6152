"""The mock Affilka in a process of its own, for the benchmarks whose figures must not include its work
(Affilka is another machine): its JSON encoding neither shares their interpreter nor counts in their
memory."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parent.parent
_SERVE = """
import json, sys, time
from affilka_mock.mock_server import MockAffilka
mock = MockAffilka(**json.loads(sys.argv[1]))
print(mock.report_url(), flush=True)
time.sleep(3600)
"""


@contextmanager
def mock_affilka(**options: Any) -> Iterator[str]:
    """A mock Affilka (`MockAffilka(**options)`, JSON-able options) serving in a process of its own; yields
    its report URL once it has built its rows, and stops it on leaving."""
    server = subprocess.Popen(
        [sys.executable, "-c", _SERVE, json.dumps(options)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        if not url:
            raise RuntimeError("the mock Affilka did not start")
        requests.get(url, timeout=120).raise_for_status()  # the mock builds its rows once, on first ask
        yield url
    finally:
        server.kill()
        server.wait()
