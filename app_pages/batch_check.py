"""Batch check: many offers' URLs at once, one row per offer with the guide's seven steps as columns."""

from typing import Any

import streamlit as st

from affilka_core import batch
from affilka_core.checks.model import Status
from affilka_core.checks.verdict import RETRY, RETRY_HEADLINE, RETRY_ICON
from affilka_core.guide import STEPS
from affilka_core.outputs.markdown import md
from affilka_core.text import plural
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
    settings,
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
        items = batch.parse_batch_csv(upload.getvalue())
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
    items = batch.parse_batch_text(text)

if not items:
    if upload is None:
        st.info("Paste URLs above or upload a CSV to start. Nothing leaves this browser session.", icon="👆")
    st.stop()

# Fetch (optional): the same diagnosis as the home page's Fetch, a few reports at a time.
fetched: dict[str, batch.BatchRow] = st.session_state.setdefault(BATCH_FETCHED, {})
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
        distinct = len({item.text for item in items})
        if st.button(md("Fetch {}", plural(distinct, "report")), type="primary"):
            bar = st.progress(0.0, text=md("Fetched 0 of {}", distinct))

            def progress(done: int, total: int) -> None:
                bar.progress(done / total, text=md("Fetched {} of {}", done, total))

            new_rows = batch.fetch_batch(items, on_progress=progress, settings=settings())
            for row in new_rows:
                fetched[row.item.text] = row
            bar.empty()
            record_rows(new_rows)  # each fetch is a case

checked = batch.check_batch(items, settings=settings())
record_new_lines(checked)  # each line once, when first checked
history_note()
rows = batch.with_fetched(checked, fetched)
counts = batch.tally(rows)
done = sum(r.fetched for r in rows)
# Every offer lands in exactly one counter, so they add up to the offers.
cols = st.columns(5)
cols[0].metric("Offers", len(rows))
cols[1].metric("✅ Ready", counts[Status.PASS])
cols[2].metric("⚠️ Usable, to look at", counts[Status.WARN])
cols[3].metric("❌ Not usable yet", counts[Status.FAIL])
cols[4].metric(
    md("{} {}", RETRY_ICON, RETRY_HEADLINE),
    counts[RETRY],
    help="Affilka did not answer (rate limit, server error, timeout): the URL may be fine; fetch again "
    "later.",
)
if done == len(rows):
    st.caption(md("{} of {} fetched.", done, len(rows)))
elif done:
    st.caption(md("{} of {} fetched; the others are checked from their URL only.", done, len(rows)))

failing_only = st.toggle("Only offers that fail", key=BATCH_FAILING_ONLY)
shown = batch.failing(rows) if failing_only else rows
table = batch.batch_view(shown)
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
    batch.batch_csv(shown),
    file_name="affilka-batch-check.csv",
    mime="text/csv",
    on_click="ignore",
)

# One offer in full: the checklist, or straight to the URL check page.
st.subheader("One offer in detail")
labels = {
    f"line {r.item.line} · {r.name or '(no name)'} · {r.url.netloc if r.url else 'not a URL'}": r
    for r in shown
}
if labels:
    picked = labels[st.selectbox("Offer", list(labels), key=BATCH_DETAIL)]
    st.button(
        "Open on the URL check page",
        on_click=set_url,
        args=(picked.item.text,),
        key=BATCH_OPEN,
    )
    if st.session_state.get(BATCH_OPEN):
        st.switch_page(URL_CHECK)
    checklist(list(picked.checks))
