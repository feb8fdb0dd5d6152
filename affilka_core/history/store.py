"""The history's database: an engine over `AFFILKA_HISTORY_URL` (SQLite by default, PostgreSQL through
psycopg 3), and the cases recorded, read and purged there.

Whatever goes wrong here (unreachable, read-only, not a database URL) is a `HistoryUnavailable` saying
why; callers go on without the history. SQLite runs in WAL mode with a busy timeout, and each writer
takes the write lock when its transaction begins, so parallel writers (sessions, batch workers, CLI
processes) wait their turn instead of failing; PostgreSQL gives each record its own transaction.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from affilka_core.errors import HistoryUnavailable
from affilka_core.history.case import Case, CaseCheck, Source, case_of
from affilka_core.history.migrate import upgrade
from affilka_core.history.schema import cases
from affilka_core.history.settings import HISTORY_URL_ENV, OFF, HistorySettings, shown_url
from affilka_core.text import one_line
from affilka_core.url.masking import redact

if TYPE_CHECKING:
    from affilka_core.diagnosis import Diagnosis

# SQLite: how long a writer waits for another's lock before giving up, seconds.
BUSY_TIMEOUT_S = 30.0
# PostgreSQL: how long to wait for a connection, seconds (psycopg takes whole seconds, at least 2).
CONNECT_TIMEOUT_S = 5
# After the database could not be reached, it is not asked again for this long (seconds): a page or a
# batch does not wait on it at every turn.
PAUSE_AFTER_FAILURE_S = 30.0
# A write that still finds SQLite locked (the busy timeout passed) is tried this many times.
LOCKED_ATTEMPTS = 5
DEFAULT_LIMIT = 50
MAX_CHOICES = 500
_REASON_CHARS = 200


@dataclass(frozen=True, slots=True)
class Choices:
    """What the history's filters offer: the hosts, the Offers (with their host) and the users seen, and
    how many cases each Offer holds."""

    hosts: tuple[str, ...]
    offers: tuple[tuple[str, str], ...]
    users: tuple[str, ...]
    cases: Mapping[str, int] = field(default_factory=dict)  # Offer key → its cases


def _locked(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in text or "database is busy" in text


def _read_only(text: str) -> bool:
    text = text.lower()
    return "readonly" in text or "read-only" in text or "read only" in text


def _reason(exc: BaseException, shown: str) -> str:
    """Why the database cannot be used, in one line, its password hidden."""
    orig = getattr(exc, "orig", None) or exc
    said = one_line(str(orig)) or type(orig).__name__
    said = said if len(said) <= _REASON_CHARS else said[: _REASON_CHARS - 1] + "…"
    if _read_only(said):
        text = f"{shown} is read-only ({said})"
    elif isinstance(exc, sa.exc.ArgumentError | ValueError):
        text = f"{HISTORY_URL_ENV} is not a database URL ({said})"
    else:
        text = f"cannot use {shown} ({said})"
    return redact(shown_url(text))


def make_engine(url: str) -> sa.Engine:
    """An engine for a history URL: `sqlite:///PATH` (the file's folder created, WAL, busy timeout) or
    `postgresql://…` (psycopg 3). Raises `HistoryUnavailable` for anything else."""
    shown = shown_url(url)
    try:
        u = sa.make_url(url)
    except (sa.exc.ArgumentError, ValueError) as exc:
        raise HistoryUnavailable(_reason(exc, shown)) from None
    if u.drivername in ("postgresql", "postgres", "postgresql+psycopg"):
        return sa.create_engine(
            u.set(drivername="postgresql+psycopg"),
            pool_pre_ping=True,
            connect_args={"connect_timeout": CONNECT_TIMEOUT_S},
        )
    if u.drivername in ("sqlite", "sqlite+pysqlite"):
        return _sqlite_engine(u, shown)
    raise HistoryUnavailable(
        f"{HISTORY_URL_ENV} names {u.drivername}, which the history does not use: give sqlite:///PATH, "
        f"postgresql://… or {OFF}"
    )


def _sqlite_engine(u: sa.URL, shown: str) -> sa.Engine:
    path = u.database or ""
    if path and path != ":memory:" and not u.query.get("uri"):
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HistoryUnavailable(_reason(exc, shown)) from None
    engine = sa.create_engine(u, connect_args={"timeout": BUSY_TIMEOUT_S})

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Transactions are begun below, not by the driver, so a writer takes the lock when it begins.
        dbapi_conn.isolation_level = None
        for pragma in ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL"):
            # A read-only database keeps its mode; reading it still works.
            with suppress(sqlite3.OperationalError):
                dbapi_conn.execute(pragma)

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # IMMEDIATE: a writer waits (busy timeout) for the write lock up front, instead of failing when
        # its read lock cannot be upgraded.
        write = conn.get_execution_options().get("affilka_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _row(case: Case) -> dict[str, Any]:
    return {
        "at": case.at.astimezone(dt.UTC).replace(tzinfo=None),
        "source": case.source,
        "user_name": case.user,
        "host": case.host,
        "offer_key": case.offer_key,
        "url": case.url,
        "verdict": case.verdict,
        "checks": [c.to_dict() for c in case.checks],
        "data": case.data,
        "insights": list(case.insights),
    }


def _case(row: sa.Row[Any]) -> Case:
    return Case(
        id=row.id,
        at=row.at.replace(tzinfo=dt.UTC),
        source=row.source,
        user=row.user_name,
        host=row.host,
        offer_key=row.offer_key,
        url=row.url,
        verdict=row.verdict,
        checks=tuple(CaseCheck(c["id"], c["status"], c["title"]) for c in row.checks),
        data=row.data,
        insights=tuple(row.insights or ()),
    )


class HistoryStore:
    """The cases of one history database. Thread-safe: one store serves every session of a process."""

    def __init__(self, engine: sa.Engine, shown: str) -> None:
        self.engine = engine
        self.shown = shown
        self._paused_until = 0.0
        self._paused_why = ""

    def __repr__(self) -> str:
        return f"HistoryStore({self.shown!r})"

    @classmethod
    def open(cls, url: str) -> HistoryStore:
        """The store at `url`, its schema created or upgraded (Alembic) when it lags."""
        store = cls(make_engine(url), shown_url(url))
        with store._failures():
            upgrade(store.engine)
        return store

    @contextmanager
    def _failures(self) -> Iterator[None]:
        """Database errors as `HistoryUnavailable`; after one that is not a lock or a read-only
        database, the database is left alone for `PAUSE_AFTER_FAILURE_S`."""
        if time.monotonic() < self._paused_until:
            raise HistoryUnavailable(self._paused_why)
        try:
            yield
        except (sa.exc.SQLAlchemyError, OSError) as exc:
            why = _reason(exc, self.shown)
            if not _locked(exc) and not _read_only(why):
                self._paused_until, self._paused_why = time.monotonic() + PAUSE_AFTER_FAILURE_S, why
            raise HistoryUnavailable(why) from None

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[sa.Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(affilka_write=write)
            with conn.begin():
                yield conn

    def record(self, case: Case) -> int:
        """Store a case; its id."""
        values = _row(case)
        with self._failures():
            for attempt in range(1, LOCKED_ATTEMPTS + 1):
                try:
                    with self._transaction(write=True) as conn:
                        key = conn.execute(sa.insert(cases).values(values)).inserted_primary_key
                    if key is None or key[0] is None:
                        raise HistoryUnavailable(f"{self.shown} gave the case no id")
                    return int(key[0])
                except sa.exc.OperationalError as exc:
                    if attempt == LOCKED_ATTEMPTS or not _locked(exc):
                        raise
                    time.sleep(0.05 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, case_id: int) -> Case | None:
        """One case, None when there is no such id (a number the id column cannot hold included)."""
        if not 1 <= case_id <= self.max_id:
            return None
        with self._failures(), self._transaction(write=False) as conn:
            row = conn.execute(sa.select(cases).where(cases.c.id == case_id)).first()
        return _case(row) if row is not None else None

    @property
    def max_id(self) -> int:
        """The highest id the database's id column holds: PostgreSQL's INTEGER is 32 bits, SQLite's 64."""
        return 2**31 - 1 if self.engine.dialect.name == "postgresql" else 2**63 - 1

    def recent(
        self,
        *,
        host: str | None = None,
        offer: str | None = None,
        verdicts: Sequence[str] = (),
        user: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        limit: int = DEFAULT_LIMIT,
    ) -> list[Case]:
        """The newest cases first, filtered by host, Offer (its key), verdicts, user and days (UTC,
        inclusive)."""
        query = sa.select(cases)
        if host:
            query = query.where(cases.c.host == host)
        if offer:
            query = query.where(cases.c.offer_key == offer)
        if verdicts:
            query = query.where(cases.c.verdict.in_(list(verdicts)))
        if user:
            query = query.where(cases.c.user_name == user)
        if since:
            query = query.where(cases.c.at >= dt.datetime.combine(since, dt.time.min))
        if until:
            query = query.where(cases.c.at < dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min))
        query = query.order_by(cases.c.at.desc(), cases.c.id.desc()).limit(max(limit, 0))
        with self._failures(), self._transaction(write=False) as conn:
            return [_case(row) for row in conn.execute(query)]

    def timeline(self, offer_key: str, limit: int = 200) -> list[Case]:
        """An Offer's latest cases, oldest first."""
        return self.recent(offer=offer_key, limit=limit)[::-1]

    def choices(self) -> Choices:
        """The hosts, Offers and users the filters offer, sorted."""
        c = cases.c
        with self._failures(), self._transaction(write=False) as conn:
            hosts = conn.execute(sa.select(c.host).distinct().order_by(c.host).limit(MAX_CHOICES))
            offers = conn.execute(
                sa.select(c.host, c.offer_key, sa.func.count())
                .group_by(c.host, c.offer_key)
                .order_by(c.host, c.offer_key)
                .limit(MAX_CHOICES)
            ).all()
            users = conn.execute(sa.select(c.user_name).distinct().order_by(c.user_name).limit(MAX_CHOICES))
            return Choices(
                hosts=tuple(r[0] for r in hosts),
                offers=tuple((r[0], r[1]) for r in offers),
                users=tuple(r[0] for r in users),
                cases={r[1]: int(r[2]) for r in offers},
            )

    def purge(self, older_than_days: int, *, now: dt.datetime | None = None) -> int:
        """Delete the cases older than this many days; how many were deleted."""
        now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(tzinfo=None)
        cutoff = now - dt.timedelta(days=older_than_days)
        with self._failures(), self._transaction(write=True) as conn:
            return conn.execute(sa.delete(cases).where(cases.c.at < cutoff)).rowcount

    def close(self) -> None:
        """Close its connections."""
        self.engine.dispose()


