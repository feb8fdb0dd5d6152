"""affilka_core.history.case: what a case keeps of a diagnosis (masked URL, the Offer's key, verdict,
checks, data summary, insights) and what it never keeps (the token, the rows)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from affilka_core.diagnosis import diagnose_demo, diagnose_text
from affilka_core.history.case import ANONYMOUS, case_of, os_user
from tests.history.conftest import NO_CAMPAIGN, make_case
from tests.support import GUIDE_URL, TOKEN


def test_a_checked_url_keeps_the_masked_url_host_verdict_and_every_checks_id_status_and_title():
    diagnosis = diagnose_text(NO_CAMPAIGN)
    case = case_of(diagnosis, source="cli", user="ana")
    assert case.url == diagnosis.url.masked() and "token=b7e3…5678" in case.url
    assert case.host == "primetime.partners"
    assert case.verdict == "fix"
    assert [(c.id, c.status, c.title) for c in case.checks] == [
        (c.id, str(c.status), c.title) for c in diagnosis.checks
    ]
    assert (case.source, case.user, case.data, case.insights) == ("cli", "ana", None, ())


def test_a_case_is_dated_when_the_diagnosis_was_made_in_utc():
    diagnosis = diagnose_text(GUIDE_URL)
    case = case_of(diagnosis, source="app", user=ANONYMOUS)
    assert case.at == diagnosis.at and case.at.utcoffset() == dt.timedelta(0)


def test_a_fetched_report_keeps_its_summary_and_insights_but_never_its_rows(fetched):
    diagnosis = fetched()
    case = case_of(diagnosis, source="app", user=ANONYMOUS)
    assert case.data == diagnosis.data and case.data["rows"] == 40
    assert list(case.insights) == diagnosis.insights_dicts()
    assert {f.name for f in dataclasses.fields(case)}.isdisjoint({"report", "frame", "rows"})
    assert len(json.dumps(case.to_dict())) < 10_000  # a summary, not 40 rows of cells


def test_a_refused_token_is_recorded_with_the_fetch_check_that_says_so(fetched):
    case = case_of(fetched(token="0" * 32), source="app", user=ANONYMOUS)
    assert case.verdict == "fix" and case.data is None
    assert ("fetch.unauthorized", "fail") in [(c.id, c.status) for c in case.checks]


def test_the_url_is_recorded_with_the_dates_it_was_fetched_with():
    diagnosis = diagnose_text(GUIDE_URL, date_from="2026-05-01", date_to="2026-05-31")
    case = case_of(diagnosis, source="app", user=ANONYMOUS)
    assert "from=2026-05-01&to=2026-05-31" in case.url


def test_text_that_is_not_a_url_and_the_demo_make_no_case():
    # (The app never records a scenario either: see tests/app/test_history_recording.py.)
    assert case_of(diagnose_text("thanks, here it is"), source="app", user=ANONYMOUS) is None
    assert case_of(diagnose_demo(7), source="app", user=ANONYMOUS) is None


def test_the_json_shape_is_the_history_contract():
    case = make_case(NO_CAMPAIGN, at=dt.datetime(2026, 11, 3, 14, 2, 5, tzinfo=dt.UTC), user="ana")
    shown = case.to_dict()
    assert list(shown) == [
        "id", "at", "source", "user", "host", "offer_key", "url", "verdict", "checks", "data", "insights"
    ]  # fmt: skip
    assert shown["at"] == "2026-11-03T14:02:05+00:00"
    assert set(shown["checks"][0]) == {"id", "status", "title"}
    assert TOKEN not in json.dumps(shown)


def test_the_cli_user_is_the_operating_systems():
    assert os_user() not in ("", None)
