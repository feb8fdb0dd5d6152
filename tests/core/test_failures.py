"""How a failure to fetch reads: temporary trouble ("retry": the URL may be fine) told apart from what the
URL's owner must fix, each fix text matching its cause, and Affilka's own error message quoted."""

from __future__ import annotations

import datetime as dt

import pytest

from affilka_core import errors
from affilka_core.batch import BatchItem, BatchRow, batch_table, tally
from affilka_core.checks.fetch_checks import error_check
from affilka_core.checks.model import Status
from affilka_core.checks.url_result import check_url
from affilka_core.checks.verdict import verdict
from affilka_core.diagnosis import Diagnosis, diagnose_failure
from affilka_core.errors import (
    BadRedirect,
    ConnectionFailed,
    FetchTimeout,
    NotJSON,
    RateLimited,
    RedirectedToOtherHost,
    ReportFormatError,
    ServerError,
    TLSFailed,
    Unauthorized,
)
from affilka_core.outputs.ticket import ticket_markdown
from affilka_core.report.decode import decode_page
from tests.support import GUIDE_URL, TOKEN

MASKED = "https://primetime.partners/api/client/partner/report.json?token=b7e3…5678"
WHEN = dt.datetime(2026, 4, 22, 9, 30, tzinfo=dt.UTC)

TEMPORARY = [
    RateLimited("Affilka answered 429 Too Many Requests, still after retrying.", url=MASKED, status=429),
    ServerError("Affilka answered 503, still after retrying.", url=MASKED, status=503),
    FetchTimeout("No answer in time.", url=MASKED),
    ConnectionFailed("The host refused the connection or cannot be reached.", url=MASKED),
    ConnectionFailed("The host name does not resolve.", url=MASKED),
]
LASTING = [
    Unauthorized("Affilka answered 401: the token was refused.", url=MASKED, status=401),
    RedirectedToOtherHost("Affilka redirected to another host (evil.example); not followed.", url=MASKED),
    TLSFailed("The secure (TLS) connection failed: certificate or TLS setup.", url=MASKED),
    BadRedirect("More than 3 redirects.", url=MASKED),
    BadRedirect("Affilka redirected to an unusable address, not followed.", url=MASKED),
]


def diagnosis_after(exc: errors.AffilkaError, text: str = GUIDE_URL) -> Diagnosis:
    """What a fetch of `text` that failed with `exc` diagnoses."""
    return diagnose_failure(exc, check_url(text))


@pytest.mark.parametrize("exc", TEMPORARY, ids=lambda e: type(e).__name__)
def test_temporary_trouble_on_a_good_url_is_retry(exc):
    d = diagnosis_after(exc)
    assert d.verdict.code == "retry" and d.verdict.retry and not d.ok
    assert d.verdict.headline == "Could not verify now"
    assert d.to_dict()["verdict"] == "retry"


@pytest.mark.parametrize("exc", TEMPORARY, ids=lambda e: type(e).__name__)
def test_temporary_fix_texts_say_try_again_and_never_to_change_the_url(exc):
    fix = error_check(exc).fix
    assert "try again" in fix.lower() and "Change nothing in the URL" in fix
    assert "export" not in fix.lower() and "narrow" not in fix.lower()


@pytest.mark.parametrize("exc", LASTING, ids=lambda e: f"{type(e).__name__}:{e}")
def test_lasting_failures_are_fix(exc):
    check = error_check(exc)
    assert not check.temporary
    assert diagnosis_after(exc).verdict.code == "fix"


def test_a_failing_url_check_keeps_the_verdict_fix_whatever_the_fetch_said():
    d = diagnosis_after(TEMPORARY[0], GUIDE_URL.replace("period=custom", "period=today"))
    assert d.verdict.code == "fix"


def test_retry_after_from_the_server_says_when_to_try_again():
    minutes = RateLimited("429", url=MASKED, status=429, retry_after=120)
    seconds = RateLimited("429", url=MASKED, status=429, retry_after=10)
    assert "try again in 2 minutes (Affilka asked to wait 120 s)" in error_check(minutes).fix
    assert "try again in 10 s" in error_check(seconds).fix
    assert "try again in a few minutes" in error_check(RateLimited("429", url=MASKED)).fix


def test_a_redirect_to_another_host_says_so_not_could_not_reach():
    check = error_check(LASTING[1])
    assert check.id == "fetch.connection"
    assert check.title == "Affilka redirected to another host"


