"""Streamlit pieces shared by the pages: layout, navigation, session state and the checklist.

Kept beside the pages (a package, so Streamlit does not list it as a page). Only arrangement on
screen lives here; every rule and computation comes from affilka_core.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from affilka_core.checks import ICONS, Check, Status, UrlCheckResult, check_url, worst
from affilka_core.guide import STEPS
from affilka_core.url import mask_url, unmask

APP_NAME = "Affilka URL doctor"
PAGES = (("app.py", "URL check", "🩺"),)

# Session keys. URL_TEXT holds what the user pasted, in memory only; URL_INPUT is the paste box,
# which shows it with the token masked unless REVEAL is on.
URL_TEXT, URL_INPUT, REVEAL = "url_text", "url_input", "reveal_token"


def setup_page(title: str) -> None:
    """Page config, navigation and the session's context, for every page."""
    st.set_page_config(page_title=f"{title} · {APP_NAME}", page_icon="🩺", layout="wide")
    st.session_state.setdefault(URL_TEXT, "")
    with st.sidebar:
        st.markdown(f"### 🩺 {APP_NAME}")
        for path, label, icon in PAGES:
            st.page_link(path, label=label, icon=icon)


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
    set_url("")


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


def step_status(checks: Iterable[Check]) -> Status:
    return worst(c.status for c in checks)


def verdict(checks: list[Check]) -> None:
    """A banner: can CasinoFlux use this URL?"""
    fails = [c for c in checks if c.status == Status.FAIL]
    warns = [c for c in checks if c.status == Status.WARN]
    if fails:
        steps = sorted({c.step for c in fails})
        st.error(
            f"**Not usable yet: {len(fails)} thing{'s' if len(fails) > 1 else ''} to fix** "
            f"(step{'s' if len(steps) > 1 else ''} {', '.join(map(str, steps))}). "
            "Start with the first ❌ below.",
            icon="❌",
        )
    elif warns:
        st.warning(
            f"**Usable.** {len(warns)} thing{'s' if len(warns) > 1 else ''} to look at below.", icon="⚠️"
        )
    else:
        st.success("**Ready for CasinoFlux.** Every step checks out.", icon="✅")


def checklist(checks: list[Check]) -> None:
    """The checks grouped under the guide's seven steps, each problem with its fix."""
    for step in STEPS:
        items = [c for c in checks if c.step == step.number]
        if not items:
            continue
        status = step_status(items)
        with st.container(border=True):
            st.markdown(f"#### {ICONS[status]} Step {step.number} · {step.name}")
            st.caption(f"In Affilka: {step.where}")
            for c in items:
                st.markdown(f"{ICONS[c.status]} **{c.title}** — {c.detail}")
                if c.fix:
                    box = st.error if c.status == Status.FAIL else st.warning
                    box(f"**What to do:** {c.fix}")
