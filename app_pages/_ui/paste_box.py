"""The masked paste boxes: the URL check's (one URL) and Batch check's (a list), each showing tokens
masked unless the user reveals them, keeping the real tokens in memory when the masked text is edited."""

from __future__ import annotations

import dataclasses

import streamlit as st

from affilka_core.diagnosis import with_secrets_masked
from affilka_core.url.masking import mask_url, unmask

from .session import (
    BATCH_INPUT,
    BATCH_TEXT,
    REVEAL,
    URL_INPUT,
    URL_TEXT,
    loaded,
    pasted_secrets,
    store,
    url_text,
)


def _shown(text: str) -> str:
    return text if st.session_state.get(REVEAL) else mask_url(text)


def _on_input_change() -> None:
    result = loaded()
    if result is not None and result.scenario:
        store(None)  # a pasted URL replaces the demo scenario: its generated data is not this URL's
    st.session_state[URL_TEXT] = unmask(st.session_state[URL_INPUT], url_text())
    st.session_state[URL_INPUT] = _shown(st.session_state[URL_TEXT])
    if result is not None and result.source == "file":
        # A saved file loaded first may quote the token of the URL pasted now.
        masked = with_secrets_masked(result.diagnosis, pasted_secrets())
        if masked is not result.diagnosis:
            store(dataclasses.replace(result, diagnosis=masked))


def _on_reveal_change() -> None:
    st.session_state[URL_INPUT] = _shown(url_text())


def set_url(text: str) -> None:
    """Replace the session's URL (e.g. with the suggested one), keeping the paste box in step."""
    st.session_state[URL_TEXT] = text
    st.session_state[URL_INPUT] = _shown(text)


def clear_url() -> None:
    """Forget the URL and anything loaded from it."""
    set_url("")
    store(None)


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


def send_to_batch(urls: list[str]) -> None:
    """Put these URLs, one per line, in the Batch check page's paste box (shown masked there too)."""
    text = "\n".join(urls)
    st.session_state[BATCH_TEXT] = text
    st.session_state[BATCH_INPUT] = mask_url(text)


def _on_batch_change() -> None:
    st.session_state[BATCH_TEXT] = unmask(
        st.session_state[BATCH_INPUT], st.session_state.get(BATCH_TEXT, ""), per_line=True
    )
    st.session_state[BATCH_INPUT] = mask_url(st.session_state[BATCH_TEXT])


def batch_input() -> str:
    """Batch check's paste box, tokens shown masked; returns the pasted text with tokens in clear."""
    st.session_state.setdefault(BATCH_TEXT, "")
    if BATCH_INPUT not in st.session_state:
        st.session_state[BATCH_INPUT] = mask_url(st.session_state[BATCH_TEXT])
    st.text_area(
        "Report URLs, one per line",
        key=BATCH_INPUT,
        height=180,
        on_change=_on_batch_change,
        placeholder="Casino Alpha, https://<program>/api/client/partner/report.json?…&token=…&page=1\n"
        "https://<program>/api/client/partner/report.json?…",
        help="One URL per line, optionally preceded by the offer's name and a comma or a tab. Blank lines "
        "and lines starting with # are skipped. Tokens are shown masked and kept in this session's memory "
        "only.",
    )
    return st.session_state[BATCH_TEXT]
