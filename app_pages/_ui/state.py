"""The session's pasted URL: its keys, the masked paste box and the toggle that reveals the token.

URL_TEXT holds what the user pasted, in memory only; URL_INPUT is the paste box, which shows it with the
token masked unless REVEAL is on. Nothing of it goes to st.query_params or to disk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import streamlit as st

from affilka_core.checks.model import Check, Status
from affilka_core.checks.url_result import UrlCheckResult, check_url
from affilka_core.dates import PRESETS, preset_range
from affilka_core.url.masking import mask_url, unmask
from affilka_core.url.parse import AffilkaUrl
from affilka_core.url.paste import find_urls

URL_TEXT, URL_INPUT, REVEAL = "url_text", "url_input", "reveal_token"
# REPORT is the loaded report, FETCH_ERROR the failed fetch's check, FETCHED_FOR which URL (dates aside)
# the report came from. REPORT_FILE is the saved-report uploader; FILE_ERROR the check of a file that
# could not be read.
REPORT, FETCH_ERROR, FETCHED_FOR = "report", "fetch_error", "fetched_for"
REPORT_FILE, FILE_ERROR = "report_file", "file_error"
# FETCHED_AT is when the last fetch (success or failure) came back, for "fetched 14:02, 3 min ago".
FETCHED_AT = "fetched_at"
# The date control: a preset, the URL's own dates or a custom range (RANGE_CUSTOM).
RANGE_CHOICE, RANGE_CUSTOM = "range_choice", "range_custom"
URL_DATES = "URL's dates"
CUSTOM = "Custom"
# SCENARIO is the demo scenario on screen (its key and diagnosis, no rows), SCENARIO_PICK its picker.
# PREVIOUS is the previous period's report next to the current one, for the comparison (at most one).
SCENARIO, SCENARIO_PICK, PREVIOUS = "scenario", "scenario_pick", "previous_report"
# The Batch check page's pasted list (tokens in clear, memory only) and its paste box (tokens masked).
BATCH_TEXT, BATCH_INPUT = "batch_text", "batch_input"


def url_text() -> str:
    """The URL the user pasted this session, token in clear."""
    return st.session_state.get(URL_TEXT, "")


def chosen_range() -> tuple[dt.date, dt.date] | None:
    """The date range picked in the fetch panel, or None for the URL's own dates."""
    choice = st.session_state.get(RANGE_CHOICE)
    if choice in (None, URL_DATES):
        return None
    if choice == CUSTOM:
        picked = st.session_state.get(RANGE_CUSTOM)
        return (picked[0], picked[1]) if isinstance(picked, tuple | list) and len(picked) == 2 else None
    return preset_range(choice) if choice in PRESETS else None


def _with_chosen_dates(check: Check, url: AffilkaUrl, span: tuple[dt.date, dt.date]) -> Check:
    """dates.range as the fetch will use it: the chosen range, the URL's own dates named beside it."""
    days = (span[1] - span[0]).days + 1
    own = f"{url.date_from} → {url.date_to}"
    detail = (
        f"Chosen range {span[0]} → {span[1]} ({days} day{'s' if days > 1 else ''}), used for fetching, as "
        f"CasinoFlux replaces the dates on every sync; the URL itself says {own}."
    )
    return dataclasses.replace(check, detail=detail)


def current_result() -> UrlCheckResult | None:
    """The checklist of the pasted URL, or None before anything is pasted. With a date range chosen,
    the suggested URL and the dates check carry that range."""
    text = url_text()
    if not text.strip():
        return None
    span = chosen_range()
    if span is None:
        return check_url(text)
    result = check_url(text, date_from=span[0].isoformat(), date_to=span[1].isoformat())
    if result.url is None:
        return result
    url = result.url
    checks = tuple(
        _with_chosen_dates(c, url, span) if c.id == "dates.range" and c.status == Status.PASS else c
        for c in result.checks
    )
    return dataclasses.replace(result, checks=checks)


def pasted_urls() -> list[str]:
    """Every URL in the pasted text (two or more means a list for Batch check, not one URL)."""
    return find_urls(url_text())


def send_to_batch(urls: list[str]) -> None:
    """Put these URLs, one per line, in the Batch check page's paste box (shown masked there too)."""
    text = "\n".join(urls)
    st.session_state[BATCH_TEXT] = text
    st.session_state[BATCH_INPUT] = mask_url(text)


def _shown(text: str) -> str:
    return text if st.session_state.get(REVEAL) else mask_url(text)


def _on_input_change() -> None:
    st.session_state.pop(SCENARIO, None)  # a pasted URL replaces the scenario on the URL check page
    st.session_state[URL_TEXT] = unmask(st.session_state[URL_INPUT], url_text())
    st.session_state[URL_INPUT] = _shown(st.session_state[URL_TEXT])


def _on_reveal_change() -> None:
    st.session_state[URL_INPUT] = _shown(url_text())


def set_url(text: str) -> None:
    """Replace the session's URL (e.g. with the suggested one), keeping the paste box in step."""
    st.session_state[URL_TEXT] = text
    st.session_state[URL_INPUT] = _shown(text)


def clear_url() -> None:
    """Forget the URL and anything fetched from it."""
    set_url("")
    for key in (REPORT, FETCH_ERROR, FETCHED_FOR, FETCHED_AT, SCENARIO, PREVIOUS):
        st.session_state.pop(key, None)


def url_input() -> None:
    """The paste box, multi-line so wrapped URLs paste whole; shows the token masked."""
    if URL_INPUT not in st.session_state:
        st.session_state[URL_INPUT] = _shown(url_text())
    st.text_area(
        "Affilka report URL",
        key=URL_INPUT,
        height=110,
        on_change=_on_input_change,
        placeholder="https://<your-program>/api/client/partner/report.json?from=…&to=…&period=custom"
        "&columns%5B%5D=…&group_by%5B%5D=day…&token=…&page=1",
        help="The address of the JSON tab that Export report → JSON opens in Affilka. Line breaks and "
        "spaces from e-mail or chat are removed.",
    )


def reveal_toggle() -> bool:
    """The explicit action that shows the token in clear."""
    return st.toggle(
        "Show token",
        key=REVEAL,
        on_change=_on_reveal_change,
        help="The token is a password to the affiliate's report: keep it hidden on shared screens.",
    )
