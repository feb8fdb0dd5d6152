"""The frame: st.navigation over the pages in pages/, each reachable, titled and with the sidebar's
report context."""

from __future__ import annotations

import pytest

from app_pages._ui.routes import BATCH, DATA, GUIDE, HISTORY, PERFORMANCE, URL_CHECK
from tests.app.driver import click, open_page

TITLES = {
    URL_CHECK: "🩺 Affilka URL doctor",
    PERFORMANCE: "Performance",
    DATA: "Data",
    BATCH: "📋 Batch check",
    GUIDE: "🧭 Setup guide",
    HISTORY: "🗄️ History",
}


def test_the_app_opens_on_the_url_check(home):
    assert home.title[0].value == TITLES[URL_CHECK]


@pytest.mark.parametrize("page", list(TITLES))
def test_every_page_opens_with_nothing_loaded(home, page):
    assert open_page(home, page).title[0].value == TITLES[page]


@pytest.mark.parametrize("page", list(TITLES))
def test_every_page_shows_the_report_context_in_the_sidebar(home, page):
    at = open_page(click(home, "Try with demo data"), page)
    assert any("🧪 Demo data" in m.value for m in at.sidebar.markdown)
    assert any(c.value.startswith("**Next:**") for c in at.sidebar.caption)


def test_the_sidebar_has_no_hand_written_page_links(home):
    # st.navigation draws the pages; a second list of links would drift from it.
    assert not [link for link in home.sidebar.get("page_link")]


def test_the_pasted_url_survives_a_round_trip_through_other_pages(home):
    at = home
    at.text_area(key="url_input").input("https://example.com/api/client/partner/report.json?page=1").run()
    for page in (PERFORMANCE, DATA, BATCH, GUIDE, URL_CHECK):
        open_page(at, page)
    assert at.session_state["url_text"] == "https://example.com/api/client/partner/report.json?page=1"
    assert "page=1" in at.text_area(key="url_input").value
