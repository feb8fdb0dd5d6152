"""The whole flow once, in a real browser: `streamlit run app.py` against the mock Affilka, driven by
headless Chromium through Playwright: paste, check, fetch, open Performance, move through the sidebar's
navigation, fetch again; and what a hostile report's downloads hold, read as files. Skipped without
Chromium unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from affilka_mock.mock_server import MockAffilka
from tests.app.browser import ARTIFACTS, chromium_page, running_app
from tests.hostile import (
    FORMULA_CAMPAIGN,
    QUOTING_TOKEN,
    hostile_report,
    html_problems,
    live_formulas,
    shows_secret,
    url_with,
    zip_members,
)
from tests.support import GUIDE_URL, TOKEN

pytestmark = pytest.mark.browser


STEP_7 = "Step 7 · Copy the browser URL into CasinoFlux"


def checklist_step(page: Any, title: str) -> Any:
    """A step's heading in the checklist, its status icon first; not the same words in the ticket's
    code block, which the page also holds (inside a closed expander)."""
    return page.get_by_text(re.compile(rf"^\S+ {re.escape(title)}$"))


def _first_pages(server: MockAffilka) -> int:
    """How many times the server was asked for page 1: once per fetch."""
    return sum(path.endswith("page=1") or "page=1&" in path for path in server.requests)


@pytest.fixture(scope="module")
def mock() -> Iterator[MockAffilka]:
    with MockAffilka(token=TOKEN, days=45, brands=1, campaigns=10, page_size=100, latency_ms=30,
                     end_date=dt.date(2026, 4, 21)) as server:  # fmt: skip
        yield server


@pytest.fixture(scope="module")
def history_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The app's case history: a SQLite file of its own."""
    return f"sqlite:///{tmp_path_factory.mktemp('history') / 'history.sqlite3'}"


@pytest.fixture(scope="module")
def app_url(mock: MockAffilka, history_url: str) -> Iterator[str]:
    with running_app(
        {"AFFILKA_ALLOW_PRIVATE_HOSTS": mock.host_port, "AFFILKA_HISTORY_URL": history_url}
    ) as base:
        yield base


def test_paste_check_fetch_and_see_performance(app_url: str, mock: MockAffilka):
    from playwright.sync_api import expect

    with chromium_page(2400) as page:
        page.goto(app_url)
        page.get_by_role("textbox", name="Affilka report URL").fill(mock.report_url())
        page.get_by_role("button", name="Check URL").click()

        expect(page.get_by_text(f"✅ {STEP_7}", exact=True)).to_be_visible()
        expect(page.get_by_text("Usable.")).to_be_visible()
        assert TOKEN not in page.inner_text("body")
        expect(page.get_by_role("textbox", name="Affilka report URL")).to_have_value(
            mock.report_url().replace(TOKEN, "b7e3…5678")
        )
        page.screenshot(path=str(ARTIFACTS / "checklist.png"))
        # The ticket repeats every step in a code block; the checklist's locator still finds one.
        page.get_by_text("Copy for a support ticket").click()
        expect(page.get_by_test_id("stCode").filter(has_text=STEP_7)).to_be_visible()
        expect(checklist_step(page, STEP_7)).to_have_count(1)

        page.get_by_role("button", name="Fetch report").click()
        expect(page.get_by_text("Fetched 5 pages: 450 rows")).to_be_visible()
        expect(page.get_by_text("Report fetched: the token works")).to_be_visible()
        assert TOKEN not in page.inner_text("body")

        page.get_by_role("link", name="Open Performance").click()
        expect(page.get_by_role("heading", name="Performance")).to_be_visible()
        assert page.url.endswith("/performance")
        charts = page.locator("[data-testid='stPlotlyChart'] .main-svg")
        expect(charts.first).to_be_visible()
        expect(page.locator("[data-testid='stPlotlyChart'] .scatterlayer .trace").first).to_be_attached()
        page.wait_for_timeout(500)  # let Plotly finish drawing before the picture
        page.screenshot(path=str(ARTIFACTS / "performance.png"), full_page=True)
        assert TOKEN not in page.inner_text("body")

        # st.navigation's sidebar lists every page; the report context stays under it.
        sidebar = page.get_by_test_id("stSidebar")
        for name in ("URL check", "Performance", "Data", "Batch check", "Setup guide"):
            expect(sidebar.get_by_role("link", name=name)).to_be_visible()
        expect(sidebar.get_by_text("Live report")).to_be_visible()
        sidebar.get_by_role("link", name="Setup guide").click()
        expect(page.get_by_role("heading", name="Setup guide")).to_be_visible()
        assert page.url.endswith("/guide") and TOKEN not in page.url
        sidebar.get_by_role("link", name="URL check").click()
        expect(page.get_by_role("textbox", name="Affilka report URL")).to_have_value(
            mock.report_url().replace(TOKEN, "b7e3…5678")
        )
        assert TOKEN not in page.url and TOKEN not in page.inner_text("body")

        # Fetch again asks Affilka again: the server sees page 1 a second time.
        asked = _first_pages(mock)
        page.get_by_role("button", name="Fetch again").click()
        deadline = time.monotonic() + 30
        while _first_pages(mock) == asked and time.monotonic() < deadline:
            page.wait_for_timeout(200)
        assert _first_pages(mock) == asked + 1
        expect(page.get_by_text("Fetched 5 pages: 450 rows")).to_be_visible()
    assert (ARTIFACTS / "performance.png").stat().st_size > 10_000


