"""The case history in the app: where it lives this run (the environment, else the `[connections.history]
url` secret), who is checking (`st.user` when the deployment configures login), recording a check or a
fetch, and the small note saying which case it became or why it was not saved."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass

import streamlit as st

from affilka_core.batch import BatchRow
from affilka_core.diagnosis import Diagnosis
from affilka_core.errors import HistoryUnavailable
from affilka_core.history.case import ANONYMOUS, Source
from affilka_core.history.settings import HistorySettings
from affilka_core.outputs.markdown import md
from affilka_core.text import plural

from .routes import HISTORY as HISTORY_PAGE
from .session import BATCH_RECORDED, HISTORY, HISTORY_NOTE


def secret_url() -> str | None:
    """`[connections.history] url` from `.streamlit/secrets.toml`, as Streamlit users configure a
    connection; None without a secrets file or that entry."""
    try:
        if not st.secrets.load_if_toml_exists():
            return None
        url = st.secrets.get("connections", {}).get("history", {}).get("url")
    except Exception:  # a secrets file that cannot be read: the history falls back to its default
        return None
    return str(url) if url else None


def history_settings() -> HistorySettings:
    """Where the history lives, as this run read it (see app.py)."""
    found = st.session_state.get(HISTORY)
    return found if isinstance(found, HistorySettings) else HistorySettings.from_env(secret_url=secret_url())


def start_history() -> HistorySettings:
    """This run's history settings, kept for the pages. A new session opens the history once, so its
    schema is brought up to date and old cases purged on start; trouble is said when a check is
    recorded or the History page opened, never here."""
    settings = HistorySettings.from_env(secret_url=secret_url())
    first_run = HISTORY not in st.session_state
    st.session_state[HISTORY] = settings
    if first_run and settings.on:
        from affilka_core.history.store import open_store

        with contextlib.suppress(HistoryUnavailable):
            open_store(settings)
    return settings


def current_user() -> str:
    """Who is checking: the signed-in e-mail address when the deployment configures `st.login`,
    otherwise "anonymous"."""
    try:
        if st.user.is_logged_in:
            return str(st.user.email or ANONYMOUS)
    except (AttributeError, KeyError):
        pass
    return ANONYMOUS


@dataclass(frozen=True)
class Note:
    """What the last recording said, shown once: the case it became, how many Batch check rows were
    kept, or why the history could not keep them."""

    case_id: int | None = None
    kept: int = 0
    problem: str | None = None
    what: str = "checked line"


def _keep(diagnosis: Diagnosis, source: Source) -> int | None:
    from affilka_core.history.store import record_diagnosis

    return record_diagnosis(history_settings(), diagnosis, source=source, user=current_user())


def record(diagnosis: Diagnosis, source: Source = "app") -> int | None:
    """Keep the case of a check or a fetch of a URL; its id. None when the history is off, there is no
    URL (nothing is recorded then), or the history could not take it (the note says why)."""
    if not history_settings().on:
        return None
    try:
        case_id = _keep(diagnosis, source)
    except HistoryUnavailable as exc:
        st.session_state[HISTORY_NOTE] = Note(problem=str(exc))
        return None
    if case_id is not None:
        st.session_state[HISTORY_NOTE] = Note(case_id=case_id)
    return case_id


def record_rows(rows: Iterable[BatchRow], what: str = "checked line") -> list[BatchRow]:
    """Keep a case per Batch check row with a URL (source "batch"); the rows kept. After a failure the
    rest are not tried (the note says why). The note counts them as `what` ("checked line", "fetched
    report"), so a fetch after the check says its own cases."""
    kept: list[BatchRow] = []
    problem = None
    if history_settings().on:
        # The same URL listed twice was fetched once: one case.
        for row in {row.item.text: row for row in rows}.values():
            try:
                if _keep(row.diagnosis, "batch") is not None:
                    kept.append(row)
            except HistoryUnavailable as exc:
                problem = str(exc)
                break
    if kept or problem:
        st.session_state[HISTORY_NOTE] = Note(kept=len(kept), problem=problem, what=what)
    return kept


def record_new_lines(rows: Iterable[BatchRow]) -> None:
    """Keep a case for each Batch check line checked for the first time this session: editing the list or
    changing a toggle records no line twice."""
    seen: set[str] = st.session_state.setdefault(BATCH_RECORDED, set())
    new = [row for row in rows if row.item.text not in seen and row.url is not None]
    if new:
        seen.update(row.item.text for row in record_rows(new))


def history_note() -> None:
    """Once, after a check or a fetch was recorded: the case it became (a link to it), how many rows were
    kept, or why the history could not keep them."""
    note = st.session_state.pop(HISTORY_NOTE, None)
    if not isinstance(note, Note):
        return
    if note.case_id is not None:
        st.page_link(
            HISTORY_PAGE,
            label=md("Saved to the history as case {}", note.case_id),
            icon="🗄️",
            query_params={"case": str(note.case_id)},
        )
    elif note.kept:
        st.page_link(
            HISTORY_PAGE,
            label=md(
                "{} saved to the history{}",
                plural(note.kept, note.what),
                ", a case each" if note.kept > 1 else "",
            ),
            icon="🗄️",
        )
    if note.problem:
        st.caption(md("🗄️ Not saved to the history: {}", note.problem))
