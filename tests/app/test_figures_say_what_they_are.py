"""Every figure an account manager reads says what it is: one format per kind on a set of cards with the full
figure on hover, the rows' real dates wherever dates are shown, a finding's link showing what it names and
separate days listed as days, an unchanged figure neutral, and downloads holding what the page shows (the
comparison and the Offer's split too, money to cents with its currency)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator

import pandas as pd
import pytest
from pytest_httpserver import HTTPServer
from streamlit.proto.Metric_pb2 import Metric

from affilka_core.analysis import metrics
from affilka_core.analysis.compare import campaign_movers, kpi_deltas
from affilka_core.analysis.offer import split_offer
from affilka_core.analysis.registry import kind
from affilka_core.demo import demo_report
from affilka_core.guide import REPORT_PATH
from affilka_core.outputs.tables import comparison_rows, mover_rows, offer_rows
from app_pages._ui.exports import export_for
from app_pages._ui.routes import PERFORMANCE
from tests.app.conftest import END
from tests.app.driver import checked, click, loaded, open_page, paste_and_fetch, plotly_specs, report_of
from tests.support import GUIDE_URL

_ABBREVIATED = re.compile(r"\d[kMB]\b")
_NEGATIVE_DAYS = ("2026-04-03", "2026-04-07")


def live(home, mock, page: str = PERFORMANCE, **options):
    with mock(**options) as server:
        return open_page(paste_and_fetch(home, server.report_url()), page)


def compare_on(at):
    return checked(at.toggle(key="perf_compare").set_value(True).run())


def kinds_of(at) -> dict[str, list[tuple[str, str]]]:
    """The headline cards (label, value) by kind of figure."""
    by_kind: dict[str, list[tuple[str, str]]] = {}
    names = {"Visits": "visits_count", "Registrations": "registrations_count", "FTDs": "first_deposits_count"}
    names |= {"Deposits": "deposits_sum", "NGR": "ngr", "Partner income": "partner_income", "EPC": "epc"}
    for m in at.metric:
        if m.label in names:
            by_kind.setdefault(kind(names[m.label]), []).append((m.label, m.value))
    return by_kind


def test_a_set_of_cards_uses_one_format_per_kind_with_the_full_figure_on_hover(home, mock):
    at = live(home, mock, days=60, campaigns=14)  # over 100,000 visits: counts are abbreviated
    cards = kinds_of(at)
    counts = dict(cards["count"])
    assert _ABBREVIATED.search(counts["Visits"])
    # Every count from a thousand up is abbreviated alike, never "358k" beside "34,686".
    assert not mixes_formats(list(counts.values())), counts
    visits = int(report_of(at).frame["visits_count"].sum())
    (card,) = [m for m in at.metric if m.label == "Visits"]
    assert f"{visits:,}" in card.help  # the full figure on hover


def mixes_formats(texts: list[str]) -> bool:
    """Whether figures of one kind mix abbreviated ("140k") and full ("12,852") forms."""
    return any(_ABBREVIATED.search(t) for t in texts) and any(re.search(r"\d,\d{3}", t) for t in texts)


def test_the_changes_beside_the_cards_use_one_format_per_kind_too(home, mock):
    # The last 60 of 90 days against the 30 before them: visits grow by over 100,000, registrations by
    # thousands.
    with mock(days=90, campaigns=14) as server:
        url = server.report_url(date_from=END - dt.timedelta(days=59), date_to=END)
        at = compare_on(open_page(paste_and_fetch(home, url), PERFORMANCE))
    changes = {m.label: m.proto.delta.split()[0] for m in at.metric if m.proto.delta}
    counts = [changes[name] for name in ("Visits", "Registrations", "FTDs")]
    assert _ABBREVIATED.search(changes["Visits"]) and not mixes_formats(counts), counts
    money = [changes[name] for name in ("Deposits", "NGR", "Partner income")]
    assert not mixes_formats(money), money


def test_a_smaller_report_shows_every_figure_of_a_kind_in_full(home, mock):
    cards = kinds_of(live(home, mock, days=7, campaigns=2))  # no figure reaches 100,000
    assert not any(_ABBREVIATED.search(value) for _, value in cards["count"] + cards["money"])
    money = dict(cards["money"])
    assert all(re.fullmatch(r"€[\d,]+\.\d\d", value) for value in money.values()), money


def test_rows_dated_after_to_give_their_real_span_in_the_header_the_fetch_line_and_the_sidebar(home, mock):
    with mock(extra_day=True) as server:
        url = server.report_url()
        fetched = paste_and_fetch(home, url)
        asked = f"{server.date_from} → {server.date_to}"
    rows = f"{server.date_from} → {server.date_to + dt.timedelta(days=1)}"
    (line,) = [s.value for s in fetched.success if s.value.startswith("Fetched")]
    assert f"{rows} (asked for {asked})" in line
    assert any(rows in c.value for c in fetched.sidebar.caption)
    at = open_page(fetched, PERFORMANCE)
    assert f"{rows} (asked for {asked})" in at.caption[0].value


@pytest.fixture
def negative_ngr_file() -> bytes:
    """A saved 10-day report whose NGR is below zero on two separate days."""
    doc = json.loads(demo_report(10, end=dt.date(2026, 4, 10)))
    for row in doc["rows"]["data"]:
        cells = {c["name"]: c for c in row}
        if cells["date"]["value"][:10] in _NEGATIVE_DAYS:
            cells["ngr"]["value"] = {"amount": "-9000.00", "amount_cents": "-900000", "currency": "EUR"}
    return json.dumps(doc).encode()


def test_the_negative_ngr_finding_lists_its_separate_days_and_its_link_shows_ngr(home, negative_ngr_file):
    home.file_uploader(key="report_file").set_value(
        ("report.json", negative_ngr_file, "application/json")
    ).run()
    at = open_page(checked(home), PERFORMANCE)
    (finding,) = [w.value for w in at.warning if "Negative NGR" in w.value]
    assert "2026-04-03, 2026-04-07" in finding and "2026-04-03 → 2026-04-07" not in finding
    assert "(#by-day)" in finding
    by_day = plotly_specs(at)[0]
    assert "NGR" in [a["text"] for a in by_day["layout"]["annotations"]]  # the panel the link leads to


@pytest.fixture
def same_answer_every_period(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A server that answers every period with the same report, so nothing changes from one to the last;
    returns the guide's URL pointed at it."""
    httpserver.expect_request(REPORT_PATH).respond_with_data(
        demo_report(10, end=END), content_type="application/json"
    )
    host_port = f"{httpserver.host}:{httpserver.port}"
    monkeypatch.setenv("AFFILKA_ALLOW_PRIVATE_HOSTS", host_port)
    yield GUIDE_URL.replace("https://primetime.partners", f"http://{host_port}")


