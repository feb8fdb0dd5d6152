"""The pages fed hostile input, each finding of the hostile-sender review through the page that showed it:
a program host whose report quotes the token back and names campaigns, a brand, a currency and a
column to run as formulas, plant links and images or inject HTML; a URL whose conversion_currency does
the same; an uploaded file named to plant a link; batch lines and a paste that write the token as
`token:` or `token＝`; a recorded case holding such text; and a property over the URL check page,
Performance and Data with hostile text from every place at once. The downloads themselves are read in a
real browser in `test_browser.py`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from streamlit.testing.v1 import AppTest
from werkzeug import Response

from affilka_core import batch, cli
from affilka_core.analysis import metrics
from affilka_core.history.settings import HistorySettings
from affilka_core.history.store import open_store
from affilka_core.outputs.csv_writer import csv_bytes
from affilka_core.url.masking import mask_token
from app_pages._ui.exports import export_for
from app_pages._ui.routes import BATCH, DATA, HISTORY, PERFORMANCE
from tests.app.driver import (
    TIMEOUT_S,
    checked,
    click,
    everything,
    open_app,
    open_page,
    paste,
    rendered_markdown,
    report_of,
)
from tests.history.conftest import make_case, refused, worked
from tests.hostile import (
    FORMULA_CAMPAIGN,
    HOSTILE,
    QUOTED_FORMS,
    QUOTING_TOKEN,
    TOKENS,
    hostile_report,
    html_problems,
    live_formulas,
    markdown_problems,
    plotly_problems,
    quoted,
    report_json,
    shows_secret,
    url_with,
    zip_members,
)
from tests.support import APP, GUIDE_URL, fast_settings

REPORT = "/api/client/partner/report.json"
TOKEN = QUOTING_TOKEN
MASKED = mask_token(TOKEN)
FILE_NAME = "[LINKCANARY](https://evil.example/f) ![IMGCANARY](https://evil.example/f.png).json"
CONVERSION = "![IMGCANARY](https://evil.example/c.png) **EMPHCANARY**"
NOW = dt.datetime.now(dt.UTC)


@dataclass(frozen=True)
class Screen:
    """What a page showed: each text rendered as Markdown, and everything on it (tables, charts too)."""

    markdown: list[str]
    everything: str
    code: list[str]

    @classmethod
    def of(cls, at: AppTest) -> Screen:
        return cls(rendered_markdown(at), everything(at), [c.value for c in at.code])

    def problems(self) -> list[tuple[str, list[str]]]:
        """Markdown made from untrusted text, with the text that made it."""
        found = [(text, markdown_problems(text, links=True, headings=1)) for text in self.markdown]
        return [(text, problems) for text, problems in found if problems]


@dataclass(frozen=True)
class Visit:
    """A hostile host's report pasted, fetched and read page by page."""

    at: AppTest
    url: str
    host: str
    screens: dict[str, Screen]


@pytest.fixture(scope="module")
def visit() -> Iterator[Visit]:
    """The URL (conversion_currency planting an image, the token not hex) pasted and fetched from a
    host answering `hostile_report()`, then Performance and Data opened."""
    server = HTTPServer()
    server.expect_request(REPORT).respond_with_response(
        Response(hostile_report(), content_type="application/json")
    )
    server.start()
    host = f"{server.host}:{server.port}"
    url = url_with(GUIDE_URL, token=TOKEN, conversion_currency=CONVERSION).replace(
        "https://primetime.partners", f"http://{host}"
    )
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", host)
            at = click(paste(open_app(), url), "Fetch report")
            screens = {"url check": Screen.of(at)}
            screens["performance"] = Screen.of(open_page(at, PERFORMANCE))
            screens["data"] = Screen.of(open_page(at, DATA))
            yield Visit(at, url, host, screens)
    finally:
        server.clear()
        server.stop()


# --- a report that quotes the token back ------------------------------------------------------------


def test_a_report_quoting_the_token_shows_it_masked_on_every_page(visit):
    for name, screen in visit.screens.items():
        assert not shows_secret(screen.everything, TOKEN), name
    assert f"Promo {MASKED} spring" in visit.screens["data"].everything


def test_a_report_quoting_the_token_writes_it_masked_in_the_data_csv_the_zip_and_the_html(visit):
    report = report_of(visit.at)
    frame = report.frame
    export = export_for(report, None, frame, metrics.by_day(frame), metrics.kpis(frame), None, [], [])
    written = {"data csv": csv_bytes(frame, date_format="%Y-%m-%d"), "html": export.html_bytes()}
    written |= zip_members(export.zip_bytes())
    for name, data in written.items():
        assert not shows_secret(data.decode("utf-8-sig"), TOKEN), name
    assert f"Promo {MASKED} spring" in written["data csv"].decode("utf-8-sig")