# One store per database and process: every session and batch worker shares its connection pool.
_LOCK = threading.Lock()
_OPEN: dict[tuple[int, str], HistoryStore] = {}
_FAILED: dict[tuple[int, str], tuple[float, str]] = {}


def open_store(settings: HistorySettings) -> HistoryStore:
    """The process's store for the settings' URL. On first use the schema is migrated and cases older
    than `settings.days` are purged. Raises `HistoryUnavailable` when the history is off or the
    database cannot be used (then, for `PAUSE_AFTER_FAILURE_S`, without asking it again)."""
    if settings.url is None:
        raise HistoryUnavailable(f"{HISTORY_URL_ENV} is {OFF}")
    key = (os.getpid(), settings.url)  # a forked process opens its own connections
    with _LOCK:
        store = _OPEN.get(key)
        if store is not None:
            return store
        failed = _FAILED.get(key)
        if failed is not None and time.monotonic() < failed[0]:
            raise HistoryUnavailable(failed[1])
        try:
            store = HistoryStore.open(settings.url)
        except HistoryUnavailable as exc:
            _FAILED[key] = (time.monotonic() + PAUSE_AFTER_FAILURE_S, str(exc))
            raise
        if settings.days:
            with suppress(HistoryUnavailable):  # a read-only history can still be read
                store.purge(settings.days)
        _OPEN[key] = store
        return store


def close_stores() -> None:
    """Close every store this process opened and forget past failures (the next use opens anew)."""
    with _LOCK:
        for key, store in list(_OPEN.items()):
            if key[0] == os.getpid():
                store.close()
        _OPEN.clear()
        _FAILED.clear()


def record_diagnosis(
    settings: HistorySettings, diagnosis: Diagnosis, *, source: Source, user: str
) -> int | None:
    """Record the case of a diagnosis of a URL; its id, None when there is nothing to record (no URL).
    Raises `HistoryUnavailable` when the history cannot take it."""
    case = case_of(diagnosis, source=source, user=user)
    if case is None:
        return None
    return open_store(settings).record(case)
