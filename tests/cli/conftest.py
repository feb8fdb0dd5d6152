"""Shared fixtures for the command line: the CLI run in-process, and one mock Affilka per module."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from affilka_core import cli
from affilka_core.fetch.settings import FetchSettings
from affilka_mock.mock_server import MockAffilka
from tests.support import TOKEN

END = dt.date(2026, 4, 21)


@dataclass(frozen=True)
class CliRun:
    """What one CLI run left behind: its exit code and what it wrote."""

    code: int
    out: str
    err: str

    def json(self) -> dict:
        """stdout as one JSON object."""
        return json.loads(self.out)

    def json_lines(self) -> list[dict]:
        """stdout as one JSON object per line."""
        return [json.loads(line) for line in self.out.splitlines()]

    @property
    def printed(self) -> str:
        """stdout and stderr together, for "never printed" assertions."""
        return self.out + self.err


RunCli = Callable[..., CliRun]


@pytest.fixture
def run_cli() -> RunCli:
    """`run_cli(*args, stdin=b"", settings=None)`: `python -m affilka_core *args` in-process, as a
    `CliRun`; `settings` replaces the default fetch settings (quick retries for failure tests)."""

    def run(*args: str, stdin: bytes | str = b"", settings: FetchSettings | None = None) -> CliRun:
        out, err = io.StringIO(), io.StringIO()
        data = stdin.encode() if isinstance(stdin, str) else stdin
        code = cli.main(list(args), out, stdin=io.BytesIO(data), err=err, settings=settings)
        return CliRun(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture(scope="module")
def mock_affilka() -> Iterator[MockAffilka]:
    """A mock Affilka on loopback: one brand, 5 campaigns over 20 days (100 rows), 30 rows a page."""
    with MockAffilka(token=TOKEN, days=20, brands=1, campaigns=5, page_size=30, end_date=END) as mock:
        yield mock


@pytest.fixture
def server(mock_affilka: MockAffilka, monkeypatch: pytest.MonkeyPatch) -> MockAffilka:
    """The mock Affilka, with the fetcher allowed to reach it."""
    monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", mock_affilka.host_port)
    return mock_affilka
