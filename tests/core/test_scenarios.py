"""Demo scenarios: each goes through the same parse and diagnose path as a fetched report, with no
network, and shows its problem."""

from __future__ import annotations

import datetime as dt

import pytest

from affilka_core.checks.model import Status
from affilka_core.scenarios import SCENARIOS, diagnose_scenario

END = dt.date(2026, 4, 21)


def statuses(key: str) -> dict[str, Status]:
    return {c.id: c.status for c in diagnose_scenario(key, end=END).checks}


def test_a_healthy_report_is_not_fix():
    d = diagnose_scenario("healthy", end=END)
    assert d.verdict.code == "usable" and d.data["rows"] > 0
    assert all(f.severity != "high" for f in d.insights)


def test_several_brands_fail_the_brand_checks():
    assert statuses("several_brands")["data.multi_brand"] == Status.FAIL


def test_missing_columns_fail_in_the_url_and_in_the_data():
    found = statuses("missing_columns")
    assert found["columns.required"] == found["data.columns_missing"] == Status.FAIL


def test_an_expired_token_is_unauthorized_and_fix():
    d = diagnose_scenario("expired_token", end=END)
    assert d.by_id("fetch.unauthorized").status == Status.FAIL and d.verdict.code == "fix"
    assert d.data is None and d.insights == ()


def test_an_empty_report_fails_data_empty():
    assert statuses("empty_report")["data.empty"] == Status.FAIL


def test_a_campaign_that_stopped_converting_is_a_high_insight():
    d = diagnose_scenario("stopped_converting", end=END)
    (finding,) = [f for f in d.insights if f.id == "stopped_converting"]
    assert finding.severity == "high" and finding.campaign
    assert finding.date_to == END.isoformat()


def test_rate_limited_is_retry_with_when_to_try_again():
    d = diagnose_scenario("rate_limited", end=END)
    assert d.verdict.code == "retry"
    assert "try again in 1 minute" in d.by_id("fetch.rate_limited").fix


# Each scenario's known verdict: its word for tools, the steps to fix, the checks that fail there and how
# many things there are to fix (a data check that confirms a URL check is the same thing to fix).
KNOWN = {
    "healthy": ("usable", (), set(), 0),
    "several_brands": ("fix", (4,), {"brand.filter", "data.multi_brand"}, 1),
    "missing_columns": ("fix", (2,), {"columns.required", "data.columns_missing"}, 1),
    "expired_token": ("fix", (7,), {"fetch.unauthorized"}, 1),
    "empty_report": ("fix", (5,), {"data.empty"}, 1),
    "stopped_converting": ("usable", (), set(), 0),
    "rate_limited": ("retry", (7,), {"fetch.rate_limited"}, 1),
}


def test_every_scenario_has_a_known_verdict():
    assert set(KNOWN) == {s.key for s in SCENARIOS}


@pytest.mark.parametrize("key", KNOWN)
def test_each_scenario_gives_its_known_verdict(key):
    code, steps, failing, to_fix = KNOWN[key]
    d = diagnose_scenario(key, end=END)
    assert d.verdict.code == code
    assert d.verdict.fail_steps == steps
    assert {c.id for c in d.checks if c.status == Status.FAIL} == failing
    assert d.verdict.fails == to_fix


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.key)
def test_every_scenario_gives_every_url_check_and_json_with_insights(scenario):
    d = diagnose_scenario(scenario.key, end=END)
    data = d.to_dict()
    # The JSON's findings are the diagnosis's, in order; a scenario without a report has neither.
    assert data["insights"] == [f.to_dict() for f in d.insights or ()]
    assert (data["data"] is None) == (d.report is None)
    assert {"endpoint", "url.parse", "filters.narrowing", "currency.conversion"} <= {
        c["id"] for c in data["checks"]
    }


def test_an_unknown_scenario_is_a_key_error():
    with pytest.raises(KeyError):
        diagnose_scenario("no_such_scenario", end=END)