def test_the_cli_masks_a_report_quoting_the_token_as_the_app_does(visit):
    out = io.StringIO()
    cli.main(["check", visit.url, "--fetch", "--json"], out, settings=fast_settings(visit.host))
    printed = json.loads(out.getvalue())
    assert not shows_secret(out.getvalue(), TOKEN)
    app = report_of(visit.at)
    assert printed["data"]["brands"] == app.parsed.brands and printed["data"]["totals"] == metrics.totals(
        app.frame
    )
    assert printed["insights"] == loaded_diagnosis(visit.at).insights_dicts()


def loaded_diagnosis(at: AppTest):
    return at.session_state["result"].diagnosis


# --- spreadsheets -----------------------------------------------------------------------------------


def test_the_data_pages_csv_defuses_campaign_names_a_spreadsheet_would_run(visit):
    at = open_page(visit.at, DATA)
    shown_rows = at.dataframe[0].value
    download = next(d for d in at.get("download_button") if d.proto.label == "Download these rows as CSV")
    written = csv_bytes(shown_rows, date_format="%Y-%m-%d")  # what the button holds
    assert not download.proto.disabled and not live_formulas(written)
    assert f"'{FORMULA_CAMPAIGN}".replace('"', '""') in written.decode("utf-8-sig")


def test_an_extra_metric_named_as_a_formula_reaches_the_zip_renamed_never_as_a_header(visit):
    report = report_of(visit.at)
    frame = report.frame
    export = export_for(report, None, frame, metrics.by_day(frame), metrics.kpis(frame), None, [], [])
    members = zip_members(export.zip_bytes())
    headers = {name: data.decode("utf-8-sig").splitlines()[0] for name, data in members.items()}
    assert "extra_HYPERLINK_https_evil_example_col_x" in headers["by_day.csv"]
    assert "extra_HYPERLINK_https_evil_example_col_x" in headers["by_campaign.csv"]
    assert not any(live_formulas(data) for data in members.values())


# --- Markdown from the URL and the report -----------------------------------------------------------


def test_a_conversion_currency_plants_no_link_or_image_in_the_checklist_or_the_ticket(visit):
    screen = visit.screens["url check"]
    converted = [text for text in screen.markdown if "IMGCANARY" in text]
    assert converted and not screen.problems()
    (ticket,) = [text for text in screen.code if text.startswith("### Affilka URL check")]
    assert "IMGCANARY" in ticket and not markdown_problems(ticket, headings=1)


def test_a_conversion_currency_plants_no_link_or_image_in_the_several_currencies_fix(visit):
    screen = visit.screens["performance"]
    (banner,) = [text for text in screen.markdown if "currencies (" in text and "Fix (step 5)" in text]
    assert "IMGCANARY" in banner and not markdown_problems(banner)


def test_currency_codes_and_brand_names_from_the_report_are_escaped_wherever_shown(visit):
    screen = visit.screens["performance"]
    cards = [text for text in screen.markdown if "IMGCANARY" in text]
    brands = [text for text in screen.markdown if "EMPHCANARY" in text]
    assert len(cards) > 4 and brands  # cards, captions, the header, the banner, the brand picker
    assert not screen.problems()


def test_no_page_renders_markdown_made_from_the_url_or_the_report(visit):
    for name, screen in visit.screens.items():
        assert not screen.problems(), name


def test_charts_draw_no_markup_from_the_report(visit):
    charts = [chart.proto.spec for chart in open_page(visit.at, PERFORMANCE).get("plotly_chart")]
    assert any("HTMLCANARY" in spec for spec in charts)
    assert not any(plotly_problems(spec) for spec in charts)


# --- every page, hostile text from every place: a property ------------------------------------------

