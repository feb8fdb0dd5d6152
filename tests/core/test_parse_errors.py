"""Affilka's own JSON errors: `decode.affilka_error_message` reads its words, and a 200 answer that is such
an error (no rows) is `Rejected` (fetch.rejected) quoting them, not "not a report"."""

from __future__ import annotations

import json
from typing import Any

import pytest

from affilka_core.catalogue import CheckId
from affilka_core.checks.advice import advice_for
from affilka_core.errors import FetchError, Rejected, ReportFormatError
from affilka_core.load import load_file, load_live
from affilka_core.report.decode import affilka_error_message
from affilka_core.report.frame import parse_pages, parse_report
from affilka_core.text import QUOTE_CAP
from affilka_core.url.masking import mask_token
from affilka_core.url.parse import parse_url
from affilka_mock.mock_server import MockAffilka
from tests.support import TOKEN, fast_settings

MESSAGE = "Invalid date range: 'to' must not be before 'from'"
TWO = "Bad column ftd; Bad grouper date"
ERROR_BODIES = {
    "errors": {"errors": [{"message": MESSAGE}]},
    "message": {"message": MESSAGE},
    "error": {"error": MESSAGE},
    "ok-false": {"ok": False, "message": MESSAGE},
}


def as_body(doc: Any) -> bytes:
    return json.dumps(doc).encode()


# --- Reading Affilka's words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("doc", "words"),
    [
        ({"errors": [{"message": MESSAGE}]}, MESSAGE),
        ({"errors": [{"message": "Bad column ftd"}, {"message": "Bad grouper date"}]}, TWO),
        ({"errors": ["Bad column ftd", "Bad grouper date"]}, TWO),
        ({"message": MESSAGE}, MESSAGE),
        ({"error": MESSAGE}, MESSAGE),
        ({"error": {"message": MESSAGE, "code": 422}}, MESSAGE),
        ({"ok": False, "message": MESSAGE}, MESSAGE),
        ({"ok": False, "error": MESSAGE}, MESSAGE),
        ({"ok": False, "errors": [{"message": MESSAGE}]}, MESSAGE),
        ({"ok": False}, "ok: false"),
        ({"ok": False, "error": ""}, "ok: false"),
    ],
    ids=[
        "errors",
        "errors-joined",
        "errors-strings",
        "message",
        "error-text",
        "error-object",
        "ok-false-message",
        "ok-false-error",
        "ok-false-errors",
        "ok-false-alone",
        "ok-false-empty-error",
    ],
)
def test_affilkas_words_are_read_from_each_error_shape(doc, words):
    assert affilka_error_message(as_body(doc)) == words
    assert affilka_error_message(json.dumps(doc)) == words


@pytest.mark.parametrize(
    "body",
    [
        b'{"rows": {"data": []}}',
        b'{"ok": true}',
        b'{"errors": []}',
        b'{"error": null}',
        b'["Invalid date range"]',
        b'"Invalid date range"',
        b"<html><body>Invalid date range</body></html>",
        b"",
        b'{"message": ',
    ],
)
def test_a_body_that_is_not_an_affilka_error_has_no_message(body):
    assert affilka_error_message(body) is None


def test_the_token_in_affilkas_words_is_masked():
    words = affilka_error_message(as_body({"error": f"Token {TOKEN} expired (token={TOKEN})"}))
    assert words is not None and TOKEN not in words
    assert mask_token(TOKEN) in words


def test_a_token_after_a_long_run_of_whitespace_is_masked_not_cut():
    words = affilka_error_message(as_body({"message": "Bad token:" + " " * 5_000 + TOKEN}))
    assert words == f"Bad token: {mask_token(TOKEN)}"


def test_long_words_are_capped_and_put_on_one_line():
    words = affilka_error_message(as_body({"message": "line one\nline two\t\x00" + "x" * 2000}))
    assert words is not None and len(words) <= QUOTE_CAP
    assert words.startswith("line one line two x") and words.endswith("…")


def test_a_byte_order_mark_before_the_error_is_skipped():
    assert affilka_error_message(b"\xef\xbb\xbf" + as_body({"message": MESSAGE})) == MESSAGE


def test_the_error_classes_carry_affilkas_words_as_a_keyword_defaulting_to_none():
    assert FetchError("failed").affilka_message is None
    assert ReportFormatError("not a report").affilka_message is None
    rejected = Rejected("refused", url="https://x", status=422, affilka_message=MESSAGE)
    assert (rejected.affilka_message, rejected.status, rejected.url) == (MESSAGE, 422, "https://x")
    assert ReportFormatError("not a report", affilka_message=MESSAGE).affilka_message == MESSAGE


# --- A 200 answer that is Affilka's error --------------------------------------------------------------


@pytest.mark.parametrize("doc", ERROR_BODIES.values(), ids=ERROR_BODIES.keys())
def test_an_error_body_is_rejected_quoting_affilka_instead_of_not_a_report(doc):
    with pytest.raises(Rejected) as caught:
        parse_report(as_body(doc))
    assert caught.value.affilka_message == MESSAGE
    assert str(caught.value) == f"Affilka refused the request: {MESSAGE}"
    assert advice_for(caught.value).check_id == CheckId.FETCH_REJECTED


def test_an_error_body_on_a_later_page_names_the_page():
    report = as_body({"total_pages": 2, "rows": {"data": []}})
    with pytest.raises(Rejected, match=r"^Affilka refused the request \(page 2\): Invalid date range"):
        parse_pages([report, as_body({"error": MESSAGE})])


def test_a_saved_error_body_is_rejected_quoting_affilka():
    with pytest.raises(Rejected, match="Affilka refused the request: Invalid date range"):
        load_file(as_body({"errors": [{"message": MESSAGE}]}), "report.json")


def test_an_object_without_rows_or_error_words_is_still_not_a_report():
    with pytest.raises(ReportFormatError, match="no rows"):
        parse_report(as_body({"report_type": "partner", "errors": []}))


# --- Over loopback HTTP, from the mock -----------------------------------------------------------------


@pytest.mark.parametrize("shape", ERROR_BODIES)
def test_the_mocks_error_body_at_200_gives_rejected_with_affilkas_words(shape):
    with (
        MockAffilka(token=TOKEN, days=3, error_body=shape, error_message=MESSAGE) as server,
        pytest.raises(Rejected) as caught,
    ):
        load_live(parse_url(server.report_url()), settings=fast_settings(server.host_port))
    assert caught.value.affilka_message == MESSAGE
    assert f"Affilka refused the request: {MESSAGE}" in str(caught.value)


def test_a_token_echoed_in_affilkas_error_is_masked_end_to_end():
    echoed = f"Unknown parameter in /report.json?token={TOKEN}&colums[]=ngr"
    with (
        MockAffilka(token=TOKEN, days=3, error_body="errors", error_message=echoed) as server,
        pytest.raises(Rejected) as caught,
    ):
        load_live(parse_url(server.report_url()), settings=fast_settings(server.host_port))
    assert TOKEN not in str(caught.value) and TOKEN not in (caught.value.affilka_message or "")
    assert "Unknown parameter" in str(caught.value)
