"""Every fetch and data diagnostic, each produced by a real server behaviour (the mock Affilka)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pandas as pd
import pytest

from affilka_core import Status
from affilka_core.checks.combine import combine
from affilka_core.checks.fetch_checks import error_check
from affilka_core.checks.model import make_check
from affilka_core.checks.url_result import check_url
from affilka_core.diagnosis import Diagnosis, diagnose_text, diagnose_url
from affilka_core.errors import RateLimited, Unauthorized
from affilka_core.fetch.settings import FetchSettings
from affilka_core.report.frame import ParsedReport
from affilka_mock.mock_server import MockAffilka
from tests.support import GUIDE_URL, TOKEN, fast_settings

END = dt.date(2026, 4, 21)


def settings(server: MockAffilka | None = None, **overrides) -> FetchSettings:
    return fast_settings(server.host_port if server else None, **{"retries": 1, **overrides})


def diagnose(server: MockAffilka, url: str | None = None, **overrides) -> Diagnosis:
    return diagnose_url(url or server.report_url(), settings=settings(server, **overrides))


def status_of(diagnosis: Diagnosis, check_id: str) -> Status | None:
    found = [c for c in diagnosis.checks if c.id == check_id]
    assert len(found) <= 1
    return found[0].status if found else None


def serve(**options) -> MockAffilka:
    options.setdefault("days", 14)
    options.setdefault("campaigns", 6)
    return MockAffilka(token=TOKEN, end_date=END, **options)


@pytest.fixture(scope="module")
def healthy() -> Iterator[MockAffilka]:
    with serve(days=30, campaigns=8, page_size=50) as server:
        yield server


# --- the healthy path ----------------------------------------------------------------------------


def test_right_token_fetches_every_row_of_every_page(healthy):
    progress: list[tuple[int, int]] = []
    d = diagnose_url(
        healthy.report_url(), settings=settings(healthy), on_progress=lambda *a: progress.append(a)
    )
    assert d.ok, [c for c in d.checks if c.status == Status.FAIL]
    assert d.report is not None and d.report.pages == 5  # 240 rows at 50 a page
    assert d.summary()["rows"] == 30 * 8
    assert progress[-1] == (5, 5)
    assert status_of(d, "fetch.ok") == Status.PASS


def test_one_brand_in_the_data_turns_brand_filter_to_pass(healthy):
    d = diagnose(healthy)
    assert status_of(d, "brand.filter") == Status.PASS
    assert status_of(d, "data.multi_brand") == Status.PASS


def test_url_checks_failing_do_not_stop_the_fetch(healthy):
    d = diagnose(healthy, healthy.report_url(extra={"period": "today"}))
    assert status_of(d, "period.custom") == Status.FAIL
    assert d.report is not None and len(d.report.frame) == 240


def test_unreadable_text_is_not_fetched():
    d = diagnose_url("not a url at all", settings=settings())
    assert d.report is None and not d.ok
    assert not any(c.id.startswith("fetch.") for c in d.checks)


# --- fetch diagnostics ---------------------------------------------------------------------------


def test_wrong_token_is_unauthorized(healthy):
    d = diagnose(healthy, healthy.report_url(token="0" * 32))
    c = next(c for c in d.checks if c.id == "fetch.unauthorized")
    assert c.status == Status.FAIL and c.step == 7
    assert "Log back in" in c.fix and "copy the new URL" in c.fix


def test_a_missing_token_is_not_fetched_and_nothing_is_sent(healthy):
    before = healthy.report_requests
    d = diagnose(healthy, healthy.report_url(extra={"token": None}))
    assert status_of(d, "token.present") == Status.FAIL
    assert d.not_fetched == "no token" and d.failed_fetch is None
    assert healthy.report_requests == before


@pytest.mark.parametrize(
    ("options", "check_id", "overrides"),
    [
        ({"always_status": 403}, "fetch.unauthorized", {}),
        ({"always_status": 404}, "fetch.not_found", {}),
        ({"rate_limit": 10}, "fetch.rate_limited", {}),
        ({"server_errors": 10}, "fetch.server_error", {}),
        ({"slow_ms": 1500}, "fetch.timeout", {"read_timeout": 0.3, "retries": 0}),
        ({"html_error": True}, "fetch.not_json", {}),
        ({"truncate_json": True}, "fetch.not_json", {}),
        ({}, "fetch.too_large", {"max_bytes": 5_000}),
        ({"redirect_to": "http://169.254.169.254/latest/meta-data/"}, "fetch.connection", {}),
    ],
)
def test_each_server_fault_has_its_diagnostic(options, check_id, overrides):
    with serve(**options) as server:
        d = diagnose(server, **overrides)
    assert status_of(d, check_id) == Status.FAIL, [c.id for c in d.checks if c.status == Status.FAIL]
    failing = next(c for c in d.checks if c.id == check_id)
    assert failing.fix and TOKEN not in failing.detail + failing.fix


def test_rate_limit_recovers_within_retries():
    with serve(rate_limit=1) as server:
        d = diagnose(server)
    assert status_of(d, "fetch.ok") == Status.PASS


def test_private_host_is_blocked_unless_allowed():
    with serve() as server:
        d = diagnose_url(server.report_url(), settings=settings(None))
    assert status_of(d, "fetch.blocked_address") == Status.FAIL


def test_refused_connection_is_a_connection_failure():
    url = GUIDE_URL.replace("https://primetime.partners", "http://127.0.0.1:9")
    d = diagnose_url(url, settings=FetchSettings(allow_private_hosts=frozenset({"127.0.0.1:9"}), retries=0))
    assert status_of(d, "fetch.connection") == Status.FAIL


# --- data diagnostics ----------------------------------------------------------------------------


def test_empty_report():
    with serve(empty=True) as server:
        d = diagnose(server)
    c = next(c for c in d.checks if c.id == "data.empty")
    assert c.status == Status.FAIL and "brand filter" in c.fix


def test_columns_the_account_lacks_are_named():
    with serve(drop_columns=("ngr", "partner_income")) as server:
        d = diagnose(server)
    c = next(c for c in d.checks if c.id == "data.columns_missing")
    assert c.status == Status.FAIL and "ngr" in c.detail and "partner_income" in c.detail
    assert "Affiliate Manager" in c.fix
    assert status_of(d, "columns.required") == Status.PASS  # the URL asked for them


def test_several_brands_fail_attribution_and_the_brand_step():
    with serve(brands=2) as server:
        d = diagnose(server)
    c = next(c for c in d.checks if c.id == "data.multi_brand")
    assert c.status == Status.FAIL and "Casino Alpha" in c.detail and "Casino Beta" in c.detail
    assert status_of(d, "brand.filter") == Status.FAIL


def test_several_currencies_warn():
    with serve(currencies=("EUR", "USD")) as server:
        d = diagnose(server)
    c = next(c for c in d.checks if c.id == "data.multi_currency")
    assert c.status == Status.WARN and "EUR" in c.detail and "USD" in c.detail


def test_days_without_rows_are_named():
    with serve(gap_days=5) as server:
        d = diagnose(server)
    c = next(c for c in d.checks if c.id == "data.date_coverage")
    assert c.status == Status.WARN and "days have no rows" in c.title


def test_every_check_lands_under_a_guide_step(healthy):
    d = diagnose(healthy)
    assert all(1 <= c.step <= 7 for c in d.checks)
    assert [c.step for c in d.checks] == sorted(c.step for c in d.checks)


# --- the Diagnosis -------------------------------------------------------------------------------


def test_a_url_checked_without_fetching_is_its_checklist_without_data():
    result = check_url(GUIDE_URL)
    d = diagnose_text(GUIDE_URL)
    assert d.checks == result.checks and d.ok and not d.fetched and d.summary() is None
    assert d.to_dict() == result.to_dict()
    assert d.verdict.sentence == "Usable, 1 to look at."


def test_a_fetched_diagnosis_keeps_its_summary_without_the_frame(healthy):
    d = diagnose(healthy)
    lean = d.without_frame()
    assert d.frame is not None and lean.frame is None
    assert lean.summary() == d.summary() and lean.summary()["rows"] == 30 * 8
    assert lean.to_dict() == d.to_dict()


def test_a_failed_fetch_says_data_is_none():
    d = diagnose_url("https://127.0.0.1:9/api/client/partner/report.json?token=x", settings=settings())
    assert d.fetched and d.to_dict()["data"] is None and not d.ok


def test_after_a_refused_token_the_token_check_no_longer_promises_a_fetch_will_confirm_it():
    result = check_url(GUIDE_URL)
    refused = error_check(Unauthorized("Affilka answered 401: the token was refused.", status=401))
    token = next(c for c in combine(result.checks, [refused], None) if c.id == "token.present")
    assert "Affilka refused it" in token.detail and "confirms it still works" not in token.detail


def test_an_empty_report_says_its_data_cannot_show_the_brand_either():
    result = check_url(GUIDE_URL)
    empty = ParsedReport(frame=pd.DataFrame())
    brand = next(c for c in combine(result.checks, [], empty) if c.id == "brand.filter")
    assert (
        brand.status == Status.WARN and "no rows" in brand.detail and "Fetch the report" not in brand.detail
    )


def test_money_in_several_currencies_takes_back_money_converted_from_the_url_check():
    result = check_url(GUIDE_URL)
    several = make_check(
        "data.multi_currency", Status.WARN, "2 currencies in money columns", "EUR, USD.", "x"
    )
    conversion = next(c for c in combine(result.checks, [several], None) if c.id == "currency.conversion")
    assert conversion.title == "Conversion asked for in the URL" and "several currencies" in conversion.detail


def test_after_a_failed_fetch_the_brand_check_says_what_failed_and_what_next():
    result = check_url(GUIDE_URL)
    refused = error_check(Unauthorized("Affilka answered 401: the token was refused.", status=401))
    brand = next(c for c in combine(result.checks, [refused], None) if c.id == "brand.filter")
    assert "The fetch failed (token expired or invalid)" in brand.detail
    assert "Fix step 7 first" in brand.detail
    assert brand.fix  # the brand filter itself may still need setting


def test_after_temporary_trouble_the_brand_check_has_nothing_to_fix():
    result = check_url(GUIDE_URL)
    limited = error_check(RateLimited("Affilka answered 429 Too Many Requests.", status=429))
    brand = next(c for c in combine(result.checks, [limited], None) if c.id == "brand.filter")
    assert "(Affilka is limiting requests (429))" in brand.detail
    assert "Change nothing in the URL" in brand.detail
    assert brand.fix == ""
