"""Where the case history lives and how long it keeps cases, read from the environment at the edges
(the CLI's start, each run of the app), as `FetchSettings.from_env()` is.

`AFFILKA_HISTORY_URL`: a database URL (`sqlite:///…`, `postgresql://…`), `off` to switch the history
off; unset, the app's `[connections.history] url` secret, else a SQLite file under the working
directory. `AFFILKA_HISTORY_DAYS`: cases older than this many days are purged on start (0 keeps all).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from affilka_core.budgets import HISTORY_DAYS

HISTORY_URL_ENV = "AFFILKA_HISTORY_URL"
OFF = "off"
DEFAULT_DAYS = int(HISTORY_DAYS.default)
# Under the working directory, git-ignored; created on first use.
DEFAULT_PATH = Path(".affilka") / "history.sqlite3"

_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def shown_url(url: str) -> str:
    """A database URL as it may be shown or logged: its password hidden."""
    return _PASSWORD.sub(r"\1***@", url)


def default_url(cwd: Path | None = None) -> str:
    """The SQLite file under the working directory (absolute, so a later change of directory keeps it)."""
    return "sqlite:///" + str((cwd or Path.cwd()) / DEFAULT_PATH)


@dataclass(frozen=True, kw_only=True)
class HistorySettings:
    """Where the history lives (`url`, None when switched off) and how many days it keeps (`days`, 0:
    every case)."""

    url: str | None
    days: int = DEFAULT_DAYS

    def __repr__(self) -> str:
        shown = shown_url(self.url) if self.url else None
        return f"HistorySettings(url={shown!r}, days={self.days})"

    @property
    def on(self) -> bool:
        return self.url is not None

    @property
    def shown(self) -> str:
        """The URL as it may be shown (password hidden), or "off"."""
        return shown_url(self.url) if self.url else OFF

    @classmethod
    def from_env(
        cls, env: Mapping[str, str] | None = None, *, secret_url: str | None = None
    ) -> HistorySettings:
        """The settings the environment (`os.environ` unless `env`) asks for. `secret_url` is the app's
        `[connections.history] url` secret; the environment wins over it."""
        env = os.environ if env is None else env
        url = (env.get(HISTORY_URL_ENV) or "").strip() or (secret_url or "").strip() or default_url()
        days = int(HISTORY_DAYS.read(env))  # raises BadSetting, naming the variable, for a bad value
        return cls(url=None if url.lower() == OFF else url, days=days)