def test_a_scenario_then_performance_with_findings_and_the_comparison(app_url: str):
    from playwright.sync_api import expect

    with chromium_page(5200) as page:
        badge = page.get_by_text("Demo scenario: A campaign stopped converting").first
        page.goto(app_url)
        picker = page.get_by_test_id("stSelectbox").filter(has_text="Or show a demo scenario")
        picker.locator("input").click()
        picker.locator("input").fill("stopped converting")
        page.keyboard.press("Enter")
        expect(badge).to_be_visible()
        expect(page.get_by_text("Ready for CasinoFlux.")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / "scenario.png"))

        page.get_by_role("link", name="See this scenario's performance").click()
        expect(page.get_by_role("heading", name="What stands out")).to_be_visible()
        alert = page.get_by_test_id("stAlertContentError").filter(has_text="stopped converting").first
        expect(alert).to_be_visible()
        expect(badge).to_be_visible()

        page.get_by_text("Compare with the previous period").click()
        expect(page.get_by_text("Campaigns that gained most partner income")).to_be_visible()
        expect(page.get_by_text("against the last").first).to_be_attached()
        expect(page.get_by_role("button", name="Download a summary (HTML)")).to_be_visible()
        traces = page.locator("[data-testid='stPlotlyChart'] .scatterlayer .trace")
        expect(traces.first).to_be_attached()
        page.wait_for_timeout(1500)  # let Plotly finish drawing every chart before the picture
        page.screenshot(path=str(ARTIFACTS / "performance_findings_comparison.png"), full_page=True)

        # The finding's link leads to the chart that shows it.
        alert.get_by_role("link").first.click()
        page.wait_for_timeout(300)
        assert page.url.endswith("#by-campaign")
    assert (ARTIFACTS / "performance_findings_comparison.png").stat().st_size > 10_000


