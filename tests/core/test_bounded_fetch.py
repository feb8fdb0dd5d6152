"""A fetch within its budgets, against real servers on loopback: the whole report has a deadline however
quickly each page comes, each page is read while the next ones download, the rows are counted as pages
arrive, so a report past the row budget stops at the page that passes it, and a batch has a deadline of
its own that costs no row its outcome."""

from __future__ import annotations

import threading

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from affilka_core.batch import BatchItem, fetch_batch
from affilka_core.catalogue import CheckId
from affilka_core.diagnosis import diagnose_url
from affilka_core.errors import FetchTimeout, TooLarge
from affilka_core.fetch.report import fetch_report
from affilka_core.load import load_live
from affilka_core.url.parse import parse_url
from affilka_mock.mock_server import MockAffilka
from tests.core.test_fetch import PATH, page_body, report_url, settings_for
from tests.support import TOKEN

PAGES = 12


@pytest.fixture
def slow_pages(httpserver: HTTPServer) -> HTTPServer:
    """Every page answered after 0.3 s: far under a page deadline of 2 s, 3.6 s for all twelve."""
    stop = threading.Event()

    def answer(request: Request) -> Response:
        stop.wait(0.3)
        return Response(page_body(int(request.args["page"]), PAGES), content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(answer)
    yield httpserver
    stop.set()


def test_pages_each_just_under_the_page_deadline_are_stopped_at_the_report_deadline(slow_pages):
    settings = settings_for(slow_pages, page_deadline=2, report_deadline=1, concurrency=1)
    with pytest.raises(FetchTimeout, match=r"took over 1 s to arrive \(\d of 12 pages in time; AFFILKA_REP"):
        fetch_report(report_url(slow_pages), settings=settings)
    assert len(slow_pages.log) < PAGES  # the pages past the deadline were never asked for


def test_a_report_past_its_deadline_could_not_be_verified_now(slow_pages):
    settings = settings_for(slow_pages, page_deadline=2, report_deadline=1, concurrency=1)
    diagnosis = diagnose_url(report_url(slow_pages), settings=settings)
    failed = diagnosis.failed_fetch
    assert failed is not None and failed.id == CheckId.FETCH_TIMEOUT and failed.temporary
    assert "AFFILKA_REPORT_DEADLINE" in failed.detail and "Change nothing in the URL" in failed.fix
    assert diagnosis.verdict.code == "retry"


@pytest.fixture
def page_three_waits(httpserver: HTTPServer):
    """Pages 1 and 2 answered at once; page 3 only once `go` is set (at most 5 s later)."""
    go = threading.Event()
    answered: list[int] = []

    def answer(request: Request) -> Response:
        page = int(request.args["page"])
        if page == 3:
            go.wait(5)
        answered.append(page)
        return Response(page_body(page, 3, rows=4), content_type="application/json")

    httpserver.expect_request(PATH).respond_with_handler(answer)
    yield httpserver, go, answered
    go.set()


def test_each_page_is_handed_over_while_the_next_ones_download(page_three_waits):
    server, go, _ = page_three_waits
    seen: list[tuple[int, int]] = []

    def arrived(page: int, total: int, body: bytes) -> None:
        seen.append((page, total))
        if page == 2:
            go.set()  # page 3 is still downloading: it answers only now

    fetched = fetch_report(report_url(server), settings=settings_for(server, concurrency=1), on_page=arrived)
    assert seen == [(1, 0), (2, 3), (3, 3)]
    assert fetched.total_pages == 3 and len(fetched.pages) == 1  # only page 1's body is kept


def test_a_report_past_the_row_budget_stops_at_the_page_that_passes_it(page_three_waits):
    server, _, answered = page_three_waits
    settings = settings_for(server, concurrency=1, page_deadline=10, max_rows=6)
    with pytest.raises(TooLarge, match=r"more than 6 rows.*AFFILKA_MAX_ROWS"):
        load_live(parse_url(report_url(server)), settings=settings)
    assert 3 not in answered  # refused while page 3 was still on its way


def test_a_fetched_report_past_the_row_budget_fails_saying_to_narrow_the_dates(page_three_waits):
    server, go, _ = page_three_waits
    go.set()
    diagnosis = diagnose_url(report_url(server), settings=settings_for(server, max_rows=10))
    failed = diagnosis.failed_fetch
    assert failed is not None and failed.id == CheckId.FETCH_TOO_LARGE
    assert "more than 10 rows" in failed.detail and "Narrow the date range" in failed.fix


def test_a_batch_past_its_deadline_keeps_every_row_saying_which_were_not_fetched(slow_pages):
    items = [BatchItem(n, f"Offer {n}", f"{report_url(slow_pages)}&name=offer{n}") for n in range(1, 5)]
    settings = settings_for(slow_pages, page_deadline=2, batch_deadline=0.5, concurrency=1)
    rows = fetch_batch(items, concurrency=2, settings=settings)
    assert [row.item.line for row in rows] == [1, 2, 3, 4]
    for row in rows:
        failed = row.diagnosis.failed_fetch
        assert failed is not None and failed.id == CheckId.FETCH_TIMEOUT and failed.temporary
        assert "the batch took over 0.5 s (AFFILKA_BATCH_DEADLINE)" in failed.detail
        assert row.diagnosis.verdict.code == "retry"
    assert len(slow_pages.log) < PAGES  # no report was fetched to its end


def test_a_batch_keeps_each_rows_own_outcome(page_three_waits):
    server, go, _ = page_three_waits
    go.set()
    with MockAffilka(token=TOKEN, days=3, campaigns=2, rate_limit=50, retry_after=10**400) as limited:
        items = [
            BatchItem(1, "Good", report_url(server)),
            BatchItem(2, "Limited", limited.report_url()),
            BatchItem(3, "Not a URL", "thanks, here it is"),
        ]
        hosts = frozenset({f"{server.host}:{server.port}", limited.host_port})
        rows = fetch_batch(items, settings=settings_for(server, allow_private_hosts=hosts))
    assert [row.diagnosis.verdict.code for row in rows] == ["fix", "retry", "fix"]
    assert rows[0].summary is not None and rows[0].summary["rows"] == 12  # fetched: its columns fail
    assert rows[1].diagnosis.failed_fetch.id == CheckId.FETCH_RATE_LIMITED
    assert rows[2].first_problem().id == CheckId.URL_PARSE
