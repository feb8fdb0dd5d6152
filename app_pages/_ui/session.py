"""The session: every key the app keeps in `st.session_state`, and the one result it has loaded.

`Loaded` is that result: one `Diagnosis` (a live fetch, the demo, a saved file or a demo scenario) with
its checks, its report and when it came back, plus the previous period when the comparison fetched it.
Every page reads it through `loaded()`; none keeps a copy or recombines its checks. The pasted URL (token
in clear) lives under URL_TEXT, in memory only: never in `st.query_params`, never on disk.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

import streamlit as st

from affilka_core.diagnosis import Diagnosis, diagnose_text
from affilka_core.fetch.settings import FetchSettings
from affilka_core.url.parse import AffilkaUrl

# The pasted URL (token in clear), its paste box (token masked unless REVEAL) and the reveal toggle.
URL_TEXT, URL_INPUT, REVEAL = "url_text", "url_input", "reveal_token"
# The one loaded result (`Loaded`), and the settings this run read from the environment.
RESULT, SETTINGS = "result", "settings"
# The saved-report uploader, and the diagnosis of an uploaded file that could not be read (what was
# loaded before stays loaded).
UPLOAD, UPLOAD_FAILED = "report_file", "upload_failed"
# The fetch form's date range: a preset, the URL's own dates or a custom range.
RANGE_CHOICE, RANGE_CUSTOM = "range_choice", "range_custom"
SCENARIO_PICK = "scenario_pick"
# Buttons whose click is read after the run that drew them: the URL check's "Open all in Batch check",
# Batch check's "Open on the URL check page", and the data pages' demo button.
TO_BATCH, BATCH_OPEN, DEMO_BUTTON = "to_batch", "batch_open", "demo_{page}"
TICKET_BRAND, TICKET_OFFER = "ticket_brand", "ticket_offer"
# Performance's pickers.
PERF_BRAND, PERF_DAILY_METRICS = "perf_brand", "perf_daily_metrics"
PERF_CAMPAIGN_METRIC, PERF_HEAT_METRIC = "perf_campaign_metric", "perf_heat_metric"
PERF_COMPARE, PERF_COMPARE_METRIC, PERF_OFFER_CAMPAIGNS = (
    "perf_compare",
    "perf_compare_metric",
    "perf_offer_campaigns",
)
# Data's filters.
DATA_BRANDS, DATA_CAMPAIGNS = "data_brands", "data_campaigns"
# Batch check: the pasted list (tokens in clear, memory only), its paste box (tokens masked), the CSV
# uploader, the fetched diagnoses by URL text, and the page's toggles and picks.
BATCH_TEXT, BATCH_INPUT, BATCH_FILE, BATCH_FETCHED = (
    "batch_text",
    "batch_input",
    "batch_file",
    "batch_fetched",
)
BATCH_FAILING_ONLY, BATCH_WANT_FETCH, BATCH_DETAIL = "batch_failing_only", "batch_want_fetch", "batch_detail"
# The case history: its settings this run, what the last record said (the case id, or why it was not
# saved: shown once), the lines of Batch check already recorded as checked, the History page's filters
# and table, and a case's token box (emptied when submitted: the token waits under CASE_PENDING for
# that run's check only) and re-check.
HISTORY, HISTORY_NOTE, BATCH_RECORDED = "history", "history_note", "batch_recorded"
HIST_HOST, HIST_OFFER, HIST_VERDICTS, HIST_DAYS, HIST_USER, HIST_TABLE = (
    "hist_host",
    "hist_offer",
    "hist_verdicts",
    "hist_days",
    "hist_user",
    "hist_table",
)
CASE_FORM, CASE_TOKEN, CASE_PENDING, CASE_RECHECKED = (
    "case_form",
    "case_token",
    "case_pending",
    "case_rechecked",
)
# Batch check's work kept between runs: each line's URL checks by its text, and the table of the list
# last shown (`app_pages.batch_check`), so a rerun that changes a filter checks nothing again.
BATCH_CHECKED, BATCH_VIEW = "batch_checked", "batch_view"

Source = Literal["live", "demo", "file", "scenario"]


@dataclass(frozen=True, eq=False)
class Loaded:
    """The session's loaded result. `diagnosis` holds its checks (URL, fetch and data combined for a live
    fetch), its report (None when the fetch failed) and `at`, when it came back. `url_key` is the
    identity (dates aside) of the URL a live fetch answers; `scenario` the demo scenario's key;
    `previous` the previous period's diagnosis, once the comparison loaded it."""

    diagnosis: Diagnosis
    source: Source
    url_key: tuple | None = None
    scenario: str | None = None
    previous: Diagnosis | None = None

    def answers(self, url: AffilkaUrl | None) -> bool:
        """Whether this is the fetch of `url` (whatever dates it was fetched with)."""
        return url is not None and self.url_key == url.identity()

    def with_previous(self, previous: Diagnosis) -> Loaded:
        """The same result with the previous period beside it (at most one is kept)."""
        return dataclasses.replace(self, previous=previous)


def settings() -> FetchSettings:
    """How fetches behave, as the environment asked at the start of this run (see app.py)."""
    found = st.session_state.get(SETTINGS)
    return found if isinstance(found, FetchSettings) else FetchSettings.from_env()


def loaded() -> Loaded | None:
    """The result loaded this session, if any."""
    return st.session_state.get(RESULT)


def store(result: Loaded | None) -> None:
    """Replace the loaded result (None: forget it). The old one is dropped at once: a failure never leaves
    an older success on screen, and a session holds one report at a time."""
    st.session_state[RESULT] = result


def url_text() -> str:
    """The URL the user pasted this session, token in clear."""
    return st.session_state.get(URL_TEXT, "")


def pasted_secrets() -> tuple[str, ...]:
    """Every token the pasted text holds (`Diagnosis.secrets`): what a report loaded beside it masks."""
    pasted = shown_diagnosis()
    return pasted.secrets if pasted is not None else ()


def shown_diagnosis() -> Diagnosis | None:
    """What the pasted text's checklist says now: the loaded fetch when it answers this URL (URL, fetch
    and data checks), else the URL's own checks; None before anything is pasted."""
    text = url_text()
    if not text.strip():
        return None
    pasted = diagnose_text(text, settings=settings())
    result = loaded()
    if result is not None and result.source == "live" and result.answers(pasted.url):
        return result.diagnosis
    return pasted
