"""Batch check: many offers' URLs at once, one row per offer with the guide's seven steps as columns."""

from typing import Any

import streamlit as st

from affilka_core import batch, budgets
from affilka_core.checks.model import Status
from affilka_core.checks.verdict import RETRY, RETRY_HEADLINE, RETRY_ICON
from affilka_core.guide import STEPS
from affilka_core.outputs.markdown import md
from affilka_core.text import plural
from app_pages._ui.batch_rows import checked
from app_pages._ui.cards import Card, card_row
from app_pages._ui.checklist import checklist
from app_pages._ui.history import history_note, record_new_lines, record_rows
from app_pages._ui.paste_box import batch_input, set_url
from app_pages._ui.routes import URL_CHECK
from app_pages._ui.session import (
    BATCH_DETAIL,
    BATCH_FAILING_ONLY,
    BATCH_FETCHED,
    BATCH_FILE,
    BATCH_OPEN,
    BATCH_WANT_FETCH,
    Loaded,
    settings,
    store,
)

st.title("📋 Batch check")
st.markdown(
    "Check many offers at once: paste their Affilka report URLs, one per line (optionally `name, url`), "
    "or upload a CSV with a `url` column (and a `name` column). Each offer gets one row with the guide's "
    "seven steps as columns and the first thing to fix."
)

text = batch_input()
upload = st.file_uploader(
    "Or upload a CSV of offers",
    type=["csv", "txt", "tsv"],
    key=BATCH_FILE,
    help="Columns name,url or just url, header optional; comma, semicolon or tab separated. Read in memory, "
    "never stored.",
)

items: list[batch.BatchItem] = []
if upload is not None:
    try:
        items = batch.parse_batch_csv(upload.getvalue(), settings().max_batch_urls)
    except batch.BatchFileError as exc:
        st.error(md("**{} could not be read.** {}", upload.name, str(exc)), icon="📄")
    else:
        st.info(
            md(
                "Checking the {} of **{}**{}",
                plural(len(items), "offer"),
                upload.name,
                " (the pasted list is kept; remove the file to check it)." if text.strip() else ".",
            ),
            icon="📄",
        )
        if not items:
            st.warning(
                md("{} holds no URLs: add a `url` column with one URL per row.", upload.name), icon="📄"
            )
else:
    items = batch.parse_batch_text(text, settings().max_batch_urls)

if not items:
    if upload is None:
        st.info(
            "Paste URLs above or upload a CSV to start. The URLs are checked here, in this session's memory; "
            "nothing is sent to Affilka unless you choose to fetch the reports below.",
            icon="👆",
        )
    st.stop()
listed = upload.getvalue() if upload is not None else text
refused = batch.too_many(items, settings().max_batch_urls, lines=batch.line_count(listed))
if refused:
    # Nothing is checked, and nothing is lost: the list stays in the box to be split.
    st.error(md("**{}**", refused), icon="✂️")
    st.stop()


def counters(rows: list[batch.BatchRow], running: bool = False) -> None:
    """The tally: every offer in exactly one counter, so they add up to the offers; then how many of the
    rows a fetch asks for came back, and which rows it leaves out and why."""
    counts = batch.tally(rows)
    done = sum(r.fetched for r in rows)
    fetchable = sum(r.not_fetched is None for r in rows)
    left_out = batch.not_fetched_note(rows)
    card_row(
        [
            Card("Offers", f"{len(rows):,}"),
            Card("✅ Ready", f"{counts[Status.PASS]:,}"),
            Card("⚠️ Usable, to look at", f"{counts[Status.WARN]:,}"),
            Card("❌ Not usable yet", f"{counts[Status.FAIL]:,}"),
            Card(
                f"{RETRY_ICON} {RETRY_HEADLINE}",
                f"{counts[RETRY]:,}",
                help="Affilka did not answer (rate limit, server error, timeout): the URL may be fine; fetch "
                "again later.",
            ),
        ],
        uniform=False,  # counters, not a grid of figures: each as wide as its words
    )
    if running:
        st.caption(
            md("Fetching: {} of {} fetched so far; the others are counted from their URL.", done, fetchable)
        )
    elif done and done == fetchable:
        st.caption(md("{} of {} fetched.{}", done, fetchable, md(" {}", left_out) if left_out else ""))
    elif done:
        st.caption(md("{} of {} fetched; the others are checked from their URL only.", done, fetchable))
    if done and left_out and not running and done != fetchable:
        st.caption(md("{}", left_out))


# Fetch (optional): the same diagnosis as the URL check page's Fetch, a few reports at a time.
fetched: dict[str, batch.BatchRow] = st.session_state.setdefault(BATCH_FETCHED, {})
for gone in set(fetched) - {item.text for item in items}:
    del fetched[gone]  # a session keeps the fetched rows of the list it shows, no more