def test_a_redirect_that_cannot_be_followed_says_so_and_to_export_again():
    check = error_check(LASTING[3])
    assert check.id == "fetch.connection" and check.title == "Affilka's redirect cannot be followed"
    assert "Export report → JSON" in check.fix and "try again" not in check.fix.lower()


def test_cut_off_json_says_the_download_was_cut_not_copy_the_json_tab():
    with pytest.raises(NotJSON) as cut:
        decode_page(b'{"total_pages": 1, "rows": {"data": [[{"name": "date", "value": "2026-04-')
    check = error_check(cut.value)
    assert check.id == "fetch.not_json" and check.title == "The download was cut off"
    assert "fetch again" in check.fix and "tab" not in check.fix


def test_the_ticket_says_could_not_verify_now():
    d = diagnosis_after(TEMPORARY[1])
    text = ticket_markdown(d.checks, url=d.url, summary=None, generated=WHEN)
    assert "**Verdict:** ⏳ Could not verify now" in text
    assert "_Could not verify now: Affilka answered with a server error" in text
    assert TOKEN not in text


def test_batch_rows_and_tally_count_could_not_verify_now_apart():
    rows = [
        BatchRow(BatchItem(1, "A", GUIDE_URL), diagnosis_after(TEMPORARY[0])),
        BatchRow(BatchItem(2, "B", GUIDE_URL), diagnosis_after(LASTING[0])),
    ]
    assert tally(rows) == {Status.PASS: 0, Status.WARN: 0, Status.FAIL: 1, "retry": 1}
    assert list(batch_table(rows)["verdict"]) == ["Could not verify now", "Not usable yet"]


def test_verdict_counts_warnings_alongside_retry():
    d = diagnosis_after(TEMPORARY[2], GUIDE_URL.replace("&page=1", ""))
    v = verdict(d.checks)
    assert v.code == "retry" and v.warns >= 1 and "to look at" in v.sentence


def test_affilka_message_attribute_exists_on_fetch_and_format_errors():
    assert RateLimited("x").affilka_message is None and RateLimited("x").retry_after is None
    assert ReportFormatError("x", affilka_message="Invalid date").affilka_message == "Invalid date"


# Affilka's own error message ------------------------------------------------------------------------


def test_the_failing_fetch_check_quotes_affilkas_own_message():
    exc = errors.Rejected(
        "Affilka answered 422: it rejected the request.",
        url=MASKED,
        status=422,
        affilka_message="Date range is too long: at most 366 days",
    )
    check = error_check(exc)
    assert check.id == "fetch.rejected"
    assert check.detail.endswith('Affilka said: "Date range is too long: at most 366 days"')


def test_an_error_body_at_200_is_quoted_in_the_not_a_report_check():
    exc = ReportFormatError("The JSON is an error, not a report.", affilka_message="Invalid token")
    check = error_check(exc)
    assert check.id == "fetch.not_json" and 'Affilka said: "Invalid token"' in check.detail


def test_a_401_with_a_message_stays_unauthorized():
    exc = Unauthorized("Affilka answered 401.", url=MASKED, status=401, affilka_message="Token expired")
    check = error_check(exc)
    assert check.id == "fetch.unauthorized" and 'Affilka said: "Token expired"' in check.detail


def test_a_long_message_is_capped_at_300_characters_on_one_line():
    exc = errors.Rejected("Affilka answered 422.", affilka_message="bad\nparameter " + "x" * 1000)
    quote = error_check(exc).detail.split('Affilka said: "', 1)[1].rstrip('"')
    assert len(quote) == 300 and quote.endswith("…") and "\n" not in quote


def test_a_token_in_affilkas_message_is_masked():
    exc = errors.Rejected("Affilka answered 422.", affilka_message=f"token {TOKEN} is not valid for brand 7")
    assert TOKEN not in error_check(exc).detail


def test_affilkas_message_is_markdown_escaped_in_the_ticket():
    exc = errors.Rejected("Affilka answered 422.", affilka_message="see [docs](https://evil.example) **now**")
    d = diagnosis_after(exc)
    text = ticket_markdown(d.checks, url=d.url, summary=None, generated=WHEN)
    assert r"see \[docs\](`https://evil.example`) \*\*now\*\*" in text
    assert "[docs](" not in text
