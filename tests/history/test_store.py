"""affilka_core.history.store on a real SQLite file and a real PostgreSQL database: cases recorded, read,
filtered and purged; the schema created by Alembic on first use; parallel writers; and the faults that
must never stop a check (unreachable, read-only, not a database)."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import sqlite3
import sys
import threading
from pathlib import Path

import pytest

from affilka_core.diagnosis import diagnose_text
from affilka_core.errors import HistoryUnavailable
from affilka_core.history import migrate, schema
from affilka_core.history.settings import HistorySettings, default_url
from affilka_core.history.store import close_stores, make_engine, open_store, record_diagnosis
from tests.databases import UNREACHABLE_URL
from tests.history.conftest import NO_CAMPAIGN, OTHER_HOST, make_case
from tests.support import GUIDE_URL

NOV = dt.datetime(2026, 11, 3, 14, 2, tzinfo=dt.UTC)


def settings(url: str, days: int = 0) -> HistorySettings:
    return HistorySettings(url=url, days=days)


# --- recording and reading -----------------------------------------------------------------------


def test_a_case_comes_back_as_it_was_recorded(store):
    case = make_case(NO_CAMPAIGN, at=NOV)
    case_id = store.record(case)
    back = store.get(case_id)
    assert back.id == case_id
    assert back.to_dict() | {"id": None} == case.to_dict()


def test_a_fetched_case_keeps_its_data_summary_and_insights(store, fetched):
    diagnosis = fetched()
    case_id = record_diagnosis(settings(store_url(store)), diagnosis, source="app", user="ana")
    back = store.get(case_id)
    assert back.data == diagnosis.data and list(back.insights) == diagnosis.insights_dicts()


def store_url(store) -> str:
    return store.engine.url.render_as_string(hide_password=False)


def test_there_is_no_case_for_an_unknown_id(store):
    assert store.get(12345) is None


def test_recent_cases_come_newest_first(store):
    ids = [store.record(make_case(at=NOV + dt.timedelta(minutes=m))) for m in (5, 1, 9)]
    assert [c.id for c in store.recent()] == [ids[2], ids[0], ids[1]]
    assert [c.id for c in store.recent(limit=2)] == [ids[2], ids[0]]


def test_recent_cases_filter_by_host_offer_verdict_user_and_days(store):
    alpha = store.record(make_case(GUIDE_URL, at=NOV, user="ana"))
    broken = store.record(make_case(NO_CAMPAIGN, at=NOV + dt.timedelta(days=1), user="ben"))
    other = store.record(make_case(OTHER_HOST, at=NOV + dt.timedelta(days=2), user="ana"))
    offer = make_case(GUIDE_URL).offer_key
    assert [c.id for c in store.recent(host="starzpartners.com")] == [other]
    assert [c.id for c in store.recent(offer=offer)] == [alpha]
    assert [c.id for c in store.recent(verdicts=["fix"])] == [broken]
    assert [c.id for c in store.recent(user="ana")] == [other, alpha]
    day = (NOV + dt.timedelta(days=1)).date()
    assert [c.id for c in store.recent(since=day, until=day)] == [broken]


def test_an_offers_timeline_runs_oldest_first_across_date_ranges_and_tokens(store):
    first = store.record(make_case(GUIDE_URL, at=NOV))
    fresh = GUIDE_URL.replace("2026-04-01", "2026-10-01").replace("b7e3f1a2", "0000aaaa")
    second = store.record(make_case(fresh, at=NOV + dt.timedelta(hours=1)))
    store.record(make_case(OTHER_HOST, at=NOV + dt.timedelta(hours=2)))
    assert [c.id for c in store.timeline(make_case(GUIDE_URL).offer_key)] == [first, second]


def test_the_filters_offer_every_host_offer_and_user_seen(store):
    store.record(make_case(GUIDE_URL, user="ana"))
    store.record(make_case(OTHER_HOST, user="ben"))
    choices = store.choices()
    assert choices.hosts == ("primetime.partners", "starzpartners.com")
    assert [host for host, _ in choices.offers] == ["primetime.partners", "starzpartners.com"]
    assert choices.users == ("ana", "ben")


# --- retention -----------------------------------------------------------------------------------


def test_purge_deletes_only_the_cases_older_than_the_days(store):
    now = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    old = store.record(make_case(at=now - dt.timedelta(days=91)))
    kept = store.record(make_case(at=now - dt.timedelta(days=89)))
    assert store.purge(90, now=now) == 1
    assert store.get(old) is None and store.get(kept) is not None


def test_opening_the_history_purges_what_is_older_than_its_days(history_url):
    first = open_store(settings(history_url))
    old = first.record(make_case(at=dt.datetime.now(dt.UTC) - dt.timedelta(days=40)))
    recent = first.record(make_case())
    close_stores()
    reopened = open_store(settings(history_url, days=30))
    assert reopened.get(old) is None and reopened.get(recent) is not None


def test_a_purged_case_id_is_never_given_to_a_new_case(store):
    gone = store.record(make_case(at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
    store.purge(1)
    assert store.record(make_case()) > gone


# --- the schema ----------------------------------------------------------------------------------


def test_alembic_creates_the_schema_the_code_reads_on_first_use(history_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    open_store(settings(history_url))
    engine = make_engine(history_url)
    with engine.connect() as conn:
        assert migrate.current_revision(conn) == schema.HEAD
        differences = compare_metadata(MigrationContext.configure(conn), schema.metadata)
    engine.dispose()
    assert differences == []


def test_head_names_the_latest_migration():
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrate.MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == schema.HEAD


def test_an_up_to_date_history_is_opened_without_alembic(history_url, monkeypatch):
    open_store(settings(history_url)).record(make_case())
    close_stores()
    monkeypatch.setitem(sys.modules, "alembic", None)  # any import of it now fails
    assert len(open_store(settings(history_url)).recent()) == 1


def test_the_default_history_is_a_sqlite_file_under_the_working_directory_in_wal_mode(tmp_path):
    url = default_url(tmp_path)
    open_store(settings(url)).record(make_case())
    path = tmp_path / ".affilka" / "history.sqlite3"
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("SELECT count(*) FROM cases").fetchone()[0] == 1
    close_stores()


# --- parallel writers ----------------------------------------------------------------------------

WRITERS, EACH = 8, 3


def test_eight_threads_recording_at_once_lose_no_case(history_url):
    history = settings(history_url)
    ids: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def write() -> None:
        try:
            start.wait()
            for _ in range(EACH):
                ids.append(record_diagnosis(history, diagnose_text(GUIDE_URL), source="batch", user="worker"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(set(ids)) == WRITERS * EACH
    assert len(open_store(history).recent(limit=1000)) == WRITERS * EACH


def _write_in_a_process(url: str, each: int) -> None:
    """One writer process: opens the history itself (racing the others to migrate it) and records."""
    history = HistorySettings(url=url, days=0)
    for _ in range(each):
        record_diagnosis(history, diagnose_text(NO_CAMPAIGN), source="cli", user="worker")


def test_eight_processes_creating_and_writing_the_history_at_once_lose_no_case(history_url):
    # Forked: each process opens the brand-new database itself, so they also race to migrate it.
    context = multiprocessing.get_context("fork")
    processes = [
        context.Process(target=_write_in_a_process, args=(history_url, EACH)) for _ in range(WRITERS)
    ]
    for p in processes:
        p.start()
    for p in processes:
        p.join(timeout=120)
    assert [p.exitcode for p in processes] == [0] * WRITERS
    cases = open_store(settings(history_url)).recent(limit=1000)
    assert len(cases) == len({c.id for c in cases}) == WRITERS * EACH


# --- faults --------------------------------------------------------------------------------------


def test_an_unreachable_database_says_why_and_never_shows_its_password():
    with pytest.raises(HistoryUnavailable) as raised:
        open_store(settings(UNREACHABLE_URL))
    message = str(raised.value)
    assert "127.0.0.1:9" in message and "refused" in message.lower()
    assert "secret-password" not in message and "***" in message
    close_stores()


def test_a_database_that_failed_is_not_asked_again_until_the_pause_is_over(postgres_server):
    url = postgres_server.url("history_created_later")
    with pytest.raises(HistoryUnavailable, match="does not exist"):
        open_store(settings(url))
    postgres_server.admin("CREATE DATABASE history_created_later")
    try:
        with pytest.raises(HistoryUnavailable, match="does not exist"):
            open_store(settings(url))  # within the pause: the page does not wait on it again
        close_stores()  # the pause forgotten, as after PAUSE_AFTER_FAILURE_S
        assert open_store(settings(url)).recent() == []
    finally:
        close_stores()
        postgres_server.admin("DROP DATABASE history_created_later WITH (FORCE)")


def test_a_read_only_sqlite_history_can_be_read_but_says_why_it_cannot_record(sqlite_url):
    writable = open_store(settings(sqlite_url))
    case_id = writable.record(make_case())
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    read_only = open_store(settings(f"sqlite:///file:{path}?mode=ro&uri=true"))
    assert read_only.get(case_id) is not None
    with pytest.raises(HistoryUnavailable, match="read-only"):
        read_only.record(make_case())


def test_a_read_only_postgresql_history_can_be_read_but_says_why_it_cannot_record(postgres_url):
    writable = open_store(settings(postgres_url))
    case_id = writable.record(make_case())
    read_only = open_store(settings(postgres_url + "%20-c%20default_transaction_read_only%3Don"))
    assert read_only.get(case_id) is not None
    with pytest.raises(HistoryUnavailable, match="read-only"):
        read_only.record(make_case())


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("mysql://ana@db.example/history", "mysql"),
        ("not a url", "not a database URL"),
        ("sqlite:////proc/no-such-place/history.sqlite3", "cannot use"),
    ],
)
def test_a_url_the_history_cannot_use_says_why(url, says):
    with pytest.raises(HistoryUnavailable, match=says):
        open_store(settings(url))
    close_stores()


def test_a_history_switched_off_is_never_opened():
    with pytest.raises(HistoryUnavailable, match="off"):
        open_store(HistorySettings(url=None))


def test_an_id_the_id_column_cannot_hold_is_no_such_case(store):
    store.record(make_case())
    assert store.get(2**31) is None and store.get(2**63) is None and store.get(10**30) is None
    assert store.recent()  # the history is not paused by it