# Each example opens three pages, a second or so each: a tenth of the profile's examples.
PAGE_EXAMPLES = max(3, settings.default.max_examples // 10)


@settings(max_examples=PAGE_EXAMPLES, deadline=None)
@given(
    token=TOKENS,
    form=st.sampled_from(QUOTED_FORMS),
    brand=HOSTILE,
    campaign=HOSTILE,
    currency=HOSTILE,
    conversion=HOSTILE,
    file_name=HOSTILE,
)
def test_no_page_shows_a_secret_or_markdown_made_from_hostile_text(
    token, form, brand, campaign, currency, conversion, file_name
):
    """A URL (a token of any shape, a hostile conversion_currency) pasted, then a saved report uploaded
    under a hostile name, its brand, campaigns and currency hostile and one campaign quoting the token:
    the URL check page (checklist and ticket), Performance and Data."""
    body = report_json(
        brands=[brand], campaigns=[campaign, quoted(token, form), "Spring banners"], currency=currency,
        extra_metric="visits_unique",
    )  # fmt: skip
    at = upload(paste(open_app(), url_with(GUIDE_URL, token=token, conversion_currency=conversion)),
                f"{file_name}.json", body)  # fmt: skip
    screens = {
        "url check": Screen.of(at),
        "performance": Screen.of(open_page(at, PERFORMANCE)),
        "data": Screen.of(open_page(at, DATA)),
    }
    assert "Spring banners" in screens["data"].everything  # the report is on the pages
    for name, screen in screens.items():
        shown = "\n".join([screen.everything, *screen.markdown, *screen.code])
        assert not shows_secret(shown, token), name
        assert not screen.problems(), name
    assert not any(shows_secret(str(value), token) for value in at.query_params.values())


# --- a saved file -----------------------------------------------------------------------------------


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader(key="report_file").set_value((name, data, "application/json"))
    return checked(at.run())


@pytest.fixture(scope="module")
def file_first() -> Iterator[tuple[Screen, Screen, AppTest]]:
    """The hostile report uploaded under a hostile name with nothing pasted (the URL check page), then
    the URL holding its token pasted (the Data page)."""
    at = upload(open_app(), FILE_NAME, hostile_report("USD"))
    before = Screen.of(at)
    paste(at, url_with(GUIDE_URL, token=TOKEN))
    yield before, Screen.of(open_page(at, DATA)), at


def test_an_uploaded_files_name_is_escaped_wherever_shown(file_first):
    before, data, _ = file_first
    for screen in (before, data):
        named = [text for text in screen.markdown if "LINKCANARY" in text]
        assert named and not screen.problems()


def test_a_saved_file_is_masked_with_the_token_of_a_url_pasted_after_it(file_first):
    _, data, _ = file_first
    assert not shows_secret(data.everything, TOKEN) and f"Promo {MASKED} spring" in data.everything


def test_a_saved_file_is_masked_with_the_token_of_the_url_pasted_before_it(home):
    at = upload(paste(home, url_with(GUIDE_URL, token=TOKEN)), f"report {TOKEN}.json", hostile_report("USD"))
    assert not shows_secret(everything(at), TOKEN)
    assert not shows_secret(everything(open_page(at, DATA)), TOKEN)


# --- batch lines and pasted text ------------------------------------------------------------------


def test_the_batch_csv_defuses_every_cell_and_a_line_that_is_not_a_url(home):
    lines = f"\t=1+1, {GUIDE_URL}\n\r=2+2 not a url\n=cmd|' /C calc'!A0\n"
    at = paste(open_page(home, BATCH), lines, key="batch_input")
    assert len(at.dataframe[0].value) == 3
    # The page downloads batch_csv of the rows it shows; the same rows, from the same paste:
    written = batch.batch_csv(batch.check_batch(batch.parse_batch_text(lines)))
    assert not live_formulas(written)
    assert "'=cmd|' /C calc'!A0" in written.decode("utf-8-sig")


FORMS = ["token:{t}", "token＝{t}", "token\\u003d{t}"]


def test_a_token_written_with_a_colon_or_a_full_width_or_escaped_equals_is_masked_on_the_page(home):
    prose = " ".join(form.format(t=TOKEN) for form in FORMS)
    at = paste(home, f"{url_with(GUIDE_URL, token=TOKEN)} — and again: {prose}")
    assert not shows_secret(everything(at), TOKEN)
    out = io.StringIO()
    cli.main(["check", f"{GUIDE_URL} {prose}"], out, settings=fast_settings())
    assert not shows_secret(out.getvalue(), TOKEN)


def test_no_html_from_the_report_reaches_the_summary(visit):
    report = report_of(visit.at)
    frame = report.frame
    export = export_for(report, None, frame, metrics.by_day(frame), metrics.kpis(frame), None, [], [])
    assert not html_problems(export.html_bytes().decode())


# --- the history ------------------------------------------------------------------------------------


def test_a_hostile_case_shows_as_written_in_the_history_and_its_page(sqlite_history, home):
    """A case whose conversion_currency plants an image and whose user is named to plant a link: the
    list, the Offer that broke and the case's page."""
    hostile_url = url_with(GUIDE_URL, conversion_currency=CONVERSION)
    ok = worked(
        make_case(hostile_url, at=NOW - dt.timedelta(days=2), user="[LINKCANARY](https://evil.example)")
    )
    store = open_store(HistorySettings(url=sqlite_history, days=0))
    store.record(ok)
    broke = store.record(refused(dataclasses.replace(ok, at=NOW - dt.timedelta(days=1))))
    listed = open_page(home, HISTORY)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
    at.switch_page(HISTORY)
    at.query_params["case"] = str(broke)
    case = checked(at.run())
    for screen in (Screen.of(listed), Screen.of(case)):
        assert not screen.problems()
    assert any("LINKCANARY" in text for text in Screen.of(case).markdown)
    assert any("IMGCANARY" in text for text in Screen.of(case).markdown)
