"""The app's pages: their files, titles, icons and stable URL paths, for `st.navigation` and page links."""

from __future__ import annotations

import streamlit as st

APP_NAME = "Affilka URL doctor"

# Page files, relative to app.py: what st.page_link, st.switch_page and AppTest.switch_page take.
URL_CHECK = "app_pages/url_check.py"
PERFORMANCE = "app_pages/performance.py"
DATA = "app_pages/data.py"
BATCH = "app_pages/batch_check.py"
GUIDE = "app_pages/setup_guide.py"
HISTORY = "app_pages/history.py"


def pages() -> list[st.Page]:
    """Every page in sidebar order; the URL check is the default, at the app's root."""
    return [
        st.Page(URL_CHECK, title="URL check", icon="🩺", default=True),
        st.Page(PERFORMANCE, title="Performance", icon="📈", url_path="performance"),
        st.Page(DATA, title="Data", icon="🗂️", url_path="data"),
        st.Page(BATCH, title="Batch check", icon="📋", url_path="batch"),
        st.Page(GUIDE, title="Setup guide", icon="🧭", url_path="guide"),
        st.Page(HISTORY, title="History", icon="🗄️", url_path="history"),
    ]
