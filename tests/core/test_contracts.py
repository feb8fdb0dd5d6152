"""Names other tools import: they stay where the issues put them."""

from __future__ import annotations

import inspect

import pandas as pd

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
