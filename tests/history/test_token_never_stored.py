"""The history never holds the token: whatever URL is checked or fetched (tokens of every shape, in every
position and written form), the token is in none of the database's bytes and in no history output
(`check --record --json`, `history`, `history --json`, `history show`, a case's dict and repr).

The property records into one SQLite file for the module and reads the file itself; the PostgreSQL
examples read back every stored row as text."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from affilka_core import cli
from affilka_core.diagnosis import diagnose_text, diagnose_url
from affilka_core.history.case import case_of
from affilka_core.history.settings import HistorySettings
from affilka_core.history.store import close_stores, open_store, record_diagnosis
from affilka_mock.mock_server import MockAffilka
from tests.core.test_token_never_leaks import (
    PLACEMENTS,
    TEMPLATES,
    TOKENS,
    TRICKY_TOKEN,
    assert_hidden,
    inspect_source,
    place,
)
from tests.support import TOKEN, fast_settings


@pytest.fixture(scope="module")
def history_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One SQLite history for the whole property (a fixture per example would start from nothing)."""
    folder = tmp_path_factory.mktemp("history")
    yield folder
    close_stores()


def history_of(folder: Path) -> HistorySettings:
    return HistorySettings(url=f"sqlite:///{folder / 'history.sqlite3'}", days=0)


def database_bytes(folder: Path) -> str:
    """Every byte of the SQLite history (the file, its write-ahead log and shared memory), as text."""
    return "".join(path.read_bytes().decode("latin-1") for path in sorted(folder.iterdir()))


def run(history: HistorySettings, *argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    cli.main(list(argv), out, stdin=io.BytesIO(b""), err=err, settings=fast_settings(), history=history)
    return out.getvalue() + err.getvalue()


@given(token=TOKENS, placement=PLACEMENTS, fetch=st.booleans())
def test_whatever_is_checked_or_fetched_the_token_is_in_no_byte_of_the_history(
    history_dir, token, placement, fetch
):
    history = history_of(history_dir)
    # A fetch of loopback (or of a host that never resolves) is refused before any connection: a
    # fetched case, with the fetch's failure among its checks.
    text = inspect_source(placement, token) if fetch else place(placement, token)
    recorded = run(history, "check", text, "--record", "--json", *(["--fetch"] if fetch else []))
    case_id = json.loads(recorded.splitlines()[0]).get("case_id")
    outputs = {"check --record --json": recorded}
    if case_id is not None:  # text that is not a URL records nothing
        outputs |= {  # the newest case is this one
            "history": run(history, "history", "--limit", "1"),
            "history --json": run(history, "history", "--limit", "1", "--json"),
            "history show": run(history, "history", "show", str(case_id)),
            "history show --json": run(history, "history", "show", str(case_id), "--json"),
            "repr": repr(open_store(history).get(case_id)),
        }
    assert_hidden(token, database=database_bytes(history_dir), **outputs)


# --- fetched for real, on PostgreSQL too ---------------------------------------------------------


@pytest.fixture(scope="module")
def tricky_mock() -> Iterator[MockAffilka]:
    """A mock Affilka whose token is not hex, naming a campaign after the token (a report can quote it)."""
    with MockAffilka(token=TRICKY_TOKEN, days=5, brands=1, campaigns=2, page_size=10) as mock:
        yield mock


def stored_rows(url: str) -> str:
    """Every row of the history as the database returns it, as text."""
    import sqlalchemy as sa

    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT row_to_json(c)::text FROM cases c")).scalars().all()
    engine.dispose()
    return "\n".join(rows)


def test_checked_urls_stored_in_postgresql_hold_no_token(postgres_url):
    history = HistorySettings(url=postgres_url, days=0)
    recorded = [
        record_diagnosis(history, diagnose_text(place(placement, TRICKY_TOKEN)), source="cli", user="ana")
        for placement in sorted(TEMPLATES)
    ]
    assert sum(case_id is not None for case_id in recorded) >= len(TEMPLATES) - 2  # all but unreadable text
    assert_hidden(TRICKY_TOKEN, rows=stored_rows(postgres_url), history=run(history, "history", "--json"))


@pytest.mark.parametrize("token", [TRICKY_TOKEN, TOKEN])
def test_a_report_fetched_with_any_token_is_stored_without_it(history_url, tricky_mock, token):
    history = HistorySettings(url=history_url, days=0)
    diagnosis = diagnose_url(
        tricky_mock.report_url(token=token), settings=fast_settings(tricky_mock.host_port)
    )
    case_id = record_diagnosis(history, diagnosis, source="app", user="ana")
    stored = open_store(history).get(case_id)
    assert stored.data is not None or token != TRICKY_TOKEN  # the right token brought the data back
    texts = {"case": json.dumps(stored.to_dict()), "show": run(history, "history", "show", str(case_id))}
    if history_url.startswith("postgresql"):
        texts["rows"] = stored_rows(history_url)
    else:
        folder = Path(history_url.removeprefix("sqlite:///")).parent
        texts["database"] = database_bytes(folder)
    assert_hidden(token, **texts)
    assert case_of(diagnosis, source="app", user="ana").url == stored.url
