"""URL check, the default page: paste an Affilka report URL, see what CasinoFlux's setup guide says
about it, fetch it."""

import streamlit as st

from affilka_core.diagnosis import Diagnosis, diagnose_text, why_not_fetched
from affilka_core.outputs.markdown import code, escape, md, md_join
from affilka_core.text import plural
from affilka_core.url.masking import redact
from affilka_core.url.paste import find_urls
from affilka_core.url.suggest import suggestion_note
from app_pages._ui.checklist import checklist, not_a_url, support_ticket, verdict_banner
from app_pages._ui.fetching import fetch_panel, load_demo, load_upload
from app_pages._ui.history import history_note, record
from app_pages._ui.layout import SOURCE_BADGES
from app_pages._ui.paste_box import clear_url, reveal_toggle, send_to_batch, set_url, url_input
from app_pages._ui.routes import APP_NAME, BATCH, PERFORMANCE
from app_pages._ui.scenarios import scenario_picker, scenario_view
from app_pages._ui.session import (
    REVEAL,
    TO_BATCH,
    UPLOAD,
    UPLOAD_FAILED,
    Loaded,
    loaded,
    pasted_secrets,
    settings,
    shown_diagnosis,
    url_text,
)


def at_a_glance(facts: dict[str, str]) -> None:
    """The parameters people look at first, in a compact grid readable on a shared screen."""
    items = list(facts.items())
    for row in range(0, len(items), 4):
        for col, (name, value) in zip(st.columns(4), items[row : row + 4], strict=False):
            col.caption(md("{}", name))
            col.markdown(md("**{}**", value))


def report_without_url(result: Loaded) -> None:
    """The page for a demo or saved report when no URL is pasted: what it is, what its data says."""
    diagnosis = result.diagnosis
    report = diagnosis.report
    assert report is not None
    if result.source == "demo":
        what, icon = md("**Demo data loaded:** a generated report for one casino"), "🧪"
        after, link = "No network, no token.", "See the demo casino's performance"
    else:
        what, icon = md("**Saved report loaded:** {}", report.label), "📄"
        after, link = "Paste the URL it came from to check the URL too.", "See this report's performance"
    st.success(
        md("{}, {}, {}. {}", what, report.span_text(), plural(len(report.frame), "row"), after), icon=icon
    )
    st.page_link(PERFORMANCE, label=link, icon="📈")
    st.subheader("What the data says")
    checklist(list(diagnosis.checks))
    support_ticket(list(diagnosis.checks), None, diagnosis.summary())


def upload_failure(failed: Diagnosis, name: str, result: Loaded | None) -> None:
    """An uploaded file that is not a readable report, and which report is loaded now, so the error never
    contradicts the "loaded" line below it."""
    report = result.diagnosis.report if result else None
    if result is None or report is None:
        still = md("It was not loaded, and no report is loaded.")
    elif result.source == "file":
        still = md(
            "It was not loaded; the report loaded before, **{}**, is still the one shown.", report.label
        )
    else:
        still = md(
            "It was not loaded; the report loaded before ({}) is still the one shown.",
            SOURCE_BADGES[result.source],
        )
    title = failed.checks[0].title if failed.checks else "unreadable"
    # What to do is the failure's own fix, in the checklist below: a file cut short and a sign-in page
    # saved instead of the report are mended differently.
    st.error(
        md("**{} is not a readable Affilka report: {}.** {}", redact(name, *pasted_secrets()), title, still),
        icon="📄",
    )
    checklist(list(failed.checks))


st.title(md("🩺 {}", APP_NAME))
st.markdown(
    "Paste the URL of the JSON tab an affiliate opened with **Export report → JSON** in Affilka. "
    "You will see, step by step as CasinoFlux's setup guide tells it, whether CasinoFlux can use it "
    "and, if not, what to change in Affilka. Then fetch it to see the casino's performance."
)

url_input()
# One row of buttons as wide as their words (columns cut "Try with demo data" on a narrow screen).
with st.container(horizontal=True, vertical_alignment="center"):
    if st.button("Check URL", type="primary"):
        record(diagnose_text(url_text(), settings=settings()))  # each click is a case; typing is not
    st.button("Clear", on_click=clear_url)
    st.button("Try with demo data", on_click=load_demo)
    reveal_toggle()
