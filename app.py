"""The app's frame: page config, `st.navigation` over the pages in `app_pages/`, the settings this run
reads from the environment (the history's also from the secrets file), and the sidebar's report context,
drawn once here for every page; and, once per process, the allocator asked to give large buffers back
(`app_pages/_ui/allocator.py`).
Run with `streamlit run app.py`."""

import streamlit as st

from affilka_core.errors import BadSetting
from affilka_core.fetch.settings import FetchSettings
from affilka_core.outputs.markdown import md
from app_pages._ui.allocator import give_large_buffers_back
from app_pages._ui.history import start_history
from app_pages._ui.layout import sidebar_context
from app_pages._ui.routes import APP_NAME, pages
from app_pages._ui.session import SETTINGS, URL_TEXT

give_large_buffers_back()  # before any session's work: see app_pages/_ui/allocator.py
page = st.navigation(pages())
st.set_page_config(page_title=f"{page.title} · {APP_NAME}", page_icon="🩺", layout="wide")
st.session_state.setdefault(URL_TEXT, "")
try:
    st.session_state[SETTINGS] = FetchSettings.from_env()
    start_history()
except BadSetting as exc:
    # Said instead of the page: every page would run with a budget nobody asked for.
    st.error(md("**The app's environment needs fixing.** {} Then restart the app.", str(exc)), icon="⚙️")
    st.stop()
sidebar_context()
page.run()
