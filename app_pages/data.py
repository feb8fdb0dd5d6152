"""Data: the normalized report table, filtered by brand and campaign, downloadable as CSV."""

from typing import Any

import streamlit as st

from affilka_core.analysis import metrics
from affilka_core.analysis.registry import kind, label
from affilka_core.outputs.csv_writer import csv_bytes
from affilka_core.outputs.formatting import money_format
from affilka_core.outputs.markdown import md
from app_pages._ui.layout import report_page
from app_pages._ui.session import DATA_BRANDS, DATA_CAMPAIGNS

page = report_page(
    "Data",
    "🗂️",
    md("The table lists every brand's rows, each with its brand; pick brands below to see fewer."),
)
if page is None:
    st.stop()
result, report = page

frame = report.frame
currency = metrics.main_currency(frame)
brands = report.parsed.brands
st.caption("One row per day, brand and campaign, as CasinoFlux reads them.")

left, right = st.columns(2)
picked_brands = left.multiselect("Brands", brands, key=DATA_BRANDS, placeholder="All brands")
campaign_options = sorted(str(c) for c in frame["campaign"].dropna().unique()) if "campaign" in frame else []
picked_campaigns = right.multiselect(
    "Campaigns", campaign_options, key=DATA_CAMPAIGNS, placeholder="All campaigns"
)


# Not cached: filtering takes a millisecond, and a cached copy of the table would be one more report per
# session held in memory. The CSV is built only when downloaded, never on every run.
shown = metrics.only(frame, brands=picked_brands, campaigns=picked_campaigns)
money_shown = money_format(currency)
config: dict[str, Any] = {
    "date": st.column_config.DateColumn("Date", format="YYYY-MM-DD"),
    "brand": st.column_config.TextColumn("Brand"),
    "campaign": st.column_config.TextColumn("Campaign"),
    "campaign_id": st.column_config.TextColumn("Campaign id"),
    "currency": st.column_config.TextColumn("Currency"),
}
for column in metrics.metric_columns(frame):
    is_money = kind(column) == "money"
    config[column] = st.column_config.NumberColumn(
        label(column), format=money_shown if is_money else "localized"
    )

st.markdown(md("**{:,}** of {:,} rows", len(shown), len(frame)))
if shown.empty:
    st.info(
        "No rows match these filters."
        if len(frame)
        else "The report has no rows (see step 5 on the URL check page)."
    )
else:
    st.dataframe(shown, column_config=config, hide_index=True, width="stretch", height=480)
st.download_button(
    "Download these rows as CSV",
    data=lambda: csv_bytes(shown, date_format="%Y-%m-%d"),
    file_name=f"affilka-{report.rows_from or report.date_from}-{report.rows_to or report.date_to}.csv",
    mime="text/csv",
    disabled=shown.empty,
)

with st.expander("Raw JSON: the start of the first page (token masked)"):
    st.code(report.preview or "(nothing)", language="json")
