"""Home page: paste an Affilka report URL, see what CasinoFlux's setup guide says about it, fetch it."""

import streamlit as st

from pages._ui import (
    APP_NAME,
    REPORT_FILE,
    all_checks,
    at_a_glance,
    checklist,
    clear_url,
    current_result,
    fetch_panel,
    file_error,
    load_demo_report,
    load_saved_report,
    loaded_report,
    report_matches,
    report_without_url,
    reveal_toggle,
    set_url,
    setup_page,
    support_ticket,
    url_input,
    verdict,
)

setup_page("URL check")
st.title(f"🩺 {APP_NAME}")
st.markdown(
    "Paste the URL of the JSON tab an affiliate opened with **Export report → JSON** in Affilka. "
    "You will see, step by step as CasinoFlux's setup guide tells it, whether CasinoFlux can use it "
    "and, if not, what to change in Affilka. Then fetch it to see the casino's performance."
)

url_input()
actions = st.columns([1, 1, 1.4, 2.6])
actions[0].button("Check URL", type="primary", width="stretch")
actions[1].button("Clear", on_click=clear_url, width="stretch")
actions[2].button("Try with demo data", on_click=load_demo_report, width="stretch")
with actions[3]:
    reveal_toggle()
saved_file = st.file_uploader(
    "Or open a saved report: the JSON tab saved as a .json file",
    type=["json"],
    key=REPORT_FILE,
    on_change=load_saved_report,
    help="In the JSON tab Affilka opened, save the page (Ctrl+S / ⌘S) and upload the file here. It is read "
    "in memory and never stored.",
)
unreadable = file_error()
if unreadable is not None and saved_file is not None:
    st.error(
        f"**This file is not a readable Affilka report: {unreadable.title}.** Nothing was loaded from it. "
        "Save the JSON tab itself (the page showing the report as JSON), not a dashboard or sign-in page.",
        icon="📄",
    )
    checklist([unreadable])
result = current_result()
report = loaded_report()

if report is not None and report.source == "file" and result is not None:
    st.success(f"**Saved report loaded:** {report.label}, {len(report.frame):,} rows.", icon="📄")
    st.page_link("pages/1_Performance.py", label="Open Performance", icon="📈")

if result is None:
    if report is not None and report.source in ("demo", "file"):
        report_without_url(report)
    else:
        st.info(
            "Paste a URL above to start, or click **Try with demo data** to see the dashboard with a "
            "generated report. The token in a URL stays in this browser session's memory only.",
            icon="👆",
        )
    st.stop()

if result.url is not None:
    fetch_panel(result.url)

checks = all_checks(result)
verdict(checks)

if result.url is not None:
    st.subheader("At a glance")
    at_a_glance(result.url.summary())
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

# Last, so the page reads verdict → checklist → suggestion before the summary that repeats them.
fetched = loaded_report() if report_matches(result.url) else None
support_ticket(checks, result.url, fetched.summary() if fetched is not None else None)
