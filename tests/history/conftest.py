"""Shared fixtures of the history's tests: a store over each kind of database, and realistic cases."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator

import pytest

from affilka_core.diagnosis import Diagnosis, diagnose_text, diagnose_url
from affilka_core.history.case import Case, CaseCheck, case_of
from affilka_core.history.settings import HistorySettings
from affilka_core.history.store import HistoryStore, open_store
from affilka_mock.mock_server import MockAffilka
from tests.support import GUIDE_URL, TOKEN, fast_settings, without_param

NO_CAMPAIGN = without_param(GUIDE_URL, "group_by%5B%5D=campaign")
OTHER_HOST = GUIDE_URL.replace("primetime.partners", "starzpartners.com")
END = dt.date(2026, 4, 21)


@pytest.fixture
def store(history_url: str) -> HistoryStore:
    """The history over a fresh database of each kind, migrated on first use."""
    return open_store(HistorySettings(url=history_url, days=0))


@pytest.fixture(scope="module")
def mock_affilka() -> Iterator[MockAffilka]:
    """A mock Affilka on loopback: one brand, 4 campaigns over 10 days."""
    with MockAffilka(token=TOKEN, days=10, brands=1, campaigns=4, page_size=20, end_date=END) as mock:
        yield mock


@pytest.fixture
def fetched(mock_affilka: MockAffilka) -> Callable[..., Diagnosis]:
    """`fetched(token=TOKEN)`: the mock's report fetched with this token, diagnosed."""

    def fetch(token: str = TOKEN) -> Diagnosis:
        settings = fast_settings(mock_affilka.host_port)
        return diagnose_url(mock_affilka.report_url(token=token), settings=settings)

    return fetch


def make_case(
    text: str = GUIDE_URL, *, at: dt.datetime | None = None, user: str = "ana@casinoflux.example", **kw
) -> Case:
    """The case of checking `text` (the guide's URL unless told), at `at` (UTC)."""
    diagnosis = diagnose_text(text)
    if at is not None:
        diagnosis = Diagnosis(checks=diagnosis.checks, url_result=diagnosis.url_result, at=at)
    case = case_of(diagnosis, source=kw.pop("source", "app"), user=user)
    assert case is not None
    return case


def worked(case: Case) -> Case:
    """The case of a fetch of the same URL that brought the report back."""
    fetched = CaseCheck("fetch.ok", "pass", "Report fetched: the token works")
    return dataclasses.replace(case, checks=(*case.checks, fetched), data={"rows": 30})


def refused(case: Case) -> Case:
    """The case of a fetch of the same URL whose token Affilka refused."""
    failed = CaseCheck("fetch.unauthorized", "fail", "Token expired or invalid")
    return dataclasses.replace(case, verdict="fix", checks=(*case.checks, failed))
