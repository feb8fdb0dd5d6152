"""Home page: paste an Affilka report URL, see what CasinoFlux's setup guide says about it."""

import streamlit as st

from pages._ui import (
    APP_NAME,
    checklist,
    clear_url,
    current_result,
    reveal_toggle,
    set_url,
    setup_page,
    url_input,
    verdict,
)

setup_page("URL check")
st.title(f"🩺 {APP_NAME}")
st.markdown(
    "Paste the URL of the JSON tab an affiliate opened with **Export report → JSON** in Affilka. "
    "You will see, step by step as CasinoFlux's setup guide tells it, whether CasinoFlux can use it "
    "and, if not, what to change in Affilka."
)

url_input()
left, right = st.columns([1, 1])
with left:
    st.button("Check URL", type="primary")
    st.button("Clear", on_click=clear_url)
with right:
    reveal_toggle()

result = current_result()
if result is None:
    st.info("Paste a URL above to start. The token in it stays in this browser session only.", icon="👆")
    st.stop()

checks = list(result.checks)
verdict(checks)

if result.url is not None:
    st.subheader("At a glance")
    facts = result.url.summary()
    cols = st.columns(4)
    for i, (label, value) in enumerate(facts.items()):
        cols[i % 4].metric(label, value)
    with st.expander("Every parameter"):
        st.table(
            {
                "parameter": [k for k, _ in result.url.params],
                "value": ["(token)" if k == "token" else v for k, v in result.url.params],
            }
        )

st.subheader("Checklist")
checklist(checks)

if result.suggested and not result.ok:
    st.subheader("Suggested URL")
    st.markdown(
        "Required columns and group_by added, `period=custom`, `page=1`, encoding repaired. "
        "Turn on **Show token** to copy the complete URL."
    )
    revealed = st.session_state.get("reveal_token", False)
    st.code(result.suggested if revealed else result.masked_suggested(), language=None, wrap_lines=True)
    st.button("Use the suggested URL", on_click=set_url, args=(result.suggested,))