history_note()
scenario_picker()
saved_file = st.file_uploader(
    "Or open a saved report: the JSON tab saved as a .json file",
    type=["json"],
    key=UPLOAD,
    on_change=load_upload,
    help="In the JSON tab Affilka opened, save the page (Ctrl+S / ⌘S) and upload the file here. It is read "
    "in memory and never stored.",
)
result = loaded()
diagnosis = shown_diagnosis()
failed_upload = st.session_state.get(UPLOAD_FAILED)
if failed_upload is not None and saved_file is not None:
    upload_failure(failed_upload, saved_file.name, result)

report = result.diagnosis.report if result else None
if result is not None and report is not None and diagnosis is not None:
    if result.source == "file":
        st.success(
            md("**Saved report loaded:** {}, {}.", report.label, plural(len(report.frame), "row")), icon="📄"
        )
        st.page_link(PERFORMANCE, label="Open Performance", icon="📈")
    elif result.source in ("demo", "scenario"):
        # Two things on screen at once: the pasted URL's checks here, generated numbers on the data pages.
        st.info(
            "**Demo data loaded:** Performance and Data show a generated casino, not this URL's report. The "
            "checklist below is for the pasted URL; click **Fetch report** to see its own data.",
            icon="🧪",
        )

if diagnosis is None:
    if result is not None and result.scenario:
        scenario_view(result)
    elif result is not None and report is not None and result.source in ("demo", "file"):
        report_without_url(result)
    else:
        st.info(
            "Paste a URL above to start, or click **Try with demo data** to see the dashboard with a "
            "generated report. The token in a URL stays in this browser session's memory only.",
            icon="👆",
        )
    st.stop()

urls = find_urls(url_text())
if len(urls) > 1:
    st.warning(
        md(
            "**You pasted {} URLs.** This page checks one URL at a time: below is the first one only. To "
            "check all {}, open them in Batch check (one row per URL, tokens masked).",
            len(urls),
            len(urls),
        ),
        icon="📋",
    )
    if st.button(
        md("Open all {} in Batch check", len(urls)), on_click=send_to_batch, args=(urls,), key=TO_BATCH
    ):
        st.switch_page(BATCH)

url_result = diagnosis.url_result
if url_result is None or url_result.url is None:
    if url_result is not None:
        not_a_url(url_result)
    st.stop()

fetch_panel(url_result.url, why_not_fetched(url_result))

checks = list(diagnosis.checks)
verdict_banner(checks)

st.subheader("At a glance")
facts = url_result.url.summary()
if url_result.chosen is not None:
    start, end = url_result.chosen
    facts["Dates"] = f"{start} → {end} (chosen; the URL says {facts['Dates']})"
at_a_glance(facts)
with st.expander("Every parameter"):
    shown = url_result.url.shown_params()
    # st.table renders Markdown in its cells.
    st.table({"parameter": [escape(k) for k, _ in shown], "value": [escape(v) for _, v in shown]})

st.subheader("Checklist")
checklist(checks)

note = suggestion_note(url_result.url, url_result.suggested) if url_result.suggested else None
if note is not None and not url_result.ok:
    st.subheader("Suggested URL")
    revealed = st.session_state.get(REVEAL, False)
    if note.reveal:
        needs = md("Copy it below.") if revealed else md("Turn on **Show token** to copy the complete URL.")
    else:
        needs = md(note.needs)
    if not note.changes:
        # The same URL again would fix nothing: say so, and offer nothing to copy, use or reveal.
        st.markdown(md("Nothing in the URL itself needs changing. {}", note.needs))
    else:
        st.markdown(md("{}. {}", md_join("; ", map(code, note.changes)), needs))
        st.code(
            url_result.suggested if revealed else url_result.masked_suggested(),
            language=None,
            wrap_lines=True,
        )
        if note.usable:
            st.button("Use the suggested URL", on_click=set_url, args=(url_result.suggested,))

# Last, so the page reads verdict → checklist → suggestion before the summary that repeats them. A fetch of
# other dates is named with them: the URL as it was fetched.
support_ticket(
    checks,
    url_result.asked,
    diagnosis.summary(),
    url_result.masked_suggested() if not url_result.ok else None,
    diagnosis.secrets,
)
