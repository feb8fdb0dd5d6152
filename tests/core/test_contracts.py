"""The public contract other tools rely on: the names `affilka_core` exports (the modules behind them may
move), that importing the package and checking a URL stay light, and `python -m affilka_core` as the
command line. What each CLI command prints is specified in tests/cli."""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pandas as pd
import pytest

import affilka_core
from affilka_core.catalogue import CATALOGUE
from affilka_core.demo import demo_report
from tests.support import GUIDE_URL, ROOT

EXPORTED = [
    "AffilkaError",
    "AffilkaUrl",
    "BlockedAddress",
    "Check",
    "CheckId",
    "ConnectionFailed",
    "Diagnosis",
    "FetchError",
    "FetchSettings",
    "FetchTimeout",
    "InvalidURL",
    "LoadedReport",
    "NotFound",
    "NotJSON",
    "ParsedReport",
    "RateLimited",
    "Rejected",
    "ReportFormatError",
    "ServerError",
    "Status",
    "TooLarge",
    "Unauthorized",
    "UrlCheckResult",
    "check_url",
    "diagnose_report",
    "diagnose_text",
    "diagnose_url",
    "fetch_report",
    "mask_token",
    "mask_url",
    "parse_pages",
    "parse_report",
    "parse_url",
    "redact",
    "suggest_url",
    "total_pages",
    "with_dates",
]
ERRORS = [
    "AffilkaError",
    "BlockedAddress",
    "ConnectionFailed",
    "FetchError",
    "FetchTimeout",
    "InvalidURL",
    "NotFound",
    "NotJSON",
    "RateLimited",
    "Rejected",
    "ReportFormatError",
    "ServerError",
    "TooLarge",
    "Unauthorized",
]


def python(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=60, cwd=ROOT)


# --- the names the package exports ---------------------------------------------------------------


def test_the_package_exports_exactly_the_promised_names():
    assert sorted(affilka_core.__all__) == sorted(EXPORTED)
    assert len(affilka_core.__all__) == len(set(affilka_core.__all__))


@pytest.mark.parametrize("name", EXPORTED)
def test_every_exported_name_is_importable_from_the_package(name):
    value = getattr(__import__("affilka_core", fromlist=[name]), name)
    assert value.__module__.startswith("affilka_core.")  # defined in the package, not re-exported
    assert name in dir(affilka_core)


def test_an_unknown_package_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        affilka_core.no_such_name  # noqa: B018


@pytest.mark.parametrize("name", ERRORS)
def test_the_exported_failures_are_one_family_that_says_whether_trouble_is_temporary(name):
    error = getattr(affilka_core, name)
    assert issubclass(error, affilka_core.AffilkaError)
    assert isinstance(error.temporary, bool)


def test_parse_report_takes_one_body_and_returns_a_frame():
    frame = affilka_core.parse_report(demo_report(3, campaigns=2))
    assert isinstance(frame, pd.DataFrame) and len(frame) == 6
    assert list(inspect.signature(affilka_core.parse_report).parameters) == ["raw"]


def test_parse_pages_returns_the_frame_with_what_the_report_says_of_itself():
    report = affilka_core.parse_pages([demo_report(3, campaigns=2)])
    assert isinstance(report, affilka_core.ParsedReport)
    assert isinstance(report.frame, pd.DataFrame) and report.rows == 6
    assert (report.total_pages, report.pages_read, report.grouping) == (1, 1, "day")


# --- staying light -------------------------------------------------------------------------------


def test_importing_the_package_and_checking_a_url_load_neither_pandas_nor_requests():
    script = (
        "import json, sys\n"
        "import affilka_core\n"
        f"result = affilka_core.check_url({GUIDE_URL!r})\n"
        "heavy = sorted(m for m in ('pandas', 'numpy', 'requests') if m in sys.modules)\n"
        "print(json.dumps({'ok': result.ok, 'heavy': heavy}))\n"
    )
    proc = python("-c", script)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"ok": True, "heavy": []}


# --- the command line ----------------------------------------------------------------------------


def test_python_m_affilka_core_lists_the_check_catalogue_as_json():
    proc = python("-m", "affilka_core", "check", "--list", "--json")
    assert proc.returncode == 0 and proc.stderr == ""
    assert json.loads(proc.stdout) == [entry.to_dict() for entry in CATALOGUE]
