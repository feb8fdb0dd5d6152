"""Names other tools import: they stay where the issues put them."""

from __future__ import annotations

import importlib
import inspect

import pandas as pd
import pytest

import affilka_core
from affilka_core.demo import demo_report


def test_parse_report_is_importable_from_the_package_and_returns_a_frame():
    frame = affilka_core.parse_report(demo_report(3, campaigns=2))
    assert isinstance(frame, pd.DataFrame) and len(frame) == 6
    assert list(inspect.signature(affilka_core.parse_report).parameters) == ["raw"]


def test_the_package_exports_what_it_promises():
    for name in affilka_core.__all__:
        assert hasattr(affilka_core, name), name
    assert {"check_url", "parse_report", "fetch_report", "diagnose_url", "mask_token"} <= set(
        affilka_core.__all__
    )


# Names the pages and other tools import, module by module; moved names stay importable here.
PUBLIC_NAMES = {
    "affilka_core.checks": [
        "Check",
        "Status",
        "ICONS",
        "UrlCheckResult",
        "check_url",
        "worst",
        "sort_checks",
    ],
    "affilka_core.diagnose": ["combine", "error_check", "data_checks"],
    "affilka_core.load": ["LoadedReport", "load_demo", "load_file", "load_live", "Diagnosis", "diagnose_url"],
    "affilka_core.guide_status": ["guide_status", "trouble_status", "first_problem", "icon", "verdict_text"],
    "affilka_core.ticket": ["ticket_markdown", "ticket_filename", "ticket_for"],
    "affilka_core.verdict": ["verdict", "Verdict", "icon", "USABLE", "FIX", "RETRY"],
    "affilka_core.markdown": ["escape", "code"],
    "affilka_core.diagnosis": ["Diagnosis", "diagnose_url", "diagnose_report", "diagnose_text"],
    "affilka_core.catalogue": ["CheckId", "Phase", "CATALOGUE", "step_of"],
    "affilka_core.cli": ["main", "verdict_line", "EXIT_RETRY", "exit_code"],
    "affilka_core.errors": [
        "FetchError",
        "ConnectionFailed",
        "RedirectedToOtherHost",
        "TLSFailed",
        "TruncatedJSON",
        "is_temporary",
        "advice_for",
    ],
    "affilka_core.scenarios": ["SCENARIOS", "scenario_url", "diagnose_scenario"],
    "affilka_core.url_checks": ["URL_CHECKS", "http_allowed", "check_url_parse"],
}


@pytest.mark.parametrize("module", sorted(PUBLIC_NAMES))
def test_public_names_stay_importable(module):
    imported = importlib.import_module(module)
    for name in PUBLIC_NAMES[module]:
        assert hasattr(imported, name), f"{module}.{name}"


def test_diagnosis_moved_but_the_old_path_is_the_same_object():
    from affilka_core import diagnosis, load

    assert load.Diagnosis is diagnosis.Diagnosis is affilka_core.Diagnosis
    assert load.diagnose_url is diagnosis.diagnose_url


def test_an_unknown_package_attribute_is_an_attribute_error():
    with pytest.raises(AttributeError, match="no_such_name"):
        affilka_core.no_such_name  # noqa: B018
