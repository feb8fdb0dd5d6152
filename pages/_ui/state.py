"""The session's pasted URL: its keys, the masked paste box and the toggle that reveals the token.

URL_TEXT holds what the user pasted, in memory only; URL_INPUT is the paste box, which shows it with the
token masked unless REVEAL is on. Nothing of it goes to st.query_params or to disk.
"""

from __future__ import annotations

import streamlit as st

from affilka_core.checks import UrlCheckResult, check_url
from affilka_core.url import mask_url, unmask

URL_TEXT, URL_INPUT, REVEAL = "url_text", "url_input", "reveal_token"
# REPORT is the loaded report, FETCH_ERROR the failed fetch's check, FETCHED_FOR which URL (dates aside)
# the report came from. REPORT_FILE is the saved-report uploader; FILE_ERROR the check of a file that
# could not be read.
REPORT, FETCH_ERROR, FETCHED_FOR = "report", "fetch_error", "fetched_for"
REPORT_FILE, FILE_ERROR = "report_file", "file_error"


def url_text() -> str:
    """The URL the user pasted this session, token in clear."""
    return st.session_state.get(URL_TEXT, "")


def current_result() -> UrlCheckResult | None:
    """The checklist of the pasted URL, or None before anything is pasted."""
    text = url_text()
    return check_url(text) if text.strip() else None


def _shown(text: str) -> str:
    return text if st.session_state.get(REVEAL) else mask_url(text)


def _on_input_change() -> None:
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
    for key in (REPORT, FETCH_ERROR, FETCHED_FOR):
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