def test_a_figure_that_did_not_change_is_neutral_without_an_arrow(home, same_answer_every_period):
    at = compare_on(open_page(paste_and_fetch(home, same_answer_every_period), PERFORMANCE))
    changes = [m for m in at.metric if m.proto.delta]
    assert changes and all(m.proto.delta == "no change" for m in changes)
    assert all(m.proto.direction == Metric.NONE and m.proto.color == Metric.GRAY for m in changes)


def test_a_figure_that_changed_keeps_its_arrow_and_colour(home):
    at = compare_on(open_page(click(home, "Try with demo data"), PERFORMANCE))
    (visits,) = [m for m in at.metric if m.label == "Visits" and m.proto.delta]
    assert visits.proto.direction in (Metric.UP, Metric.DOWN)
    assert visits.proto.color in (Metric.GREEN, Metric.RED)


def test_the_downloads_hold_the_comparison_and_the_offer_split_with_money_to_cents_and_its_currency(home):
    at = compare_on(open_page(click(home, "Try with demo data"), PERFORMANCE))
    report, before = report_of(at), loaded(at).previous.report.frame
    frame = report.frame
    split = split_offer(frame, ("Spring banners",))
    income = "partner_income"
    # The tables the page builds for the comparison and the Offer's split it shows.
    sections = {
        "comparison": comparison_rows(kpi_deltas(frame, before), "EUR"),
        "comparison_campaigns": mover_rows({income: campaign_movers(frame, before, income)}, "EUR"),
        "offer": offer_rows(
            ["Spring banners"],
            {income: float(split.offer[income].sum())},
            {income: float(split.others[income].sum())},
            {income: split.share(income)},
            "EUR",
        ),
    }
    export = export_for(
        report, None, frame, metrics.by_day(frame), metrics.kpis(frame), "EUR", [], [], sections=sections
    )
    archive = zipfile.ZipFile(io.BytesIO(export.zip_bytes()))
    assert {"comparison.csv", "comparison_campaigns.csv", "offer.csv"} <= set(archive.namelist())
    # Partner income, wherever a table holds it: to cents, with its currency beside it.
    money_of = {
        "by_day.csv": lambda t: t["partner_income"],
        "comparison.csv": lambda t: t.loc[t["key"] == "partner_income", ["current", "previous", "change"]],
        "offer.csv": lambda t: t[["value"]],
    }
    for name, money in money_of.items():
        table = pd.read_csv(archive.open(name), encoding="utf-8-sig", dtype=str)
        values = pd.DataFrame(money(table)).stack().tolist()
        assert values and all(re.fullmatch(r"-?\d+(\.\d{1,2})?", v) for v in values), (name, values)
        assert "EUR" in set(table["currency"])
    page = export.html_bytes().decode()
    assert "This period against the last" in page and "The Offer&#39;s campaigns" in page