def test_a_hostile_report_downloads_defused_and_masked(app_url: str, tmp_path):
    """A saved report quoting the pasted URL's token, with campaigns and a column named as formulas:
    what the Data and Performance pages download, read as a spreadsheet would."""
    from playwright.sync_api import expect

    with chromium_page(2400) as page:
        page.goto(app_url)
        page.get_by_role("textbox", name="Affilka report URL").fill(url_with(GUIDE_URL, token=QUOTING_TOKEN))
        page.get_by_role("button", name="Check URL").click()
        expect(checklist_step(page, STEP_7)).to_be_visible()
        page.locator("input[type=file]").first.set_input_files(
            files=[{"name": "saved.json", "mimeType": "application/json", "buffer": hostile_report("USD")}]
        )
        expect(page.get_by_text("Saved report loaded").first).to_be_visible()

        page.get_by_test_id("stSidebar").get_by_role("link", name="Data").click()
        table = page.get_by_test_id("stDataFrame")
        expect(table).to_be_visible()
        table.hover()
        # The table's own export writes cells as they are: it is off, the page's button is the way.
        expect(page.get_by_role("button", name="Download as CSV")).to_have_count(0)
        data_csv = downloaded(page, "Download these rows as CSV")
        assert not live_formulas(data_csv) and not shows_secret(data_csv.decode("utf-8-sig"), QUOTING_TOKEN)
        assert FORMULA_CAMPAIGN.startswith("=") and "'=HYPERLINK" in data_csv.decode("utf-8-sig")
        assert not shows_secret(page.inner_text("body"), QUOTING_TOKEN)

        page.get_by_test_id("stSidebar").get_by_role("link", name="Performance").click()
        expect(page.get_by_role("button", name="Download the figures (CSV, zip)")).to_be_visible()
        members = zip_members(downloaded(page, "Download the figures (CSV, zip)"))
        assert set(members) == {"by_day.csv", "by_campaign.csv", "kpis.csv", "findings.csv"}
        for name, data in members.items():
            assert not live_formulas(data), name
            assert not shows_secret(data.decode("utf-8-sig"), QUOTING_TOKEN), name
        assert "extra_HYPERLINK" in members["by_day.csv"].decode("utf-8-sig").splitlines()[0]
        summary = downloaded(page, "Download a summary (HTML)").decode()
        assert not html_problems(summary) and not shows_secret(summary, QUOTING_TOKEN)
        assert not shows_secret(page.inner_text("body"), QUOTING_TOKEN)


def downloaded(page: Any, button: str) -> bytes:
    """The bytes of the file a download button gives."""
    with page.expect_download() as download:
        page.get_by_role("button", name=button).click()
    return Path(download.value.path()).read_bytes()


def test_a_check_lands_in_the_history_and_its_link_opens_the_case_for_a_colleague(
    app_url: str, mock: MockAffilka, history_url: str
):
    from playwright.sync_api import expect

    from affilka_core.history.settings import HistorySettings
    from affilka_core.history.store import open_store

    with chromium_page(2400) as page:
        page.goto(app_url)
        page.get_by_role("textbox", name="Affilka report URL").fill(mock.report_url(token="e" * 32))
        page.get_by_role("button", name="Check URL").click()
        saved = page.get_by_role("link", name="Saved to the history as case")
        expect(saved).to_be_visible()
        page.get_by_role("button", name="Fetch report").click()
        expect(page.get_by_text("Fetch failed: Token expired or invalid", exact=True)).to_be_visible()
        expect(saved).to_be_visible()

        page.get_by_test_id("stSidebar").get_by_role("link", name="History").click()
        expect(page.get_by_role("heading", name="History")).to_be_visible()
        expect(page.get_by_role("heading", name=re.compile(r"^Recent cases \(\d+\)"))).to_be_visible()
        expect(page.get_by_test_id("stDataFrame")).to_be_visible()
        assert page.url.endswith("/history") and TOKEN not in page.url
        page.wait_for_timeout(500)  # let the table draw before the picture
        page.screenshot(path=str(ARTIFACTS / "history.png"), full_page=True)

        newest = open_store(HistorySettings(url=history_url, days=0)).recent(limit=1)[0]
        # A colleague opens the link in their own browser session: a fresh page load.
        page.goto(f"{app_url}/history?case={newest.id}")
        expect(page.get_by_role("heading", name=f"Case {newest.id}")).to_be_visible()
        expect(page.get_by_text("Checked by anonymous")).to_be_visible()
        expect(page.get_by_text("Token expired or invalid").first).to_be_visible()
        expect(checklist_step(page, STEP_7)).to_be_visible()
        expect(page.get_by_text(f"/history?case={newest.id}")).to_be_visible()
        body = page.inner_text("body")
        assert TOKEN not in body and "e" * 32 not in body and "e" * 32 not in page.url
        page.screenshot(path=str(ARTIFACTS / "history_case.png"), full_page=True)

        # The token box checks it again live: with the right token the Offer works again.
        page.get_by_label("Token").fill(TOKEN)
        page.get_by_role("button", name="Check again live").click()
        again_link = page.get_by_role("link", name=re.compile(r"^Checked again: .+ open case \d+$"))
        expect(again_link).to_be_visible()
        assert page.get_by_label("Token").input_value() == ""
        assert TOKEN not in page.inner_text("body") and TOKEN not in page.url
    again = open_store(HistorySettings(url=history_url, days=0)).recent(limit=1)[0]
    assert again.id > newest.id and again.verdict != "fix"
