"""URL check, the default page: paste an Affilka report URL, see what CasinoFlux's setup guide says
about it, fetch it."""

import streamlit as st

from affilka_core.load import LoadedReport
from affilka_core.outputs.markdown import code, escape
from affilka_core.url.parse import with_dates
from affilka_core.url.suggest import suggestion_changes
from pages._ui.checklist import checklist, not_a_url, support_ticket, verdict_banner
from pages._ui.layout import SOURCE_BADGES, sidebar_context
from pages._ui.reports import (
    all_checks,
    fetch_panel,
    file_error,
    load_demo_report,
    load_saved_report,
    loaded_report,
    report_matches,
)
from pages._ui.routes import APP_NAME, BATCH, PERFORMANCE
from pages._ui.scenarios import current_scenario, scenario_picker, scenario_view
from pages._ui.state import (
    REPORT_FILE,
    REVEAL,
    chosen_range,
    clear_url,
    current_result,
    pasted_urls,
    reveal_toggle,
    send_to_batch,
    set_url,
    url_input,
)


def at_a_glance(facts: dict[str, str]) -> None:
    """The parameters people look at first, in a compact grid readable on a shared screen."""
    items = list(facts.items())
    for row in range(0, len(items), 4):
        for col, (label, value) in zip(st.columns(4), items[row : row + 4], strict=False):
            col.caption(label)
            col.markdown(f"**{escape(value)}**")


def report_without_url(report: LoadedReport) -> None:
    """The page for a demo or saved report when no URL is pasted: what it is, what its data says."""
    if report.source == "demo":
        what, icon = "**Demo data loaded:** a generated report for one casino", "🧪"
        after, link = "No network, no token.", "See the demo casino's performance"
    else:
        what, icon = f"**Saved report loaded:** {escape(report.label)}", "📄"
        after, link = "Paste the URL it came from to check the URL too.", "See this report's performance"
    st.success(
        f"{what}, {report.date_from} → {report.date_to}, {len(report.frame):,} rows. {after}", icon=icon
    )
    st.page_link(PERFORMANCE, label=link, icon="📈")
    st.subheader("What the data says")
    checklist(list(report.checks))
    support_ticket(list(report.checks), None, report.summary())


sidebar_context()
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
scenario_picker()
saved_file = st.file_uploader(
    "Or open a saved report: the JSON tab saved as a .json file",
    type=["json"],
    key=REPORT_FILE,
    on_change=load_saved_report,
    help="In the JSON tab Affilka opened, save the page (Ctrl+S / ⌘S) and upload the file here. It is read "
    "in memory and never stored.",
)
unreadable = file_error()
result = current_result()
report = loaded_report()
if unreadable is not None and saved_file is not None:
    # Which report is loaded now, so the error never contradicts the "loaded" line below it.
    if report is None:
        still = "It was not loaded, and no report is loaded."
    elif report.source == "file":
        before = f"**{escape(report.label)}**"
        still = f"It was not loaded; the report loaded before, {before}, is still the one shown."
    else:
        before = SOURCE_BADGES[report.source]
        still = f"It was not loaded; the report loaded before ({before}) is still the one shown."
    st.error(
        f"**{escape(saved_file.name)} is not a readable Affilka report: {unreadable.title}.** {still} "
        "Save the JSON tab itself (the page showing the report as JSON), not a dashboard or sign-in page.",
        icon="📄",
    )
    checklist([unreadable])

if report is not None and report.source == "file" and result is not None:
    st.success(f"**Saved report loaded:** {report.label}, {len(report.frame):,} rows.", icon="📄")
    st.page_link(PERFORMANCE, label="Open Performance", icon="📈")
if report is not None and report.source == "demo" and result is not None:
    # Two things on screen at once: the pasted URL's checks here, generated numbers on the data pages.
    st.info(
        "**Demo data loaded:** Performance and Data show a generated casino, not this URL's report. The "
        "checklist below is for the pasted URL; click **Fetch report** to see its own data.",
        icon="🧪",
    )

scenario = current_scenario()
if result is None and scenario is not None:
    scenario_view(*scenario)
    st.stop()
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

urls = pasted_urls()
if len(urls) > 1:
    st.warning(
        f"**You pasted {len(urls)} URLs.** This page checks one URL at a time: below is the first one "
        f"only. To check all {len(urls)}, open them in Batch check (one row per URL, tokens masked).",
        icon="📋",
    )
    if st.button(
        f"Open all {len(urls)} in Batch check", on_click=send_to_batch, args=(urls,), key="to_batch"
    ):
        st.switch_page(BATCH)

if result.url is None:
    not_a_url(result)
    st.stop()

fetch_panel(result.url)

checks = all_checks(result)
verdict_banner(checks)

st.subheader("At a glance")
facts = result.url.summary()
span = chosen_range()
if span is not None:
    facts["Dates"] = f"{span[0]} → {span[1]} (chosen; the URL says {facts['Dates']})"
at_a_glance(facts)
with st.expander("Every parameter"):
    shown = result.url.shown_params()
    st.table({"parameter": [k for k, _ in shown], "value": [v for _, v in shown]})

st.subheader("Checklist")
checklist(checks)

if result.suggested and not result.ok:
    st.subheader("Suggested URL")
    changes = suggestion_changes(result.url, result.suggested)
    what = "; ".join(code(c) for c in changes) if changes else "Parameters put in Affilka's order"
    st.markdown(
        f"{what}. "
        + (
            "Turn on **Show token** to copy the complete URL."
            if result.url.token
            else "It still needs a token: export the report again in Affilka and copy the new URL."
        )
    )
    revealed = st.session_state.get(REVEAL, False)
    st.code(result.suggested if revealed else result.masked_suggested(), language=None, wrap_lines=True)
    st.button("Use the suggested URL", on_click=set_url, args=(result.suggested,))

# Last, so the page reads verdict → checklist → suggestion before the summary that repeats them.
fetched = loaded_report() if report_matches(result.url) else None
# With a date range chosen, the ticket names the URL as it is fetched: with that range.
ticket_url = with_dates(result.url, *span) if span is not None else result.url
suggested = result.suggested if result.suggested and not result.ok else None
support_ticket(checks, ticket_url, fetched.summary() if fetched is not None else None, suggested)