clicked = False
with st.container(border=True):
    want_fetch = st.checkbox(
        "Also fetch every report (token, columns, brands, dates)",
        key=BATCH_WANT_FETCH,
        help=md(
            "{} reports at a time; each report's pages are fetched as on the URL check page.",
            batch.DEFAULT_CONCURRENCY,
        ),
    )
    if want_fetch:
        url_rows = checked(items, fetched).rows
        distinct = len(batch.to_fetch(url_rows))
        clicked = st.button(md("Fetch {}", plural(distinct, "report")), type="primary", disabled=not distinct)
        left_out = batch.not_fetched_note(url_rows)
        if left_out and not clicked and not any(r.fetched for r in url_rows):  # then the counters say it
            st.caption(md("{}", left_out))
    bar_slot = st.empty()
tally_slot = st.empty()
if clicked:
    # Every click asks again: earlier answers for these URLs are dropped, and the counters move from
    # each URL's own checks to its fetch as its report comes back.
    for item in items:
        fetched.pop(item.text, None)
    url_rows = checked(items, fetched).rows
    distinct = len(batch.to_fetch(url_rows))
    bar = bar_slot.progress(0.0, text=md("Fetched 0 of {}", distinct))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=md("Fetched {} of {}", done, total))

    def arrived(row: batch.BatchRow) -> None:
        if not row.fetched:
            return  # a line never fetched keeps its URL checks
        fetched[row.item.text] = row
        with tally_slot.container():
            counters(batch.with_fetched(url_rows, fetched), running=True)

    with tally_slot.container():
        counters(url_rows, running=True)
    new_rows = batch.fetch_batch(
        items, on_progress=progress, on_row=arrived, settings=settings(), keep_bytes=budgets.BATCH_KEEP_BYTES
    )
    bar_slot.empty()
    record_rows([row for row in new_rows if row.fetched], what="fetched report")  # each fetch is a case

view = checked(items, fetched)  # each line's URL checks kept by its text: a filter checks nothing again
rows = view.rows
record_new_lines(row for row in rows if not row.fetched)  # each line once, when first checked
history_note()
with tally_slot.container():
    counters(rows)

failing_only = st.toggle("Only offers that fail", key=BATCH_FAILING_ONLY)
shown, table = view.shown(failing_only)
config: dict[str, Any] = {
    col: st.column_config.TextColumn(
        str(step.number), help=md("Step {} · {}", step.number, step.name), width="small"
    )
    for col, step in zip(batch.STEP_COLUMNS, STEPS, strict=True)
}
config["line"] = st.column_config.NumberColumn("line", width="small")
config["name"] = st.column_config.TextColumn("name", help="The offer's name, else its URL's host")
config["problem"] = st.column_config.TextColumn("problem", help="The first thing to fix", width="medium")
config["fix"] = st.column_config.TextColumn("fix", width="large")
config["url"] = st.column_config.TextColumn("url (token masked)")
st.dataframe(table, hide_index=True, column_config=config, width="stretch")
if failing_only and not shown:
    st.success("No offer fails a check.", icon="✅")
st.download_button(
    "Download these rows as CSV",
    lambda: batch.batch_csv(shown),  # built on click, not on every rerun
    file_name="affilka-batch-check.csv",
    mime="text/csv",
    on_click="ignore",
)


def open_offer(row: batch.BatchRow) -> None:
    """Paste the offer's URL on the URL check page; a fetched offer carries its fetch there (its report,
    or the failure), as if fetched on that page."""
    set_url(row.item.text)
    diagnosis = row.diagnosis
    if row.fetched and row.url is not None and (diagnosis.report is not None or diagnosis.failed_fetch):
        store(Loaded(diagnosis, "live", url_key=row.url.identity()))


# One offer in full: the checklist, or straight to the URL check page.
st.subheader("One offer in detail")
labels = {
    f"line {r.item.line} · {r.name or '(no name)'} · {r.url.netloc if r.url else 'not a URL'}": r
    for r in shown
}
if labels:
    picked = labels[st.selectbox("Offer", list(labels), key=BATCH_DETAIL)]
    if picked.fetched and picked.diagnosis.report is None and picked.diagnosis.failed_fetch is None:
        st.caption(
            md(
                "Its report came back, but the batch keeps the rows of only {} MB of reports: on the URL "
                "check page, click **Fetch report** to see its data.",
                budgets.BATCH_KEEP_BYTES // (1024 * 1024),
            )
        )
    st.button("Open on the URL check page", on_click=open_offer, args=(picked,), key=BATCH_OPEN)
    if st.session_state.get(BATCH_OPEN):
        st.switch_page(URL_CHECK)
    checklist(list(picked.checks))
