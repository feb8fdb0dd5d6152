"""Real databases for the history's tests: a SQLite file per test, and a throwaway PostgreSQL cluster
(one per test run, shared by its test processes, started from the server's own binaries) with a fresh
schema per test.

PostgreSQL refuses to run as root, which CI and this machine are: the cluster then runs as the
`postgres` user the server's package creates. Without PostgreSQL installed the tests that need it are
skipped, unless REQUIRE_POSTGRES=1 (CI sets it), where they fail instead.
"""

from __future__ import annotations

import fcntl
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

HISTORY_URL_ENV = "AFFILKA_HISTORY_URL"
PG_USER = "affilka"
SHARED_DATABASE = "history"  # one database per cluster; each test has its own schema in it
# A port nothing listens on: "the database is unreachable".
UNREACHABLE_URL = "postgresql://affilka:secret-password@127.0.0.1:9/history"


def _pg_bin() -> Path | None:
    """The newest PostgreSQL server's bin folder (Debian installs them per version)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    if found:
        return Path(found[-1]).parent
    pg_ctl = shutil.which("pg_ctl")
    return Path(pg_ctl).parent if pg_ctl else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class PostgresServer:
    """A running cluster on loopback that trusts local connections."""

    port: int

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{PG_USER}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str, database: str = SHARED_DATABASE) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE or SCHEMA)."""
        import psycopg

        with psycopg.connect(
            self.url(database if "DATABASE" not in sql else "postgres"), autocommit=True
        ) as conn:
            conn.execute(sql)


def _run(run_as: str | None, cwd: Path, *args: str) -> None:
    subprocess.run(args, check=True, capture_output=True, user=run_as, cwd=cwd, timeout=120)


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _start(base: Path, bin_dir: Path, run_as: str | None) -> int:
    """initdb into `base`, start the server on a free port; the port."""
    if run_as:
        shutil.chown(base, user=run_as)
    _run(run_as, base, str(bin_dir / "initdb"), "-D", str(base / "data"), "-U", PG_USER, "--auth=trust",
         "--no-sync", "-E", "UTF8", "--no-instructions", "--wal-segsize=1")  # fmt: skip
    port = _free_port()
    options = (
        f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        "-c full_page_writes=off -c max_connections=200"
    )
    _run(run_as, base, str(bin_dir / "pg_ctl"), "-D", str(base / "data"), "-l", str(base / "log"), "-o",
         options, "-w", "start")  # fmt: skip
    PostgresServer(port).admin(f"CREATE DATABASE {SHARED_DATABASE} STRATEGY = FILE_COPY")
    return port


def _stop(base: Path, bin_dir: Path, run_as: str | None) -> None:
    subprocess.run(
        [str(bin_dir / "pg_ctl"), "-D", str(base / "data"), "-m", "immediate", "-w", "stop"],
        capture_output=True, user=run_as, cwd=base, timeout=60, check=False,
    )  # fmt: skip
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server(testrun_uid: str) -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL cluster, started with fsync off (nothing here must outlive the tests). The
    test processes of one run share it: the first to need it starts it, the last to finish stops it and
    removes its folder (a count under a file lock says who is last)."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but no PostgreSQL server (pg_ctl) is installed")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    run_as = "postgres" if os.geteuid() == 0 else None  # initdb and the server refuse root
    tmp = Path(tempfile.gettempdir())
    base, users = tmp / f"affilka-pg-{testrun_uid}", tmp / f"affilka-pg-{testrun_uid}.users"
    lock = tmp / "affilka-pg.lock"  # one for every run: held only while a cluster starts or stops
    with _locked(lock):
        count = int(users.read_text()) if users.exists() else 0
        try:
            if count == 0:
                base.mkdir()
                (base.parent / f"{base.name}.port").write_text(str(_start(base, bin_dir, run_as)))
        except subprocess.CalledProcessError as exc:
            log = (base / "log").read_text(errors="replace") if (base / "log").exists() else ""
            _stop(base, bin_dir, run_as)
            pytest.fail(f"PostgreSQL did not start: {exc.stderr.decode(errors='replace')}\n{log[-2000:]}")
        users.write_text(str(count + 1))
        port = int((base.parent / f"{base.name}.port").read_text())
    try:
        yield PostgresServer(port)
    finally:
        with _locked(lock):
            count = int(users.read_text()) - 1
            users.write_text(str(count))
            if count == 0:
                _stop(base, bin_dir, run_as)
                for path in (users, base.parent / f"{base.name}.port"):
                    path.unlink(missing_ok=True)


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A fresh, empty schema on the throwaway cluster (its `search_path` set in the URL, as a deployment
    sharing a database would), dropped after the test: a schema costs far less than a database."""
    from affilka_core.history.store import close_stores

    name = "history_" + uuid.uuid4().hex[:12]
    postgres_server.admin(f"CREATE SCHEMA {name}")
    yield postgres_server.url(SHARED_DATABASE) + f"?options=-c%20search_path%3D{name}"
    close_stores()
    postgres_server.admin(f"DROP SCHEMA {name} CASCADE")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    """A SQLite file that does not exist yet, in a folder that does not either (as on a first start)."""
    from affilka_core.history.store import close_stores

    yield f"sqlite:///{tmp_path / 'history' / 'history.sqlite3'}"
    close_stores()


@pytest.fixture(params=["sqlite", "postgres"])
def history_url(request: pytest.FixtureRequest) -> str:
    """A history database of each kind the app uses: a SQLite file and a PostgreSQL database."""
    return request.getfixturevalue(f"{request.param}_url")


@pytest.fixture
def history_on(history_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The history switched on for the app and the CLI, in `history_url`."""
    monkeypatch.setenv(HISTORY_URL_ENV, history_url)
    return history_url


@pytest.fixture
def sqlite_history(sqlite_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The history switched on, in a SQLite file."""
    monkeypatch.setenv(HISTORY_URL_ENV, sqlite_url)
    return sqlite_url
