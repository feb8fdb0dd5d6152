"""The app's frame: page config, navigation over the pages in `pages/`, the sidebar's report context,
then the chosen page. Run with `streamlit run app.py`."""

import streamlit as st

from pages._ui.layout import report_context
from pages._ui.routes import APP_NAME, pages
from pages._ui.state import URL_TEXT

page = st.navigation(pages())
st.set_page_config(page_title=f"{page.title} · {APP_NAME}", page_icon="🩺", layout="wide")
st.session_state.setdefault(URL_TEXT, "")
with st.sidebar:
    report_context()
page.run()
