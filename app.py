"""The app's frame: page config and the navigation over the pages in `pages/`, then the chosen page.
Run with `streamlit run app.py`."""

import streamlit as st

from pages._ui.routes import APP_NAME, pages
from pages._ui.state import URL_TEXT

page = st.navigation(pages())
st.set_page_config(page_title=f"{page.title} · {APP_NAME}", page_icon="🩺", layout="wide")
st.session_state.setdefault(URL_TEXT, "")
# Each page draws the sidebar's report context first thing (layout.sidebar_context): AppTest drops what
# this frame itself draws on every rerun after the first, so drawn here the context would go untested.
page.run()
