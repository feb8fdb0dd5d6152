"""What an account manager reads, in a real browser: every KPI, comparison and Offer card whole (value, label
and change) at 1024, 1100 and 1280 px with the sidebar open, real totals included; the Performance download
holding what the page shows; and Batch check's counters moving while its fetch runs. `streamlit run app.py`
against the mock Affilka, driven by headless Chromium. Skipped without Chromium unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from affilka_mock.mock_server import MockAffilka
from tests.app.browser import ARTIFACTS, chromium_page, running_app
from tests.support import TOKEN

pytestmark = pytest.mark.browser

END = dt.date(2026, 4, 21)
WIDTHS = (1024, 1100, 1280)
# Every text of a figure card that the browser cut short with an ellipsis: its text runs wider than the box
# that clips it.
CUT_CARD_TEXTS = """() => [...document.querySelectorAll("[data-testid='stMetric'] .stMarkdownEllipsis")]
  .filter(box => {
    const text = box.querySelector('p') || box;
    return text.getBoundingClientRect().width > box.clientWidth + 0.5 || box.scrollWidth > box.clientWidth;
  })
  .map(box => box.innerText)"""


@pytest.fixture(scope="module")
def big() -> Iterator[MockAffilka]:
    """A year of 20 campaigns: 90 days of it hold totals in the millions, as real programs have."""
    with MockAffilka(token=TOKEN, days=365, brands=1, campaigns=20, end_date=END) as server:
        yield server


@pytest.fixture(scope="module")
def slow() -> Iterator[MockAffilka]:
    """A small report served slowly, so a batch fetch can be watched while it runs."""
    with MockAffilka(token=TOKEN, days=5, brands=1, campaigns=2, latency_ms=1500, end_date=END) as server:
        yield server


@pytest.fixture(scope="module")
def app_url(big: MockAffilka, slow: MockAffilka) -> Iterator[str]:
    """The app, allowed to fetch both mocks, one request at a time per host (a batch's rows then finish
    one after another)."""
    env = {
        "AFFILKA_ALLOW_PRIVATE_HOSTS": f"{big.host_port},{slow.host_port}",
        "AFFILKA_HOST_CONCURRENCY": "1",
    }
    with running_app(env) as base:
        yield base


@pytest.fixture(scope="module")
def browser_page(app_url: str) -> Iterator[Any]:
    """One Chromium page for the module's tests (one browser per process: Playwright's sync API)."""
    with chromium_page(2000) as page:
        yield page


def _open_performance(page: Any, app_url: str, big: MockAffilka) -> None:
    from playwright.sync_api import expect

    page.set_viewport_size({"width": WIDTHS[0], "height": 2000})
    page.goto(app_url)
    # 90 days of the year: the previous 90 have data too, for the comparison.
    url = big.report_url(date_from=END - dt.timedelta(days=89), date_to=END)
    page.get_by_role("textbox", name="Affilka report URL").fill(url)
    page.get_by_role("button", name="Check URL").click()
    page.get_by_role("button", name="Fetch report").click()
    page.get_by_role("link", name="Open Performance").click()
    expect(page.get_by_role("heading", name="Headline figures")).to_be_visible()
    page.get_by_text("Compare with the previous period").click()
    expect(page.get_by_text("Campaigns that gained most partner income")).to_be_visible()
    picker = page.get_by_test_id("stMultiSelect").filter(has_text="This Offer's campaigns")
    picker.locator("input").click()
    picker.locator("input").fill("Spring banners")
    expect(page.get_by_role("option", name=re.compile("Spring banners"))).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.get_by_text("What CasinoFlux will attribute to this Offer")).to_be_visible()


@pytest.fixture
def performance(browser_page: Any, app_url: str, big: MockAffilka) -> Any:
    """Performance for a year's report, with the comparison on and an Offer's campaign picked: every kind
    of figure card on screen. Opened once; again only if another test left the page."""
    page = browser_page
    if not page.get_by_text("What CasinoFlux will attribute to this Offer").is_visible():
        _open_performance(page, app_url, big)
    return page


@pytest.mark.parametrize("width", WIDTHS)
def test_every_figure_card_is_whole_with_the_sidebar_open(performance, width):
    page = performance
    page.set_viewport_size({"width": width, "height": 2000})
    page.wait_for_timeout(800)  # let the cards flow into their rows
    assert page.get_by_test_id("stSidebar").is_visible()
    cards = page.get_by_test_id("stMetric")
    assert cards.count() >= 11 + 11 + 6  # headline figures, their changes, the Offer's split
    assert any(re.search(r"\d[kM]$", v) for v in page.get_by_test_id("stMetricValue").all_inner_texts())
    page.get_by_role("heading", name="Headline figures").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"kpi_cards_{width}.png"))
    assert page.evaluate(CUT_CARD_TEXTS) == []


def test_the_performance_download_holds_the_comparison_and_the_offer_split(performance):
    page = performance
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the figures (CSV, zip)").click()
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert {"by_day.csv", "kpis.csv", "comparison.csv", "comparison_campaigns.csv", "offer.csv"} <= set(
        archive.namelist()
    )
    by_day = pd.read_csv(archive.open("by_day.csv"), encoding="utf-8-sig", dtype=str)
    assert set(by_day["currency"]) == {"EUR"}
    assert all(re.fullmatch(r"-?\d+(\.\d{1,2})?", v) for v in by_day["partner_income"].dropna())
    offer = pd.read_csv(archive.open("offer.csv"), encoding="utf-8-sig")
    assert set(offer["part"]) == {"this Offer", "other deals"}
    for member in archive.namelist():
        assert TOKEN.encode() not in archive.read(member)


def test_batch_counters_move_while_its_fetch_runs(browser_page, app_url: str, slow: MockAffilka):
    from playwright.sync_api import expect

    page = browser_page
    lines = "\n".join(
        f"offer {day}, {slow.report_url(date_to=dt.date(2026, 4, day))}" for day in (19, 20, 21)
    )
    page.goto(f"{app_url}/batch")
    box = page.get_by_role("textbox", name="Report URLs, one per line")
    box.fill(lines)
    box.blur()
    page.get_by_text("Also fetch every report").click()
    page.get_by_role("button", name="Fetch 3 reports").click()
    # One request at a time to the host, 1.5 s each: the counters say so between the rows.
    expect(page.get_by_text(re.compile(r"Fetching: [12] of 3 fetched so far"))).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "batch_while_fetching.png"))
    expect(page.get_by_text("3 of 3 fetched.")).to_be_visible()
    assert page.evaluate(CUT_CARD_TEXTS) == []  # "⏳ Could not verify now" whole too
