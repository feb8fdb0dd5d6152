"""The check catalogue: every id once, and every other table of ids derived from it."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from affilka_core.analysis.metrics import totals
from affilka_core.catalogue import BY_ID, CATALOGUE, DATA_CHECK_IDS, URL_CHECK_IDS, CheckId, Phase, step_of
from affilka_core.checks.advice import ADVICE, advice_for
from affilka_core.checks.data_checks import data_checks
from affilka_core.checks.fetch_checks import error_check
from affilka_core.checks.url_checks import URL_CHECKS
from affilka_core.checks.url_result import check_url
from affilka_core.guide import TROUBLESHOOTING
from affilka_core.load import load_demo
from affilka_core.url.parse import parse_url
from tests.support import GUIDE_URL


def test_every_check_id_is_in_the_catalogue_exactly_once():
    assert sorted(e.id for e in CATALOGUE) == sorted(CheckId)
    assert len(BY_ID) == len(CATALOGUE)


def test_ids_compare_equal_to_the_contract_strings():
    assert CheckId.URL_PARSE == "url.parse" and str(CheckId.FETCH_NOT_JSON) == "fetch.not_json"
    assert BY_ID["data.multi_brand"].step == 4


def test_phase_follows_the_id_prefix():
    for entry in CATALOGUE:
        prefix = entry.id.split(".")[0]
        assert entry.phase == (Phase(prefix) if prefix in ("fetch", "data") else Phase.URL), entry


def test_the_url_checks_are_one_function_per_url_phase_id_in_catalogue_order():
    url = parse_url(GUIDE_URL)
    assert tuple(check(url).id for check in URL_CHECKS) == URL_CHECK_IDS


def test_a_report_with_dates_and_totals_gets_every_data_check_once_in_catalogue_order():
    # The guide's URL asks for 2026-04-01..2026-04-21; the demo's 21 days end there.
    end = dt.date(2026, 4, 21)
    demo = load_demo(21, end=end).parsed
    report = replace(demo, totals=totals(demo.frame))
    checks = data_checks(report, parse_url(GUIDE_URL), today=end + dt.timedelta(days=1))
    assert tuple(c.id for c in checks) == DATA_CHECK_IDS


def test_check_url_gives_every_check_the_step_of_its_id():
    for check in check_url(GUIDE_URL.replace("page=1", "page=2")).checks:
        assert check.step == step_of(check.id)


@pytest.mark.parametrize("error_class", list(ADVICE))
def test_each_failure_becomes_a_catalogued_check_at_its_step(error_class):
    exc = error_class("The report could not be read.")
    check = error_check(exc)
    advice = ADVICE[error_class]
    assert check.id == advice.check_id and check.step == step_of(advice.check_id) == advice.step
    assert BY_ID[check.id].phase in (Phase.FETCH, Phase.URL)
    assert check.title == advice.title and check.fix == advice_for(exc).fix
    assert "{" not in check.fix


def test_troubleshooting_names_only_catalogued_ids():
    for trouble in TROUBLESHOOTING:
        assert set(trouble.check_ids) <= set(BY_ID), trouble.title
