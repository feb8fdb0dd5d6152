"""Batch check: many offers' URLs at once, one row per offer with the guide's seven steps as columns."""

from typing import Any

import streamlit as st

from affilka_core import batch
from affilka_core.checks.model import Status
from affilka_core.checks.verdict import RETRY, RETRY_HEADLINE, RETRY_ICON
from affilka_core.guide import STEPS
from affilka_core.outputs.markdown import escape
from affilka_core.text import plural
from app_pages._ui.batch_rows import checked
from app_pages._ui.checklist import checklist
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
        st.error(f"**{upload.name} could not be read.** {exc}", icon="📄")
    else:
        st.info(
            f"Checking the {plural(len(items), 'offer')} of **{escape(upload.name)}**"
            + (" (the pasted list is kept; remove the file to check it)." if text.strip() else "."),
            icon="📄",
        )
        if not items:
            st.warning(f"{upload.name} holds no URLs: add a `url` column with one URL per row.", icon="📄")
else:
    items = batch.parse_batch_text(text)

if not items:
    if upload is None:
        st.info("Paste URLs above or upload a CSV to start. Nothing leaves this browser session.", icon="👆")
    st.stop()
refused = batch.too_many(items, settings().max_batch_urls)
if refused:
    # Nothing is checked, and nothing is lost: the list stays in the box to be split.
    st.error(f"**{refused}**", icon="✂️")
    st.stop()

# Fetch (optional): the same diagnosis as the home page's Fetch, a few reports at a time.
fetched: dict[str, batch.BatchRow] = st.session_state.setdefault(BATCH_FETCHED, {})
for gone in set(fetched) - {item.text for item in items}:
    del fetched[gone]  # a session keeps the fetched rows of the list it shows, no more
with st.container(border=True):
    want_fetch = st.checkbox(
        "Also fetch every report (token, columns, brands, dates)",
        key=BATCH_WANT_FETCH,
        help=f"{batch.DEFAULT_CONCURRENCY} reports at a time; each report's pages are fetched as on the URL "
        "check page.",
    )
    if want_fetch:
        distinct = len({item.text for item in items})
        if st.button(f"Fetch {plural(distinct, 'report')}", type="primary"):
            bar = st.progress(0.0, text=f"Fetched 0 of {distinct}")

            def progress(done: int, total: int) -> None:
                bar.progress(done / total, text=f"Fetched {done} of {total}")

            for row in batch.fetch_batch(items, on_progress=progress, settings=settings()):
                fetched[row.item.text] = row
            bar.empty()

view = checked(items, fetched)
rows, counts = view.rows, view.counts
done = sum(r.fetched for r in rows)
# Every offer lands in exactly one counter, so they add up to the offers.
cols = st.columns(5)
cols[0].metric("Offers", len(rows))
cols[1].metric("✅ Ready", counts[Status.PASS])
cols[2].metric("⚠️ Usable, to look at", counts[Status.WARN])
cols[3].metric("❌ Not usable yet", counts[Status.FAIL])
cols[4].metric(
    f"{RETRY_ICON} {RETRY_HEADLINE}",
    counts[RETRY],
    help="Affilka did not answer (rate limit, server error, timeout): the URL may be fine; fetch again "
    "later.",
)
if done == len(rows):
    st.caption(f"{done} of {len(rows)} fetched.")
elif done:
    st.caption(f"{done} of {len(rows)} fetched; the others are checked from their URL only.")

failing_only = st.toggle("Only offers that fail", key=BATCH_FAILING_ONLY)
shown, table = view.shown(failing_only)
config: dict[str, Any] = {
    col: st.column_config.TextColumn(
        f"{step.number}", help=f"Step {step.number} · {step.name}", width="small"
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
