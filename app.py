"""Home page: paste an Affilka report URL, see what CasinoFlux's setup guide says about it, fetch it."""

import streamlit as st

from pages._ui import (
    APP_NAME,
    all_checks,
    checklist,
    clear_url,
    current_result,
    date_range_control,
    fetch,
    fetch_error,
    load_demo_report,
    loaded_report,
    report_matches,
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
    "and, if not, what to change in Affilka. Then fetch it to see the casino's performance."
)

url_input()
actions = st.columns([1, 1, 1.4, 2.6])
actions[0].button("Check URL", type="primary", width="stretch")
actions[1].button("Clear", on_click=clear_url, width="stretch")
actions[2].button("Try with demo data", on_click=load_demo_report, width="stretch")
with actions[3]:
    reveal_toggle()
result = current_result()
report = loaded_report()

if result is None:
    if report is not None and report.source == "demo":
        st.success(
            f"**Demo data loaded:** a generated report for one casino, "
            f"{report.date_from} → {report.date_to}, {len(report.frame):,} rows. No network, no token.",
            icon="🧪",
        )
        st.page_link("pages/1_Performance.py", label="See the demo casino's performance", icon="📈")
        st.subheader("What the data says")
        checklist(list(report.checks))
    else:
        st.info(
            "Paste a URL above to start, or click **Try with demo data** to see the dashboard with a "
            "generated report. The token in a URL stays in this browser session's memory only.",
            icon="👆",
        )
    st.stop()

if result.url is not None:
    with st.container(border=True):
        st.markdown("**Fetch the report** — try the URL for real: token, columns, brands, dates.")
        url = result.url
        chosen = date_range_control(url.date_span())
        if st.button("Fetch report", type="primary"):
            fetch(url, *(chosen or (None, None)))
        if report_matches(url):
            error, report = fetch_error(), loaded_report()
            if error:
                st.error(f"**Fetch failed: {error.title}.** See step {error.step} below.", icon="❌")
            elif report is not None:
                st.success(
                    f"Fetched {report.pages} page{'s' if report.pages != 1 else ''}: "
                    f"{len(report.frame):,} rows, {report.date_from} → {report.date_to}.",
                    icon="✅",
                )
                st.page_link("pages/1_Performance.py", label="Open Performance", icon="📈")

checks = all_checks(result)
verdict(checks)

if result.url is not None:
    st.subheader("At a glance")
    facts = result.url.summary()
    st.markdown(
        "| | | | |\n|---|---|---|---|\n"
        + "\n".join(
            " | ".join(f"**{k}** | {v}" for k, v in list(facts.items())[i : i + 2])
            for i in range(0, len(facts), 2)
        )
    )
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
