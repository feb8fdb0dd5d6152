"""A batch fetch reports each offer as it finishes, so the page's counters move while it runs, and keeps
the parsed rows of its reports up to a budget, so an offer opened from it carries its report."""

from __future__ import annotations

import datetime as dt
import threading

from affilka_core import batch, budgets
from affilka_mock.mock_server import MockAffilka
from tests.support import TOKEN, fast_settings


def test_each_row_is_reported_in_the_calling_thread_as_it_finishes():
    with MockAffilka(token=TOKEN, days=5, campaigns=2, end_date=dt.date(2026, 4, 21)) as server:
        text = "\n".join(
            f"offer {i}, {server.report_url(date_to=dt.date(2026, 4, 17 + i))}" for i in range(4)
        )
        seen: list[tuple[str, int, int]] = []
        progress: list[int] = []
        rows = batch.fetch_batch(
            batch.parse_batch_text(text),
            settings=fast_settings(server.host_port),
            on_progress=lambda done, total: progress.append(done),
            on_row=lambda row: seen.append((row.name, len(progress), threading.get_ident())),
        )
    assert sorted(name for name, _, _ in seen) == [r.name for r in rows]
    assert [done for _, done, _ in seen] == [1, 2, 3, 4]  # one row per finished URL, in step with progress
    assert {thread for _, _, thread in seen} == {threading.get_ident()}


def test_reports_are_kept_within_the_budget_and_only_their_checks_beyond_it():
    with MockAffilka(token=TOKEN, days=5, campaigns=2, end_date=dt.date(2026, 4, 21)) as server:
        items = batch.parse_batch_text(
            f"{server.report_url()}\n{server.report_url(date_to=dt.date(2026, 4, 20))}"
        )
        settings = fast_settings(server.host_port)
        kept = batch.fetch_batch(items, settings=settings, keep_bytes=budgets.BATCH_KEEP_BYTES)
        none = batch.fetch_batch(items, settings=settings)
    assert all(r.diagnosis.report is not None for r in kept)
    assert all(r.diagnosis.report is None and r.summary is not None for r in none)
