"""Shared fixtures: the guide's example URL, and hypothesis profiles.

`HYPOTHESIS_PROFILE=ci` (what `.ci/run` sets) runs every property with many examples; the default `dev`
profile runs fewer, so a local `make test` stays quick. Properties set no example counts of their own.
"""

from __future__ import annotations

import logging
import os

import pytest
from hypothesis import HealthCheck, settings

from tests.support import GUIDE_URL

# The history's databases (a SQLite file, a throwaway PostgreSQL cluster): see tests/databases.py.
pytest_plugins = ("tests.databases",)

# The test HTTP servers stand in for Affilka and log every request line they receive, token included;
# only our client's log records are under test.
logging.getLogger("werkzeug").setLevel(logging.WARNING)

settings.register_profile(
    "ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.register_profile("dev", max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_xdist_auto_num_workers(config) -> int:
    """One worker more than there are CPUs: many tests wait on a socket (a retry, a slow answer), and the
    extra worker keeps the CPUs busy meanwhile."""
    return (os.cpu_count() or 1) + 1


@pytest.fixture
def guide_url() -> str:
    return GUIDE_URL


@pytest.fixture(autouse=True)
def fresh_pacer(monkeypatch):
    """Each test starts with hosts never asked before: a 429 one test's server sent (the test servers
    reuse a port) would otherwise pause the next test's requests to the same host."""
    from affilka_core.fetch import pacing
    from affilka_core.fetch import settings as fetch_settings

    monkeypatch.setattr(fetch_settings, "PACER", pacing.Pacer())


@pytest.fixture(autouse=True)
def history_off(monkeypatch):
    """No test keeps a history unless it asks for one (`history_on`, `sqlite_history`): the app would
    otherwise write to .affilka/ in the working tree."""
    monkeypatch.setenv("AFFILKA_HISTORY_URL", "off")
