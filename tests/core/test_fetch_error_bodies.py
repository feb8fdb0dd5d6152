"""Affilka's own JSON error bodies on 4xx answers: the reason it gave travels with the error, masked
and capped, whichever of the shapes integrations have met it takes (the mock Affilka serves each)."""

from __future__ import annotations

import datetime as dt

import pytest

from affilka_core.catalogue import CheckId
from affilka_core.checks.model import Status
from affilka_core.diagnosis import diagnose_url
from affilka_core.errors import FetchError, NotFound, Rejected, Unauthorized
from affilka_core.fetch.pacing import Pacer
from affilka_core.fetch.report import fetch_report
from affilka_mock.mock_server import MockAffilka
from affilka_mock.settings import ERROR_BODIES
from tests.support import TOKEN, fast_settings


def serve(**options) -> MockAffilka:
    return MockAffilka(token=TOKEN, days=3, campaigns=2, end_date=dt.date(2026, 4, 21), **options)


def failure(server: MockAffilka) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetch_report(server.report_url(), settings=fast_settings(server.host_port, pacer=Pacer(), retries=0))
    return info.value


@pytest.mark.parametrize("shape", ERROR_BODIES)
def test_the_reason_in_any_error_body_shape_travels_with_the_error(shape):
    with serve(error_body=shape, error_status=422, error_message="Invalid date range") as server:
        exc = failure(server)
    assert isinstance(exc, Rejected) and exc.status == 422
    assert exc.affilka_message == "Invalid date range"


@pytest.mark.parametrize(("status", "kind"), [(401, Unauthorized), (403, Unauthorized), (404, NotFound)])
def test_the_reason_travels_with_401_403_and_404_too(status, kind):
    with serve(error_body="errors", error_status=status, error_message="Token expired") as server:
        exc = failure(server)
    assert type(exc) is kind and exc.affilka_message == "Token expired"


def test_a_token_quoted_in_the_reason_is_masked():
    with serve(error_body="message", error_status=400, error_message=f"bad request ?token={TOKEN}") as server:
        exc = failure(server)
    assert exc.affilka_message is not None and "bad request" in exc.affilka_message
    assert TOKEN not in exc.affilka_message


def test_a_long_reason_is_cut_to_300_characters():
    with serve(error_body="error", error_status=422, error_message="too long " * 200) as server:
        exc = failure(server)
    assert exc.affilka_message is not None
    assert len(exc.affilka_message) == 300 and exc.affilka_message.endswith("…")


def test_an_answer_without_a_json_reason_has_none():
    with serve(always_status=409) as server:  # {"error": ...} is a reason; 404's HTML page is not
        assert failure(server).affilka_message == "status 409 (mock fault)"
    with serve() as server:
        bad_path = server.report_url().replace("/report.json", "/nothing.json")
        with pytest.raises(NotFound) as info:
            fetch_report(bad_path, settings=fast_settings(server.host_port, pacer=Pacer(), retries=0))
    assert info.value.affilka_message is None


def test_the_failing_check_quotes_affilkas_reason():
    with serve(error_body="ok-false", error_status=422, error_message="Unknown column ngr_x") as server:
        diagnosis = diagnose_url(server.report_url(), settings=fast_settings(server.host_port, pacer=Pacer()))
    [check] = [c for c in diagnosis.checks if c.id == CheckId.FETCH_REJECTED.value]
    assert check.status == Status.FAIL and "Unknown column ngr_x" in check.detail
