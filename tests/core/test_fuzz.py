"""Whatever is pasted, the checker answers with every check and never raises.

Nothing here catches exceptions: a crash anywhere in parsing, checking, the JSON shape or the ticket
fails the property (the last test proves it by planting one).
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from affilka_core import check_url
from affilka_core.catalogue import URL_CHECK_IDS, step_of
from affilka_core.checks import url_result as checks_module
from affilka_core.checks.model import Status
from affilka_core.checks.verdict import verdict
from affilka_core.diagnosis import Diagnosis
from tests.support import GUIDE_URL, TOKEN, diagnosis_ticket

WHEN = dt.datetime(2026, 4, 22, 9, 30, tzinfo=dt.UTC)

FRAGMENTS = st.sampled_from(
    [
        "%",
        "%25",
        "%5B%5D",
        "%255B",
        "&",
        "&amp;",
        "=",
        "?",
        "#",
        "[",
        "]",
        "\\u0026",
        "\\_",
        "…",
        " ",
        "\n",
        "https://",
        "http://",
        "token=",
        "page=",
        "columns[]=",
        "group_by%5B%5D=",
        "from=",
        "::",
        "@",
        "[::1]",
        "\x00",
        "é",
        "\u200b",
        ":99999",
        "report.json",
    ]
)
URLISH = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), max_size=25).map("".join)


def assert_well_formed(text: str) -> None:
    """Every URL check once, each well-formed; the JSON, the verdict and the ticket agree; no token."""
    result = check_url(text)
    assert sorted(c.id for c in result.checks) == sorted(URL_CHECK_IDS)
    for c in result.checks:
        assert c.step == step_of(c.id) and c.status in Status and c.title and c.detail
        assert bool(c.fix) == (c.status != Status.PASS)
    assert [c.step for c in result.checks] == sorted(c.step for c in result.checks)
    diagnosis = Diagnosis(checks=result.checks, url_result=result)
    data = json.loads(json.dumps(diagnosis.to_dict()))
    assert set(data) == {"url", "ok", "verdict", "checks", "suggested_url"}
    assert data["ok"] is result.ok is (verdict(result.checks).code == "usable")
    if result.url is None:
        assert result.by_id("url.parse").status == Status.FAIL and not result.ok
    ticket = diagnosis_ticket(diagnosis, WHEN)
    assert ticket.startswith("### Affilka ")
    if TOKEN in text:
        assert TOKEN not in json.dumps(data) and TOKEN not in ticket


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_arbitrary_text_never_raises(text):
    assert_well_formed(text)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(URLISH)
def test_url_like_strings_never_raise(text):
    assert_well_formed(text)
    assert_well_formed("https://primetime.partners/api/client/partner/report.json?" + text)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(GUIDE_URL)), st.integers(0, len(GUIDE_URL)), URLISH)
def test_mangled_guide_urls_never_raise_or_leak_the_token(start, end, junk):
    assert_well_formed(GUIDE_URL[:start] + junk + GUIDE_URL[end:])
    assert_well_formed(GUIDE_URL[:start])


def test_a_crash_in_any_check_fails_the_property(monkeypatch):
    def planted(u):
        raise TypeError("planted bug")

    monkeypatch.setattr(checks_module, "URL_CHECKS", (*checks_module.URL_CHECKS[:-1], planted))
    with pytest.raises(TypeError, match="planted bug"):
        assert_well_formed(GUIDE_URL)
