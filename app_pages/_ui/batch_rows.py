"""Batch check's rows, kept between runs: each line's URL checks by its text, and the table of the list last
shown, so a rerun that only changes a filter (or draws the page again) checks nothing again."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from affilka_core import batch
from affilka_core.diagnosis import Diagnosis

from .session import BATCH_CHECKED, BATCH_VIEW, settings


@dataclass(frozen=True, eq=False)
class Checked:
    """One list's rows checked (and fetched where they were), with what the page shows of them: the table
    of every row, which rows fail, and the counters."""

    key: tuple
    rows: list[batch.BatchRow]
    table: pd.DataFrame
    failing: list[bool]
    counts: dict[str, int]

    def shown(self, failing_only: bool) -> tuple[list[batch.BatchRow], pd.DataFrame]:
        """The rows and the table the page shows: every row, or only those that fail."""
        if not failing_only:
            return self.rows, self.table
        rows = [row for row, bad in zip(self.rows, self.failing, strict=True) if bad]
        return rows, self.table[self.failing].reset_index(drop=True)


def checked(items: list[batch.BatchItem], fetched: dict[str, batch.BatchRow]) -> Checked:
    """The rows of `items`, checked once per list and fetch: each line's URL checks are kept by its text
    (only this list's lines are kept), the table of the whole list by the list and the fetched rows."""
    key = (tuple(items), tuple((text, id(row)) for text, row in fetched.items()))
    kept = st.session_state.get(BATCH_VIEW)
    if isinstance(kept, Checked) and kept.key == key:
        return kept
    earlier: dict[str, Diagnosis] = st.session_state.get(BATCH_CHECKED) or {}
    known = {item.text: earlier[item.text] for item in items if item.text in earlier}
    rows = batch.with_fetched(batch.check_batch(items, settings=settings(), known=known), fetched)
    st.session_state[BATCH_CHECKED] = known
    view = Checked(key, rows, batch.batch_view(rows), [not row.ok for row in rows], batch.tally(rows))
    st.session_state[BATCH_VIEW] = view
    return view
